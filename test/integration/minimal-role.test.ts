/** The README's minimal Role is enough for every feature, and a missing verb says what to grant. */
import { beforeAll, expect, it } from 'vitest';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace } from '../support/cluster.js';
import { limitedKubeConfig } from '../support/limited-identity.js';
import { readmeRole, readmeRoleWith } from '../support/readme-role.js';
import { runAction } from '../support/run-action.js';
import { sourceCronJob, sourceJob } from '../support/sources.js';
import { KubeJobCluster } from '../../src/kubernetes/job-cluster.js';
import { discoverSources } from '../../src/run/discover.js';
import { systemClock } from '../../src/system-clock.js';

let admin: KubeConfig;
let ns: string;

beforeAll(async () => {
  admin = adminKubeConfig();
  ns = await createTestNamespace('role');
  const batch = admin.makeApiClient(BatchV1Api);
  await batch.createNamespacedCronJob({ namespace: ns, body: sourceCronJob('etl', { env: { SIM_LOG: 'hello from etl' } }) });
  await batch.createNamespacedJob({ namespace: ns, body: sourceJob('crashes', { env: { SIM_EXIT_CODE: '1' } }) });
});

it('runs, follows logs, cancels and discovers with exactly the README Role', async () => {
  const kc = await limitedKubeConfig(admin, ns, 'runner', readmeRole());
  const ok = await runAction(kc, { cronjob: 'etl', namespace: ns });
  expect(ok.error).toBeUndefined();
  expect(ok.reporter.lines).toContain('hello from etl');

  const failed = await runAction(kc, { job: 'crashes', namespace: ns });
  expect(failed.reporter.outputs).toMatchObject({ status: 'Failed', 'exit-code': '1' });

  const controller = new AbortController();
  setTimeout(() => controller.abort('SIGINT'), 1500);
  await admin.makeApiClient(BatchV1Api).createNamespacedJob({ namespace: ns, body: sourceJob('long', { env: { SIM_DURATION: '60s' } }) });
  const cancelled = await runAction(kc, { job: 'long', namespace: ns }, { signal: controller.signal });
  expect(cancelled.reporter.outputs.status).toBe('Cancelled'); // delete was allowed

  const found = await discoverSources(new KubeJobCluster(kc, systemClock), ns);
  expect(found.cronJobs.map((c) => c.metadata?.name)).toEqual(['etl']);
});

it('names the missing verb and what to grant when the Role lacks create', async () => {
  const role = readmeRole();
  const withoutCreate = {
    ...role,
    rules: role.rules?.map((r) => (r.resources?.includes('jobs') ? { ...r, verbs: r.verbs.filter((v) => v !== 'create') } : r)),
  };
  const kc = await limitedKubeConfig(admin, ns, 'no-create', withoutCreate);
  const { error } = await runAction(kc, { cronjob: 'etl', namespace: ns });
  expect(error?.message).toMatch(/403/);
  expect(error?.message).toMatch(/forbidden|Forbidden/);
  expect(error?.message).toMatch(/Role/);
});

it('runs concurrency: Forbid and Replace with the README Role plus its concurrency rule, and says what to add without it', async () => {
  const batch = admin.makeApiClient(BatchV1Api);
  await batch.createNamespacedJob({ namespace: ns, body: sourceJob('exclusive', { env: { SIM_DURATION: '30s' } }) });
  const kc = await limitedKubeConfig(admin, ns, 'concurrency', readmeRoleWith('concurrency'));
  const first = await runAction(kc, { job: 'exclusive', namespace: ns, concurrency: 'Forbid', wait: 'false' });
  expect(first.error).toBeUndefined();
  const refused = await runAction(kc, { job: 'exclusive', namespace: ns, concurrency: 'Forbid' });
  expect(refused.error?.message).toMatch(/already has an active run/);
  const replaced = await runAction(kc, { job: 'exclusive', namespace: ns, concurrency: 'Replace', wait: 'false' });
  expect(replaced.error).toBeUndefined();
  expect(replaced.reporter.lines).toContain(`concurrency: Replace: replaced jobs/${ns}/${first.reporter.outputs['run-id'] ?? ''}.`);

  const plain = await limitedKubeConfig(admin, ns, 'no-leases', readmeRole());
  const { error } = await runAction(plain, { job: 'exclusive', namespace: ns, concurrency: 'Forbid' });
  expect(error?.message).toMatch(/403/);
  expect(error?.message).toContain('add the README\'s "concurrency rule" (leases: get, create, delete)');
});
