/**
 * Kueue queues (issue 11) against the real local control plane. Kueue itself is not part of it:
 * the test plays Kueue's part on the Job (and on a Workload whose CRD it installs), as Kueue does.
 * Not tested against real Kueue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiextensionsV1Api, BatchV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, jobsFromSource, waitFor } from '../support/cluster.js';
import { limitedKubeConfig } from '../support/limited-identity.js';
import { readmeRole, readmeRoleWith } from '../support/readme-role.js';
import { RecordingReporter } from '../support/recording-reporter.js';
import { runAction } from '../support/run-action.js';
import { sourceJob } from '../support/sources.js';

let kc: KubeConfig;
let batch: BatchV1Api;
let ns: string;

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  ns = await createTestNamespace('kueue');
});

/**
 * Kueue is not part of the control plane: the test plays its part on the Job as Kueue does
 * (beyond-notes §3.2). Admission sets spec.suspend false; eviction or preemption sets it true again.
 * The action's side is real: it creates the Job suspended with the queue label and follows it.
 */
describe('Kueue queues (the test plays Kueue)', () => {
  const setSuspend = async (name: string, suspend: boolean): Promise<void> => {
    await batch.patchNamespacedJob({ namespace: ns, name, body: { spec: { suspend } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  };
  const queuedRun = async (source: string, reporter: RecordingReporter): Promise<string> => {
    let name = '';
    await waitFor(async () => {
      const [job] = await jobsFromSource(kc, ns, source);
      name = job?.metadata?.name ?? '';
      return reporter.lines.some((l) => l.startsWith(`Queued: jobs/${ns}/${name} `));
    }, { what: `a queued run of ${source}` });
    return name;
  };

  it('waits while queued, says where, runs when admitted, and re-queues after a preemption', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('queued', { env: { SIM_DURATION: '4s', SIM_TERMINATION_MESSAGE: 'done' } }) });
    const reporter = new RecordingReporter();
    const run = runAction(kc, { job: 'queued', namespace: ns, queue: 'team-a-batch', timeout: '90s' }, { reporter });
    const name = await queuedRun('queued', reporter);
    const [created] = await jobsFromSource(kc, ns, 'queued');
    expect(created?.metadata?.labels?.['kueue.x-k8s.io/queue-name']).toBe('team-a-batch');
    expect(created?.spec?.suspend).toBe(true);
    expect(reporter.lines).toContain(
      `Queued: jobs/${ns}/${name} waits in LocalQueue 'team-a-batch' of namespace ${ns} until Kueue admits it (Suspended: JobSuspended, 'Job suspended'). Waiting; the timeout includes the time queued.`);
    await new Promise((r) => setTimeout(r, 1500)); // stays queued: no Cancelled, no second queue line
    expect(reporter.lines.filter((l) => l.startsWith('Queued: '))).toHaveLength(1);
    expect(reporter.lines.some((l) => l.includes('Cancelled'))).toBe(false);

    await setSuspend(name, false); // admitted
    await waitFor(() => reporter.lines.includes('Status: Queued → Running') || reporter.lines.some((l) => /^Status: \w+ → Running$/.test(l)), { what: 'the run to start' });
    await setSuspend(name, true); // preempted: Kueue stops it and re-queues it
    await waitFor(() => reporter.lines.some((l) => l.startsWith(`Re-queued: Kueue stopped jobs/${ns}/${name} (evicted or preempted)`)), { what: 'the re-queue line' });
    await setSuspend(name, false); // re-admitted
    const { error } = await run;
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.outputs.result).toBe('done');
  });

  it('at the timeout deletes a run still queued, saying so and where', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('never-admitted') });
    const { reporter, error } = await runAction(kc, { job: 'never-admitted', namespace: ns, queue: 'full-queue', timeout: '4s' });
    const name = reporter.outputs['run-id'] ?? '';
    expect(reporter.outputs.status).toBe('Cancelled');
    expect(reporter.outputs.reason).toBe('Timeout');
    expect(error?.message).toContain(
      `The timeout of 4 s passed while jobs/${ns}/${name} was still queued in LocalQueue 'full-queue' of namespace ${ns} (not admitted); it was deleted.`);
    await waitFor(async () => batch.readNamespacedJob({ namespace: ns, name }).then((j) => j.metadata?.deletionTimestamp !== undefined, () => true), { what: `jobs/${ns}/${name} deleted` });
    // This control plane has no Kueue: the action says nothing may admit the Job.
    expect(reporter.annotations.filter((a) => a.title === 'No Kueue').map((a) => a.message)).toEqual([
      "The Job carries label kueue.x-k8s.io/queue-name, but the cluster serves no Kueue Workload API (workloads.kueue.x-k8s.io), so Kueue seems not to be installed and nothing may admit it: " +
      "it stays suspended until someone sets spec.suspend: false or the timeout passes. Remove the label (or input 'queue') where Kueue does not run."]);
  });

  it('a person suspending a running Job without a queue label still ends it Cancelled (JobSuspended)', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('paused-by-hand', { env: { SIM_DURATION: '30s' } }) });
    const reporter = new RecordingReporter();
    const run = runAction(kc, { job: 'paused-by-hand', namespace: ns, timeout: '60s' }, { reporter });
    let name = '';
    await waitFor(async () => {
      name = (await jobsFromSource(kc, ns, 'paused-by-hand'))[0]?.metadata?.name ?? '';
      return reporter.lines.some((l) => /^Status: \w+ → Running$/.test(l));
    }, { what: 'the run to start' });
    await setSuspend(name, true);
    const { error } = await run;
    expect(reporter.outputs.status).toBe('Cancelled');
    expect(reporter.outputs.reason).toBe('JobSuspended');
    expect(error?.message).toContain(`Job jobs/${ns}/${name} ended Cancelled (JobSuspended`);
    expect(reporter.lines.some((l) => l.startsWith('Queued: '))).toBe(false);
  });

  describe("with Kueue's Workload API served (the test writes the Workload as Kueue would)", () => {
    const crds = () => kc.makeApiClient(ApiextensionsV1Api);
    const custom = () => kc.makeApiClient(CustomObjectsApi);
    const WL = { group: 'kueue.x-k8s.io', version: 'v1beta2', plural: 'workloads' };
    beforeAll(async () => {
      // Only the Workload API's shape, no Kueue behind it: the test plays the controller.
      await crds().createCustomResourceDefinition({ body: {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'workloads.kueue.x-k8s.io' },
        spec: { group: 'kueue.x-k8s.io', scope: 'Namespaced', names: { plural: 'workloads', singular: 'workload', kind: 'Workload', listKind: 'WorkloadList' },
          versions: [{ name: 'v1beta2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }] },
      } });
      await waitFor(async () => { await custom().listNamespacedCustomObject({ ...WL, namespace: ns }); return true; }, { what: 'the Workload API to be served' });
    });
    afterAll(async () => {
      await crds().deleteCustomResourceDefinition({ name: 'workloads.kueue.x-k8s.io' }).catch(() => undefined);
    });

    it('says why it waits from the Workload, once per change, and that it was admitted', async () => {
      await batch.createNamespacedJob({ namespace: ns, body: sourceJob('wl-queued', { env: { SIM_DURATION: '300ms' } }) });
      const reporter = new RecordingReporter();
      const run = runAction(kc, { job: 'wl-queued', namespace: ns, queue: 'team-a-batch', timeout: '60s' }, { reporter });
      const name = await queuedRun('wl-queued', reporter);
      const uid = (await batch.readNamespacedJob({ namespace: ns, name })).metadata?.uid ?? '';
      const workload = (conditions: object[], admission?: object) => ({
        apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'Workload',
        metadata: { name: `job-${name}-1a2b3`, labels: { 'kueue.x-k8s.io/job-uid': uid } },
        spec: { queueName: 'team-a-batch' }, status: { conditions, ...(admission ? { admission } : {}) },
      });
      const waiting = { type: 'QuotaReserved', status: 'False', reason: 'WaitingForQuota', message: "couldn't assign flavors to pod set main: insufficient unused quota for cpu in flavor default, 1 more needed", lastTransitionTime: new Date().toISOString() };
      await custom().createNamespacedCustomObject({ ...WL, namespace: ns, body: workload([waiting]) });
      const waitLine = `Kueue: Workload job-${name}-1a2b3 waits (WaitingForQuota: couldn't assign flavors to pod set main: insufficient unused quota for cpu in flavor default, 1 more needed).`;
      await waitFor(() => reporter.lines.includes(waitLine), { what: 'the WaitingForQuota line', timeoutMs: 15_000 });
      await new Promise((r) => setTimeout(r, 6000)); // another look at the unchanged Workload prints nothing
      expect(reporter.lines.filter((l) => l === waitLine)).toHaveLength(1);
      // Admission, as Kueue does it: the Workload admitted, then the Job unsuspended.
      const current = await custom().getNamespacedCustomObject({ ...WL, namespace: ns, name: `job-${name}-1a2b3` }) as { metadata: object };
      await custom().replaceNamespacedCustomObject({ ...WL, namespace: ns, name: `job-${name}-1a2b3`, body: { ...workload([
        { type: 'QuotaReserved', status: 'True', reason: 'QuotaReserved', message: 'Quota reserved in ClusterQueue team-a-cq', lastTransitionTime: new Date().toISOString() },
        { type: 'Admitted', status: 'True', reason: 'Admitted', message: 'The workload is admitted', lastTransitionTime: new Date().toISOString() },
      ], { clusterQueue: 'team-a-cq' }), metadata: current.metadata } });
      await setSuspend(name, false);
      const { error } = await run;
      expect(error).toBeUndefined();
      expect(reporter.outputs.status).toBe('Success');
      expect(reporter.lines).toContain(`Kueue: Workload job-${name}-1a2b3 admitted (Admitted: The workload is admitted).`);
      expect(reporter.annotations.some((a) => a.title === 'No Kueue')).toBe(false);
    });

    it("with the README's minimal Role says once that it cannot see why; with its Kueue rule it can", async () => {
      await batch.createNamespacedJob({ namespace: ns, body: sourceJob('wl-rbac') });
      const minimal = await runAction(await limitedKubeConfig(kc, ns, 'minimal', readmeRole()), { job: 'wl-rbac', namespace: ns, queue: 'q', timeout: '4s' });
      expect(minimal.reporter.lines.filter((l) => l.startsWith('Cannot list Kueue Workloads'))).toEqual([
        `Cannot list Kueue Workloads in namespace ${ns} (forbidden), so why the Job waits (e.g. WaitingForQuota) is not shown; granting list on workloads.kueue.x-k8s.io (the Kueue rule in the README) would show it.`]);
      expect(minimal.reporter.outputs.status).toBe('Cancelled');

      const reporter = new RecordingReporter();
      const run = runAction(await limitedKubeConfig(kc, ns, 'kueue-reader', readmeRoleWith('Kueue')), { job: 'wl-rbac', namespace: ns, queue: 'q', timeout: '8s' }, { reporter });
      let name = '';
      await waitFor(async () => {
        const jobs = await jobsFromSource(kc, ns, 'wl-rbac');
        name = jobs.find((j) => !j.metadata?.deletionTimestamp && j.metadata?.name !== minimal.reporter.outputs['run-id'])?.metadata?.name ?? '';
        return name !== '';
      }, { what: 'the second run' });
      const uid = (await batch.readNamespacedJob({ namespace: ns, name })).metadata?.uid ?? '';
      await custom().createNamespacedCustomObject({ ...WL, namespace: ns, body: {
        apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'Workload', metadata: { name: `job-${name}-9z8y7`, labels: { 'kueue.x-k8s.io/job-uid': uid } },
        status: { conditions: [{ type: 'QuotaReserved', status: 'False', reason: 'ExceedsMaxQuota', message: 'requests exceed the quota' }] },
      } });
      await run;
      expect(reporter.lines).toContain(`Kueue: Workload job-${name}-9z8y7 waits (ExceedsMaxQuota: requests exceed the quota).`);
      expect(reporter.lines.some((l) => l.startsWith('Cannot list Kueue Workloads'))).toBe(false);
    });
  });
});
