/**
 * Kueue queues (issue 11) against the real Kueue v0.15.0 manager on a control plane of its own
 * (`localcluster --kueue`): its webhook suspends the queued Job, its scheduler admits, preempts and
 * re-admits Workloads by the ClusterQueue's quota. The tests only create the queue objects and
 * change quotas, as an operator would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, jobsFromSource, waitFor } from '../support/cluster.js';
import { createPriorityClass, createQueue, kueueNamespace, setCpuQuota, startKueueCluster, workloadsOf, type KueueCluster } from '../support/kueue-cluster.js';
import { limitedKubeConfig } from '../support/limited-identity.js';
import { readmeRole } from '../support/readme-role.js';
import { RecordingReporter } from '../support/recording-reporter.js';
import { runAction } from '../support/run-action.js';
import { annotationsOf, runStep, stagedAction } from '../support/runner-steps.js';
import { sourceJob } from '../support/sources.js';

let cluster: KueueCluster;
let kc: KubeConfig;
let batch: BatchV1Api;
let ns: string;

beforeAll(async () => {
  cluster = await startKueueCluster();
  console.log(`localcluster --kueue: READY after ${cluster.startMs} ms`);
  kc = cluster.kc;
  batch = kc.makeApiClient(BatchV1Api);
  ns = await kueueNamespace(kc, 'kueue');
}, 180_000);
afterAll(async () => cluster?.stop());

/** The run's Job (the clone the action made from `source`) once it exists. */
async function runJobOf(source: string, except: string[] = []): Promise<{ name: string; uid: string }> {
  let found = { name: '', uid: '' };
  await waitFor(async () => {
    const job = (await jobsFromSource(kc, ns, source)).find((j) => !except.includes(j.metadata?.name ?? ''));
    found = { name: job?.metadata?.name ?? '', uid: job?.metadata?.uid ?? '' };
    return found.name !== '';
  }, { what: `the run of ${source}` });
  return found;
}

async function workloadOf(uid: string): Promise<string> {
  let name = '';
  await waitFor(async () => {
    name = (await workloadsOf(kc, ns, uid))[0]?.metadata.name ?? '';
    return name !== '';
  }, { what: `the Workload of Job ${uid}` });
  return name;
}

const kueueLines = (r: RecordingReporter) => r.lines.filter((l) => l.startsWith('Kueue: '));

describe('the real Kueue', () => {
  it('holds the run while its ClusterQueue has no quota, says why once, and runs it when the quota is raised', async () => {
    const clusterQueue = await createQueue(kc, ns, 'no-quota', '0');
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('wait-quota', { env: { SIM_TERMINATION_MESSAGE: 'done' } }) });
    const reporter = new RecordingReporter();
    const run = runAction(kc, { job: 'wait-quota', namespace: ns, queue: 'no-quota', timeout: '90s' }, { reporter });
    const { name, uid } = await runJobOf('wait-quota');
    const workload = await workloadOf(uid);
    const why = `Kueue: Workload ${workload} waits (Pending: couldn't assign flavors to pod set main: insufficient quota for cpu in flavor default-flavor, ` +
      'previously considered podsets requests (0) + current podset request (10m) > maximum capacity (0)).';
    await waitFor(() => reporter.lines.includes(why), { what: 'the line saying why it waits', timeoutMs: 20_000 });
    expect(reporter.lines).toContain(
      `Queued: jobs/${ns}/${name} waits in LocalQueue 'no-quota' of namespace ${ns} until Kueue admits it (Suspended: JobSuspended, 'Job suspended'). Waiting; the timeout includes the time queued.`);
    // Kueue's webhook suspended it and labelled it; Kueue keeps re-evaluating, the log stays quiet.
    const held = await batch.readNamespacedJob({ namespace: ns, name });
    expect(held.spec?.suspend).toBe(true);
    expect(held.metadata?.labels?.['kueue.x-k8s.io/queue-name']).toBe('no-quota');
    await new Promise((r) => setTimeout(r, 6000));
    expect(kueueLines(reporter)).toEqual([why]);
    expect(reporter.lines.filter((l) => l.startsWith('Queued: '))).toHaveLength(1);

    await setCpuQuota(kc, clusterQueue, '1');
    const { error } = await run;
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.outputs.result).toBe('done');
    expect(reporter.lines).toContain(`Kueue: Workload ${workload} admitted (Admitted: The workload is admitted).`);
    expect(reporter.lines.indexOf('Status: Queued → Running')).toBeGreaterThan(reporter.lines.indexOf(why));
    expect(reporter.annotations.filter((a) => a.title === 'No Kueue')).toEqual([]);
  });

  it('with room for one, the second run is Queued until the first has finished, then both succeed', async () => {
    await createQueue(kc, ns, 'room-for-one', '10m');
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('one-slot', { env: { SIM_DURATION: '4s' } }) });
    const first = new RecordingReporter();
    const firstRun = runAction(kc, { job: 'one-slot', namespace: ns, queue: 'room-for-one', timeout: '90s' }, { reporter: first });
    await waitFor(() => first.lines.includes('Status: Queued → Running') || first.lines.some((l) => /^Status: \w+ → Running$/.test(l)), { what: 'the first run to start' });
    const firstJob = first.outputs['run-id'] ?? (await runJobOf('one-slot')).name;
    const second = new RecordingReporter();
    const secondRun = runAction(kc, { job: 'one-slot', namespace: ns, queue: 'room-for-one', timeout: '90s' }, { reporter: second });
    const { uid } = await runJobOf('one-slot', [firstJob]);
    const workload = await workloadOf(uid);
    await waitFor(() => kueueLines(second).length > 0, { what: 'the second run to say why it waits', timeoutMs: 20_000 });
    expect(kueueLines(second)[0]).toBe(`Kueue: Workload ${workload} waits (Pending: couldn't assign flavors to pod set main: insufficient unused quota for cpu in flavor default-flavor, 10m more needed).`);
    const [a, b] = await Promise.all([firstRun, secondRun]);
    expect([a.error, b.error]).toEqual([undefined, undefined]);
    expect([first.outputs.status, second.outputs.status]).toEqual(['Success', 'Success']);
    expect(second.lines).toContain(`Kueue: Workload ${workload} admitted (Admitted: The workload is admitted).`);
    // Admitted only after the first had finished: its Job completed before the second started.
    const firstDone = (await batch.readNamespacedJob({ namespace: ns, name: firstJob })).status?.completionTime;
    const secondStart = (await batch.readNamespacedJob({ namespace: ns, name: second.outputs['run-id'] ?? '' })).status?.startTime;
    expect(new Date(secondStart ?? 0).getTime()).toBeGreaterThanOrEqual(new Date(firstDone ?? Date.now()).getTime() - 1000);
  });

  it('a higher-priority Workload preempts the run: it is printed, the run waits, is re-admitted and succeeds', async () => {
    await createQueue(kc, ns, 'preempting', '10m');
    await createPriorityClass(kc, 'urgent', 1000);
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('preempted', { env: { SIM_DURATION: '8s' } }) });
    const reporter = new RecordingReporter();
    const run = runAction(kc, { job: 'preempted', namespace: ns, queue: 'preempting', timeout: '120s' }, { reporter });
    await waitFor(() => reporter.lines.includes('Status: Queued → Running'), { what: 'the run to start' });
    const { name, uid } = await runJobOf('preempted');
    const workload = await workloadOf(uid);
    // Someone else's urgent Job in the same ClusterQueue.
    const urgent = sourceJob('urgent', { env: { SIM_DURATION: '2s' }, spec: { suspend: false } });
    urgent.metadata = { name: 'urgent', labels: { 'kueue.x-k8s.io/queue-name': 'preempting', 'kueue.x-k8s.io/priority-class': 'urgent' } };
    await batch.createNamespacedJob({ namespace: ns, body: urgent });
    await waitFor(() => reporter.lines.some((l) => l.startsWith(`Re-queued: Kueue stopped jobs/${ns}/${name} (evicted or preempted)`)), { what: 'the re-queue line', timeoutMs: 20_000 });
    const { error } = await run;
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    const lines = kueueLines(reporter);
    const evicted = lines.findIndex((l) => l.startsWith(`Kueue: Workload ${workload} evicted (Preempted: `));
    expect(evicted, lines.join('\n')).toBeGreaterThanOrEqual(0);
    expect(lines.slice(evicted + 1).some((l) => l === `Kueue: Workload ${workload} admitted (Admitted: The workload is admitted).`), lines.join('\n')).toBe(true);
    // The urgent Job ran while ours waited.
    expect((await batch.readNamespacedJob({ namespace: ns, name: 'urgent' })).status?.succeeded).toBe(1);
  });

  it('at the timeout deletes a run still queued, saying so and where', async () => {
    await createQueue(kc, ns, 'full', '0');
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('never-admitted') });
    const { reporter, error } = await runAction(kc, { job: 'never-admitted', namespace: ns, queue: 'full', timeout: '6s' });
    const name = reporter.outputs['run-id'] ?? '';
    expect(reporter.outputs.status).toBe('Cancelled');
    expect(reporter.outputs.reason).toBe('Timeout');
    expect(error?.message).toContain(
      `The timeout of 6 s passed while jobs/${ns}/${name} was still queued in LocalQueue 'full' of namespace ${ns} (not admitted); it was deleted.`);
    await waitFor(async () => batch.readNamespacedJob({ namespace: ns, name }).then(() => false, () => true), { what: `jobs/${ns}/${name} deleted` });
    expect(kueueLines(reporter).some((l) => l.includes('waits (Pending: '))).toBe(true);
    expect(reporter.annotations.filter((a) => a.title === 'No Kueue')).toEqual([]);
  });

  it('a person suspending a running Job without a queue label still ends it Cancelled (JobSuspended)', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('paused-by-hand', { env: { SIM_DURATION: '30s' } }) });
    const reporter = new RecordingReporter();
    const run = runAction(kc, { job: 'paused-by-hand', namespace: ns, timeout: '60s' }, { reporter });
    await waitFor(() => reporter.lines.some((l) => /^Status: \w+ → Running$/.test(l)), { what: 'the run to start' });
    const { name } = await runJobOf('paused-by-hand');
    // Kueue (manageJobsWithoutQueueName: false) leaves it alone: no Workload, not suspended by it.
    expect((await batch.readNamespacedJob({ namespace: ns, name })).spec?.suspend).toBe(false);
    await batch.patchNamespacedJob({ namespace: ns, name, body: { spec: { suspend: true } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const { error } = await run;
    expect(reporter.outputs.status).toBe('Cancelled');
    expect(reporter.outputs.reason).toBe('JobSuspended');
    expect(error?.message).toContain(`Job jobs/${ns}/${name} ended Cancelled (JobSuspended`);
    expect(reporter.lines.some((l) => l.startsWith('Queued: ') || l.startsWith('Kueue: '))).toBe(false);
  });
});

describe("the real Kueue, with the README's minimal Role (no Workload rule)", () => {
  it("follows Kueue's events instead and says once what the Workload rule would add", async () => {
    const clusterQueue = await createQueue(kc, ns, 'minimal-role', '0');
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('wl-rbac') });
    const reporter = new RecordingReporter();
    const run = runAction(await limitedKubeConfig(kc, ns, 'minimal', readmeRole()), { job: 'wl-rbac', namespace: ns, queue: 'minimal-role', timeout: '90s' }, { reporter });
    const { uid } = await runJobOf('wl-rbac');
    const workload = await workloadOf(uid);
    const why = `Kueue: Workload ${workload} waits (Pending: couldn't assign flavors to pod set main: insufficient quota for cpu in flavor default-flavor, ` +
      'previously considered podsets requests (0) + current podset request (10m) > maximum capacity (0)) (from its events).';
    await waitFor(() => reporter.lines.includes(why), { what: 'the line from the Workload\'s events', timeoutMs: 20_000 });
    await setCpuQuota(kc, clusterQueue, '1');
    const { error } = await run;
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.lines.filter((l) => l.startsWith('Cannot list Kueue Workloads'))).toEqual([
      `Cannot list Kueue Workloads in namespace ${ns} (forbidden), so the run follows Kueue's events instead, which are sampled and may be missed; ` +
      "granting list on workloads.kueue.x-k8s.io (the Kueue rule in the README) would show the Workload's conditions as they change (why it waits, admission, eviction)."]);
    expect(kueueLines(reporter)).toContain(`Kueue: Workload ${workload} waits (Pending: couldn't assign flavors to pod set main: insufficient quota for cpu in flavor default-flavor, ` +
      'previously considered podsets requests (0) + current podset request (10m) > maximum capacity (0)) (from its events).');
    expect(kueueLines(reporter)).toContain(`Kueue: Workload ${workload} admitted (Admitted: Admitted by ClusterQueue ${clusterQueue}, wait time since reservation was 0s) (from its events).`);
  });
});

describe('the bundled action, as the runner runs it', () => {
  let action: ReturnType<typeof stagedAction>;
  beforeAll(() => {
    action = stagedAction();
  });
  afterAll(() => action?.dispose());

  it('a queued run says why it waits, is admitted when the quota is raised, and succeeds', async () => {
    const clusterQueue = await createQueue(kc, ns, 'bundle', '0');
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('bundled-queued') });
    const raise = (async () => {
      const { uid } = await runJobOf('bundled-queued');
      await workloadOf(uid);
      await new Promise((r) => setTimeout(r, 3000));
      await setCpuQuota(kc, clusterQueue, '1');
    })();
    const main = await runStep('main', { root: action.root, inputs: { job: 'bundled-queued', namespace: ns, kubeconfig: cluster.kubeconfigText, queue: 'bundle', timeout: '90s' } });
    await raise;
    expect(main.code).toBe(0);
    expect(main.outputs.status).toBe('Success');
    const runId = main.outputs['run-id'] ?? '';
    const stdout = main.stdout.split('\n');
    expect(stdout).toContain(`Queued: jobs/${ns}/${runId} waits in LocalQueue 'bundle' of namespace ${ns} until Kueue admits it (Suspended: JobSuspended, 'Job suspended'). Waiting; the timeout includes the time queued.`);
    expect(stdout.some((l) => /^Kueue: Workload \S+ waits \(Pending: couldn't assign flavors to pod set main: insufficient quota for cpu/.test(l))).toBe(true);
    expect(stdout.some((l) => /^Kueue: Workload \S+ admitted \(Admitted: The workload is admitted\)\.$/.test(l))).toBe(true);
    expect(annotationsOf(main.commands).filter((a) => a.level !== 'notice')).toEqual([]);
  });
});

describe('a cluster without Kueue (the shared control plane)', () => {
  it('warns once that nothing may admit the labelled Job, and deletes it at the timeout', async () => {
    const plain = adminKubeConfig();
    const namespace = await createTestNamespace('no-kueue');
    await plain.makeApiClient(BatchV1Api).createNamespacedJob({ namespace, body: sourceJob('no-kueue') });
    const { reporter, error } = await runAction(plain, { job: 'no-kueue', namespace, queue: 'team-a', timeout: '4s' });
    expect(reporter.outputs.status).toBe('Cancelled');
    expect(error?.message).toContain(`was still queued in LocalQueue 'team-a' of namespace ${namespace} (not admitted); it was deleted.`);
    expect(reporter.annotations.filter((a) => a.title === 'No Kueue').map((a) => a.message)).toEqual([
      'The Job carries label kueue.x-k8s.io/queue-name, but the cluster serves no Kueue Workload API (workloads.kueue.x-k8s.io), so Kueue seems not to be installed and nothing may admit it: ' +
      "it stays suspended until someone sets spec.suspend: false or the timeout passes. Remove the label (or input 'queue') where Kueue does not run."]);
  });
});
