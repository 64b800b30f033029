/**
 * Following a Job where clusters behave as real ones do: log streams the API server ends while
 * the container still runs, init containers that print, stick or fail, templates whose pods can
 * never be created, a Job that vanishes (TTL 0) while the API is unreachable, and stuck pods that
 * get replaced. Each test failed before the fix it names (issue #16).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Job } from '@kubernetes/client-node';
import type { Clock } from '../../src/core/ports.js';
import { systemClock } from '../../src/system-clock.js';
import { adminKubeConfig, createTestNamespace, jobsFromSource, podsOfJob, waitFor } from '../support/cluster.js';
import { startApiProxy, type ApiProxy } from '../support/api-proxy.js';
import { runAction } from '../support/run-action.js';
import { sourceJob } from '../support/sources.js';

let kc: KubeConfig;
let batch: BatchV1Api;
let core: CoreV1Api;
let ns: string;

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  core = kc.makeApiClient(CoreV1Api);
  ns = await createTestNamespace('edge');
});

const runsOf = (source: string) => jobsFromSource(kc, ns, source);

/** A source Job whose pod runs init containers (by name → SIM_* env) before `main`. */
function withInit(name: string, init: Record<string, Record<string, string>>, mainEnv: Record<string, string> = {}): V1Job {
  const job = sourceJob(name, { env: mainEnv });
  const spec = job.spec?.template.spec;
  if (spec) {
    spec.initContainers = Object.entries(init).map(([n, env]) => ({
      name: n,
      image: 'registry.example.com/tools:1.0',
      env: Object.entries(env).map(([k, value]) => ({ name: k, value })),
    }));
  }
  return job;
}

describe('log streams the server ends early (#16 item 1)', () => {
  it('reopens a stream that ends while the container runs and prints all 20 lines once, in order', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    await batch.createNamespacedJob({
      namespace: ns,
      body: sourceJob('cut-logs', { env: { SIM_LOG: lines.join('|'), SIM_LOG_INTERVAL: '100ms', SIM_LOG_CUT_AFTER: '4' } }),
    });
    const { reporter, error } = await runAction(kc, { job: 'cut-logs', namespace: ns });
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.lines.filter((l) => l.startsWith('line '))).toEqual(lines);
    expect(reporter.annotations.filter((a) => a.title === 'Log stream lost')).toEqual([]);
  });
});

describe('init containers (#16 item 3)', () => {
  it('streams init containers before the app, each line labelled with its container', async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: withInit('with-init', { 'fetch-schema': { SIM_LOG: 'schema v7 fetched' } }, { SIM_LOG: 'migrating' }),
    });
    const { reporter, error } = await runAction(kc, { job: 'with-init', namespace: ns });
    expect(error).toBeUndefined();
    const ours = reporter.lines.filter((l) => /schema v7|migrating/.test(l));
    expect(ours).toEqual(['[fetch-schema] schema v7 fetched', '[main] migrating']);
  });

  it('reports a failing init container\'s exit code, naming it', async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: withInit('init-fails', { 'check-db': { SIM_EXIT_CODE: '7', SIM_LOG: 'db is read-only' } }),
    });
    const { reporter, error } = await runAction(kc, { job: 'init-fails', namespace: ns });
    expect(reporter.outputs).toMatchObject({ status: 'Failed', reason: 'BackoffLimitExceeded', 'exit-code': '7' });
    expect(error?.message).toContain('init container check-db of pod');
    expect(error?.message).toContain('exited with code 7');
    expect(reporter.lines).toContain('[check-db] db is read-only');
  });

  it('detects an init container stuck in ImagePullBackOff and deletes the Job after the grace period (no timeout set)', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: withInit('init-stuck', { 'fetch-schema': { SIM_IMAGE_PULL_ERROR: 'true' } }) });
    const { reporter, error } = await runAction(kc, { job: 'init-stuck', namespace: ns, 'image-pull-grace-period': '4s' });
    expect(reporter.annotations.find((a) => a.title === 'Container cannot start')?.message).toMatch(/^Init container fetch-schema of pod \S+ is waiting: (ErrImagePull|ImagePullBackOff)/);
    expect(reporter.outputs.status).toBe('Failed');
    expect(reporter.outputs.reason).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(error?.message).toContain('Init container fetch-schema');
    await waitFor(async () => (await runsOf('init-stuck')).length === 0, { timeoutMs: 30_000, what: 'the stuck run deleted' });
  });
});

describe('pods that can never be created (#16 item 4)', () => {
  it('shows FailedCreate for a missing ServiceAccount at once, then fails and deletes the Job after the grace period', async () => {
    const body = sourceJob('no-sa');
    if (body.spec?.template.spec) body.spec.template.spec.serviceAccountName = 'does-not-exist';
    await batch.createNamespacedJob({ namespace: ns, body });
    const { reporter, error } = await runAction(kc, { job: 'no-sa', namespace: ns, 'image-pull-grace-period': '5s' });
    const warning = reporter.annotations.find((a) => a.title === 'Job warning');
    expect(warning?.message).toMatch(/FailedCreate: .*serviceaccount "does-not-exist" not found/);
    expect(reporter.outputs).toMatchObject({ status: 'Failed', reason: 'FailedCreate' });
    expect(error?.message).toContain('could not create a pod');
    expect(error?.message).toContain('does-not-exist');
    expect(error?.message).toContain('No pod was created');
    await waitFor(async () => (await runsOf('no-sa')).length === 0, { timeoutMs: 30_000, what: 'the run deleted' });
  });
});

describe('a Job deleted by its TTL while the API was unreachable (#16 item 5)', () => {
  let proxy: ApiProxy;
  beforeAll(async () => {
    proxy = await startApiProxy(kc);
  });
  afterAll(async () => proxy?.close());

  it('reports the end the Job controller recorded, not "deleted by someone else"', async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: sourceJob('ttl-zero', { env: { SIM_DURATION: '3s', SIM_LOG: 'working' }, spec: { ttlSecondsAfterFinished: 0 } }),
    });
    const run = runAction(proxy.kubeConfig, { job: 'ttl-zero', namespace: ns });
    let created: V1Job | undefined;
    await waitFor(async () => {
      [created] = await runsOf('ttl-zero');
      return (created?.status?.active ?? 0) > 0;
    }, { timeoutMs: 30_000, what: 'the run active' });
    proxy.setOutage(true);
    await waitFor(async () => (await runsOf('ttl-zero')).length === 0, { timeoutMs: 30_000, what: 'the run deleted by its TTL' });
    proxy.setOutage(false);
    const { reporter, error } = await run;
    expect(created?.metadata?.name).toBe(reporter.outputs['run-id']);
    expect(error).toBeUndefined();
    expect(reporter.outputs).toMatchObject({ status: 'Success', reason: 'Completed' });
    expect(reporter.annotations.find((a) => a.title === 'Job end recovered')?.message).toContain('Job completed');
  });
});

describe('a stuck pod replaced by another (#16 item 6)', () => {
  it('keeps the stuck timer to a bounded number of wake-ups after the first pod is deleted', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('replaced', { env: { SIM_IMAGE_PULL_ERROR: 'true' }, spec: { backoffLimit: 3 } }) });
    let sleeps = 0;
    const clock: Clock = { now: () => systemClock.now(), sleep: (ms, signal) => (sleeps++, systemClock.sleep(ms, signal)) };
    const run = runAction(kc, { job: 'replaced', namespace: ns, 'image-pull-grace-period': '8s' }, { clock });
    let uid = '';
    await waitFor(async () => {
      uid = (await runsOf('replaced'))[0]?.metadata?.uid ?? '';
      return uid !== '';
    }, { timeoutMs: 30_000, what: 'the run created' });
    let first = '';
    await waitFor(async () => {
      first = (await podsOfJob(kc, ns, uid))[0]?.metadata?.name ?? '';
      return first !== '';
    }, { timeoutMs: 30_000, what: 'its first pod' });
    await new Promise((r) => setTimeout(r, 2000));
    await core.deleteNamespacedPod({ namespace: ns, name: first, gracePeriodSeconds: 0 });
    const { reporter } = await run;
    expect(reporter.outputs.status).toBe('Failed');
    expect(reporter.outputs.reason).toMatch(/ErrImagePull|ImagePullBackOff/);
    // About 10 s of following: the 5 s checks and a few deadlines, not thousands of spins.
    expect(sleeps).toBeLessThan(40);
  });
});
