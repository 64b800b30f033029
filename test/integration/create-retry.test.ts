/** "Nothing lost, nothing left behind": a create whose response is lost is retried and adopted, never duplicated. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, jobsFromSource } from '../support/cluster.js';
import { startApiProxy, type ApiProxy } from '../support/api-proxy.js';
import { runAction } from '../support/run-action.js';
import { sourceJob } from '../support/sources.js';

let kc: KubeConfig;
let ns: string;
let proxy: ApiProxy;

beforeAll(async () => {
  kc = adminKubeConfig();
  ns = await createTestNamespace('retry');
  proxy = await startApiProxy(kc, { loseFirstJobCreateAnswer: true });
});
afterAll(async () => proxy?.close());

it('adopts the Job whose create response was lost instead of creating a second one', async () => {
  const batch = kc.makeApiClient(BatchV1Api);
  await batch.createNamespacedJob({ namespace: ns, body: sourceJob('lossy') });
  const { reporter, error } = await runAction(proxy.kubeConfig, { job: 'lossy', namespace: ns });
  expect(error).toBeUndefined();
  expect(proxy.jobCreates).toBe(2); // the lost one and the retry that answered AlreadyExists
  const runs = await jobsFromSource(kc, ns, 'lossy');
  expect(runs.map((j) => j.metadata?.name)).toEqual([reporter.outputs['run-id']]);
  expect(reporter.outputs.status).toBe('Success');
  expect(reporter.text()).toMatch(/retrying in \d+ ms/);
});
