/**
 * `concurrency` against the real control plane: Forbid refuses while a run is active and creates
 * nothing, two Forbid steps racing from two processes start exactly one run, Replace deletes the
 * active run with its pods before it starts the new one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api, CoordinationV1Api, V1MicroTime, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, jobsFromSource, podsOfJob, waitFor } from '../support/cluster.js';
import { runAction } from '../support/run-action.js';
import { annotationsOf, kubeconfigText, runStep, stagedAction } from '../support/runner-steps.js';
import { sourceJob } from '../support/sources.js';

let kc: KubeConfig;
let batch: BatchV1Api;
let ns: string;
const action = stagedAction();

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  ns = await createTestNamespace('conc');
});
afterAll(() => action.dispose());

const leases = async (): Promise<string[]> =>
  (await kc.makeApiClient(CoordinationV1Api).listNamespacedLease({ namespace: ns })).items.map((l) => l.metadata?.name ?? '');

describe('concurrency: Forbid', () => {
  it('fails before creating anything while a run of the source is active, naming it, who started it and when', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('migrate', { env: { SIM_DURATION: '60s' } }) });
    const first = await runAction(kc, { job: 'migrate', namespace: ns, wait: 'false' });
    expect(first.error).toBeUndefined();
    const active = first.reporter.outputs['run-id'] ?? '';

    const second = await runAction(kc, { job: 'migrate', namespace: ns, concurrency: 'Forbid' });
    expect(second.error?.message).toMatch(new RegExp(
      `^concurrency: Forbid: Job migrate already has an active run: jobs/${ns}/${active} \\(started (\\d+s|0s) ago by polysync/tests run 1001 attempt 1, https://github.com/polysync/tests/actions/runs/1001\\)\\. Nothing was created\\.`,
    ));
    expect((await jobsFromSource(kc, ns, 'migrate')).map((j) => j.metadata?.name)).toEqual([active]);
    expect(second.reporter.outputs['run-id']).toBeUndefined();
    expect(await leases()).toEqual([]); // the lock was released

    const dry = await runAction(kc, { job: 'migrate', namespace: ns, concurrency: 'Forbid', 'dry-run': 'true' });
    expect(dry.error).toBeUndefined();
    expect(dry.reporter.annotations).toContainEqual(expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^A real run would fail: concurrency: Forbid: Job migrate already has an active run/) as string }));
  });

  it('starts exactly one run when two workflows race from two processes', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('race', { env: { SIM_DURATION: '60s' } }) });
    const inputs = { job: 'race', namespace: ns, concurrency: 'Forbid', wait: 'false', kubeconfig: kubeconfigText() };
    const [a, b] = await Promise.all([runStep('main', { root: action.root, inputs }), runStep('main', { root: action.root, inputs })]);
    const runs = await jobsFromSource(kc, ns, 'race');
    expect(runs).toHaveLength(1);
    const winner = runs[0]?.metadata?.name;
    const results = [a, b].map((r) => ({ code: r.code, runId: r.outputs['run-id'] }));
    expect(results).toEqual(expect.arrayContaining([{ code: 0, runId: winner }, { code: 1, runId: undefined }]));
    const loser = a.code === 1 ? a : b;
    expect(annotationsOf(loser.commands)).toContainEqual(expect.objectContaining({
      level: 'error', message: expect.stringContaining(`already has an active run: jobs/${ns}/${winner ?? ''}`) as string,
    }));
    expect(await leases()).toEqual([]);
  });

  it('starts exactly one of three runs racing in one process (their list calls interleave)', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('race3', { env: { SIM_DURATION: '60s' } }) });
    const inputs = { job: 'race3', namespace: ns, concurrency: 'Forbid', wait: 'false' };
    const results = await Promise.all([1, 2, 3].map(() => runAction(kc, inputs)));
    const runs = await jobsFromSource(kc, ns, 'race3');
    expect(runs).toHaveLength(1);
    expect(results.map((r) => r.reporter.outputs['run-id']).filter(Boolean)).toEqual([runs[0]?.metadata?.name]);
    expect(results.filter((r) => /already has an active run/.test(r.error?.message ?? ''))).toHaveLength(2);
  });

  it('takes over the lock of a run that died between lock and create, and waits for a live one', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('orphan-lock') });
    const coordination = kc.makeApiClient(CoordinationV1Api);
    const lease = (acquired: number) => ({
      metadata: { name: 'polysync-job-orphan-lock' },
      spec: { holderIdentity: 'orphan-lock-dead1', leaseDurationSeconds: 120, acquireTime: new V1MicroTime(acquired) },
    });
    await coordination.createNamespacedLease({ namespace: ns, body: lease(Date.now() - 10 * 60_000) });
    const stale = await runAction(kc, { job: 'orphan-lock', namespace: ns, concurrency: 'Forbid' });
    expect(stale.error).toBeUndefined();
    expect(stale.reporter.lines).toContain(`Taking over the stale concurrency lock leases/${ns}/polysync-job-orphan-lock (holder orphan-lock-dead1).`);
    expect(await leases()).toEqual([]);

    // A fresh lock: the run waits (and says for whom) until the holder releases it.
    await coordination.createNamespacedLease({ namespace: ns, body: lease(Date.now()) });
    setTimeout(() => void coordination.deleteNamespacedLease({ namespace: ns, name: 'polysync-job-orphan-lock' }), 2000);
    const started = Date.now();
    const waited = await runAction(kc, { job: 'orphan-lock', namespace: ns, concurrency: 'Forbid', wait: 'false' });
    expect(waited.error).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(waited.reporter.lines).toContain(`Waiting for the concurrency lock leases/${ns}/polysync-job-orphan-lock: run orphan-lock-dead1 of the same source is being started by another workflow.`);
  });
});

describe('concurrency: Replace', () => {
  it('deletes the active run, waits until its pods are gone, then runs the new one to Success', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('etl', { env: { SIM_DURATION: '60s', SIM_LOG: 'etl ran' } }) });
    const first = await runAction(kc, { job: 'etl', namespace: ns, wait: 'false' });
    const old = await batch.readNamespacedJob({ namespace: ns, name: first.reporter.outputs['run-id'] ?? '' });
    await waitFor(async () => (await podsOfJob(kc, ns, old.metadata?.uid)).length > 0, { what: 'the old run\'s pod' });

    const second = await runAction(kc, { job: 'etl', namespace: ns, concurrency: 'Replace', params: '{"SIM_DURATION":"1s"}' });
    expect(second.error).toBeUndefined();
    expect(second.reporter.outputs.status).toBe('Success');
    expect(second.reporter.lines).toContain(`concurrency: Replace: replaced jobs/${ns}/${old.metadata?.name ?? ''}.`);
    expect(await podsOfJob(kc, ns, old.metadata?.uid)).toEqual([]);
    expect((await jobsFromSource(kc, ns, 'etl')).map((j) => j.metadata?.name)).toEqual([second.reporter.outputs['run-id']]);
    expect(await leases()).toEqual([]);
  });
});
