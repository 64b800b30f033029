/** How runs end badly, against the real control plane: every end says why and leaves nothing running. */
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, jobsFromSource, podsOfJob, waitFor } from '../support/cluster.js';
import { runAction } from '../support/run-action.js';
import { sourceJob } from '../support/sources.js';

let kc: KubeConfig;
let batch: BatchV1Api;
let ns: string;

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  ns = await createTestNamespace('fail');
});

const runsOf = (source: string) => jobsFromSource(kc, ns, source);
const podsOf = (uid: string) => podsOfJob(kc, ns, uid);

describe('a run that fails', () => {
  it('fails the step with BackoffLimitExceeded, the exit code and the last log lines', async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: sourceJob('crashes', { env: { SIM_EXIT_CODE: '3', SIM_LOG: 'connecting to db|db refused connection' }, spec: { backoffLimit: 1 } }),
    });
    const { reporter, error } = await runAction(kc, { job: 'crashes', namespace: ns });
    expect(reporter.outputs).toMatchObject({ status: 'Failed', reason: 'BackoffLimitExceeded', 'exit-code': '3', failed: '2' });
    expect(error?.message).toContain(`jobs/${ns}/${reporter.outputs['run-id']}`);
    expect(error?.message).toContain('BackoffLimitExceeded');
    expect(error?.message).toContain('db refused connection');
  });

  it('fails with DeadlineExceeded when the source activeDeadlineSeconds passes', async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: sourceJob('too-slow', { env: { SIM_DURATION: '120s' }, spec: { activeDeadlineSeconds: 3 } }),
    });
    const { reporter, error } = await runAction(kc, { job: 'too-slow', namespace: ns });
    expect(reporter.outputs).toMatchObject({ status: 'Failed', reason: 'DeadlineExceeded' });
    expect(error?.message).toContain('DeadlineExceeded');
  });

  it('warns at once about an image pull error and deletes the Job after the grace period', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('bad-image', { env: { SIM_IMAGE_PULL_ERROR: 'true' } }) });
    const { reporter, error } = await runAction(kc, { job: 'bad-image', namespace: ns, 'image-pull-grace-period': '4s' });
    expect(reporter.annotations.some((a) => a.level === 'warning' && /ErrImagePull|ImagePullBackOff/.test(a.message))).toBe(true);
    expect(reporter.outputs.status).toBe('Failed');
    expect(reporter.outputs.reason).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(error?.message).toContain('image-pull-grace-period');
    await waitFor(async () => (await runsOf('bad-image')).length === 0, { timeoutMs: 30_000 });
  });

  it('shows FailedScheduling for a pod that stays Pending, and deletes the Job on timeout', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('no-room', { env: { SIM_UNSCHEDULABLE: 'true' } }) });
    const { reporter, error } = await runAction(kc, { job: 'no-room', namespace: ns, timeout: '8s' });
    const warning = reporter.annotations.find((a) => a.title === 'Pod cannot be scheduled');
    expect(warning?.message).toMatch(/nodes are available|Unschedulable|Insufficient/);
    expect(reporter.outputs).toMatchObject({ status: 'Cancelled', reason: 'Timeout' });
    expect(error?.message).toContain('timeout');
    await waitFor(async () => (await runsOf('no-room')).length === 0, { timeoutMs: 30_000 });
  });

  it('fails and says so when someone else deletes the Job while the action waits', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('deleted-under-us', { env: { SIM_DURATION: '120s' } }) });
    const run = runAction(kc, { job: 'deleted-under-us', namespace: ns });
    await waitFor(async () => (await runsOf('deleted-under-us')).length === 1, { timeoutMs: 30_000 });
    const [job] = await runsOf('deleted-under-us');
    await batch.deleteNamespacedJob({ namespace: ns, name: job?.metadata?.name ?? '', propagationPolicy: 'Background' });
    const { reporter, error } = await run;
    expect(reporter.outputs).toMatchObject({ status: 'Failed', reason: 'Deleted' });
    expect(error?.message).toContain('deleted by someone else');
  });

  it('on cancel (SIGTERM) deletes the Job with Background propagation: no Job and no pods remain', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('cancelled', { env: { SIM_DURATION: '120s' }, spec: { parallelism: 2, completions: 2 } }) });
    const controller = new AbortController();
    const run = runAction(kc, { job: 'cancelled', namespace: ns }, { signal: controller.signal });
    let uid = '';
    await waitFor(async () => {
      const [job] = await runsOf('cancelled');
      uid = job?.metadata?.uid ?? '';
      return uid !== '' && (await podsOf(uid)).some((p) => p.status?.phase === 'Running');
    }, { timeoutMs: 30_000 });
    controller.abort('SIGTERM');
    const { reporter, error } = await run;
    expect(reporter.outputs).toMatchObject({ status: 'Cancelled', reason: 'WorkflowCancelled' });
    expect(error?.message).toContain('cancelled');
    expect(await runsOf('cancelled')).toHaveLength(0);
    await waitFor(async () => (await podsOf(uid)).length === 0, { timeoutMs: 30_000 });
  });
});

describe('bad input creates nothing', () => {
  it.each([
    ['an unknown param', { job: 'exists', params: '{"NOPE":"1"}' }, /NOPE.*(MODE)/s],
    ['a missing source', { job: 'does-not-exist' }, /Source job not found/],
    ['a missing CronJob', { cronjob: 'does-not-exist' }, /CronJob .* was not found/],
  ])('%s', async (_label, inputs, message) => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('exists', { env: { MODE: 'x' } }) }).catch(() => undefined);
    const before = (await batch.listNamespacedJob({ namespace: ns })).items.length;
    const { error } = await runAction(kc, { namespace: ns, ...inputs });
    expect(error?.message).toMatch(message);
    expect((await batch.listNamespacedJob({ namespace: ns })).items.length).toBe(before);
  });
});
