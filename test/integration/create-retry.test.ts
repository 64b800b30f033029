/** "Nothing lost, nothing left behind": a create whose response is lost is retried and adopted, never duplicated. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, jobsFromSource, waitFor } from '../support/cluster.js';
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

it('picks a fresh name when the chosen one is taken by a Job it did not create', async () => {
  const batch = kc.makeApiClient(BatchV1Api);
  await batch.createNamespacedJob({ namespace: ns, body: sourceJob('taken') });
  // random() = 0 for the first name: suffix 'bbbbb'. Someone else's Job already holds it.
  await batch.createNamespacedJob({ namespace: ns, body: sourceJob('taken-bbbbb') });
  let calls = 0;
  const { reporter, error } = await runAction(kc, { job: 'taken', namespace: ns }, { random: () => (calls++ < 5 ? 0 : 0.5) });
  expect(error).toBeUndefined();
  expect(reporter.outputs['run-id']).toMatch(/^taken-[^b]{5}$/);
  expect(reporter.outputs.status).toBe('Success');
  expect(reporter.lines).toContain(`jobs/${ns}/taken-bbbbb already exists and is not this run's; creating jobs/${ns}/${reporter.outputs['run-id']} instead.`);
  const other = await batch.readNamespacedJob({ namespace: ns, name: 'taken-bbbbb' });
  expect(other.metadata?.annotations?.['example.com/owner']).toBe('data-team'); // untouched
});

it('a timeout while the create hangs stops the create, and deletes the Job the server made meanwhile', async () => {
  const slow = await startApiProxy(kc, { delayJobCreateAnswerMs: 60_000 });
  try {
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('hung-create', { env: { SIM_DURATION: '60s' } }) });
    const { reporter, error } = await runAction(slow.kubeConfig, { job: 'hung-create', namespace: ns, timeout: '3s' });
    expect(error?.message).toMatch(/^Stopped while submitting: the timeout of 3 s passed\. jobs\/\S+ had been created and was deleted\.$/);
    expect(reporter.outputs['run-id']).toBeUndefined();
    await waitFor(async () => (await jobsFromSource(kc, ns, 'hung-create')).length === 0, { timeoutMs: 20_000, what: 'no run left' });
  } finally {
    await slow.close();
  }
});
