/**
 * The product's main flow against the real local control plane: clone, overlay, submit, follow,
 * report. Every assertion is about what a user sees: the Job in the cluster, outputs, log, messages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, jobsFromSource, podsOfJob } from '../support/cluster.js';
import { RecordingReporter } from '../support/recording-reporter.js';
import { runAction } from '../support/run-action.js';
import { sourceCronJob, sourceJob } from '../support/sources.js';
import { Annotation } from '../../src/core/names.js';

let kc: KubeConfig;
let batch: BatchV1Api;
let ns: string;

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  ns = await createTestNamespace('run');
});

const jobsOf = (source: string) => jobsFromSource(kc, ns, source);

describe('run a CronJob with params', () => {
  it('clones the jobTemplate, overlays env, follows it to Success and reports the result', async () => {
    await batch.createNamespacedCronJob({
      namespace: ns,
      body: sourceCronJob('nightly-etl', {
        env: { RUN_DATE: 'yesterday', DRY_RUN: 'true', SIM_TERMINATION_MESSAGE: '{"rows":1234}' },
      }),
    });
    const before = await batch.readNamespacedCronJob({ namespace: ns, name: 'nightly-etl' });
    const { reporter, error } = await runAction(kc, {
      cronjob: 'nightly-etl',
      namespace: ns,
      params: '{"RUN_DATE":"2026-11-21","DRY_RUN":false}',
    });
    expect(error).toBeUndefined();
    const o = reporter.outputs;
    expect(o.status).toBe('Success');
    expect(o.result).toBe('{"rows":1234}');
    expect(o.succeeded).toBe('1');
    expect(o['run-id']).toMatch(/^nightly-etl-[a-z0-9]{5}$/);
    // The pod simulator logs its env: the overlay reached the container.
    expect(reporter.lines).toContain('RUN_DATE=2026-11-21');
    expect(reporter.lines).toContain('DRY_RUN=false');

    const [job] = await jobsOf('nightly-etl');
    expect(job?.metadata?.name).toBe(o['run-id']);
    expect(job?.metadata?.annotations?.[Annotation.cronjobInstantiate]).toBe('manual');
    expect(job?.metadata?.annotations?.[Annotation.runId]).toBe('1001');
    expect(job?.metadata?.ownerReferences).toEqual([
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly-etl', uid: before.metadata?.uid, controller: true },
    ]);
    const after = await batch.readNamespacedCronJob({ namespace: ns, name: 'nightly-etl' });
    // Only the CronJob controller's status bookkeeping changed (status.active), never the spec.
    expect(after.metadata?.generation).toBe(before.metadata?.generation);
    expect(after.spec).toEqual(before.spec);
    expect(reporter.summary).toContain(o['run-id']);
    expect(reporter.summary).toContain('Success');
  });

  it('still reports Success when successfulJobsHistoryLimit: 0 makes the CronJob controller delete the run at once', async () => {
    await batch.createNamespacedCronJob({ namespace: ns, body: sourceCronJob('no-history', { successfulJobsHistoryLimit: 0 }) });
    const { reporter, error } = await runAction(kc, { cronjob: 'no-history', namespace: ns });
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
  });

  it('notices that an unsuspended CronJob keeps firing on its schedule', async () => {
    await batch.createNamespacedCronJob({ namespace: ns, body: sourceCronJob('live-schedule', { suspend: false }) });
    const { reporter } = await runAction(kc, { cronjob: 'live-schedule', namespace: ns });
    expect(reporter.annotations.some((a) => a.level === 'notice' && a.message.includes('keeps firing'))).toBe(true);
    expect(reporter.outputs.status).toBe('Success');
  });
});

describe('run a Job', () => {
  it('runs a clone of a suspended template Job and leaves the template untouched', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('template', { env: { MODE: 'full' } }) });
    const { reporter, error } = await runAction(kc, { job: 'template', namespace: ns, params: '{"MODE":"incremental"}' });
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.lines).toContain('MODE=incremental');
    const template = await batch.readNamespacedJob({ namespace: ns, name: 'template' });
    expect(template.spec?.suspend).toBe(true);
    expect(await podsOfJob(kc, ns, template.metadata?.uid)).toHaveLength(0);
  });

  it('overlays a var that had valueFrom: the value replaces valueFrom', async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: sourceJob('with-secret', {
        extraEnv: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
      }),
    });
    const { reporter, error } = await runAction(kc, { job: 'with-secret', namespace: ns, params: '{"DB_PASSWORD":"from-the-workflow"}' });
    expect(error).toBeUndefined();
    const job = await batch.readNamespacedJob({ namespace: ns, name: reporter.outputs['run-id'] ?? '' });
    expect(job.spec?.template.spec?.containers[0]?.env).toContainEqual({ name: 'DB_PASSWORD', value: 'from-the-workflow' });
  });

  it('gives a 60-character source a valid run name of at most 63 characters', async () => {
    const long = 'a'.repeat(20) + '-migration-' + 'b'.repeat(29);
    expect(long).toHaveLength(60);
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob(long) });
    const { reporter, error } = await runAction(kc, { job: long, namespace: ns });
    expect(error).toBeUndefined();
    const name = reporter.outputs['run-id'] ?? '';
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(reporter.outputs.status).toBe('Success');
  });

  it('runs an Indexed Job to Success, with each pod log prefixed by its pod name', async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: sourceJob('indexed', { spec: { completionMode: 'Indexed', completions: 3, parallelism: 3 }, env: { SIM_LOG: 'shard done' } }),
    });
    const { reporter, error } = await runAction(kc, { job: 'indexed', namespace: ns });
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.outputs.succeeded).toBe('3');
    const prefixed = reporter.lines.filter((l) => /^\[indexed-[a-z0-9]{5}-[0-2]-[a-z0-9]{5}\] shard done$/.test(l));
    expect(prefixed).toHaveLength(3);
    expect(reporter.lines.some((l) => l.includes('0-2'))).toBe(true); // completed indexes in the progress line
    // A reporter without Mermaid (as Azure DevOps) gets the timeline as a table: one row per index.
    const rows = reporter.summary.split('\n').filter((l) => /^\| indexed-[a-z0-9]{5}-([0-2])-[a-z0-9]{5} \| \1 \| \+\d+s \| \d+s \| ✅ succeeded \|$/.test(l));
    expect(rows).toHaveLength(3);
  });

  it('reconstructs the fallback Job when the source no longer exists', async () => {
    const { reporter, error } = await runAction(kc, {
      job: 'deleted-long-ago',
      namespace: ns,
      'fallback-image': 'busybox:1.36',
      'fallback-command': '["sh","-c"]',
      'fallback-args': '["echo restored"]',
      params: '{"SIM_TERMINATION_MESSAGE":"restored"}',
    });
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.outputs.result).toBe('restored');
    expect(reporter.annotations.some((a) => a.title === 'Source job not found')).toBe(true);
  });

  it('validates server-side with dry-run and creates nothing', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('dry') });
    const { reporter, error } = await runAction(kc, { job: 'dry', namespace: ns, 'dry-run': 'true' });
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('DryRun');
    expect(reporter.text()).toContain('kind: Job');
    expect(await jobsOf('dry')).toHaveLength(0);
  });

  it('submits without waiting when wait is false', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('fire-and-forget', { env: { SIM_DURATION: '1s' } }) });
    const { reporter, error } = await runAction(kc, { job: 'fire-and-forget', namespace: ns, wait: 'false' });
    expect(error).toBeUndefined();
    expect(reporter.outputs['run-id']).toMatch(/^fire-and-forget-/);
    expect(await jobsOf('fire-and-forget')).toHaveLength(1);
  });

  it('sets activeDeadlineSeconds from timeout and the default TTL when the source has none', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('deadline-from-timeout') });
    const { reporter } = await runAction(kc, { job: 'deadline-from-timeout', namespace: ns, timeout: '10m' });
    const job = await batch.readNamespacedJob({ namespace: ns, name: reporter.outputs['run-id'] ?? '' });
    expect(job.spec?.activeDeadlineSeconds).toBe(600);
    expect(job.spec?.ttlSecondsAfterFinished).toBe(86400);
    expect(job.spec?.suspend).toBe(false);
  });
});

describe('logs', () => {
  it('streams the logs of retried pods too, each prefixed once several pods exist', async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: sourceJob('flaky', { env: { SIM_FAIL_ATTEMPTS: '1', SIM_LOG: 'attempting' }, spec: { backoffLimit: 2 } }),
    });
    // As GitHub's reporter: the summary renders Mermaid, so the timeline is a gantt block.
    const mermaid = new (class extends RecordingReporter { readonly rendersMermaid = true; })();
    const { reporter, error } = await runAction(kc, { job: 'flaky', namespace: ns }, { reporter: mermaid });
    expect(error).toBeUndefined();
    expect(reporter.outputs).toMatchObject({ status: 'Success', failed: '1', succeeded: '1' });
    expect(reporter.lines.filter((l) => l.endsWith('attempting'))).toHaveLength(2);
    expect(reporter.summary).toMatch(
      /\n {2}section Pods\n {2}flaky-[a-z0-9]{5}-[a-z0-9]{5} \(exit 1[^)]*\) :crit, \d{13}, \d{13}\n {2}flaky-[a-z0-9]{5}-[a-z0-9]{5} :\d{13}, \d{13}\n```\n/,
    );
  });

  it('streams every pod of a wide Job, never more at once than max-log-streams', async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: sourceJob('wide', { env: { SIM_LOG: 'one|two', SIM_LOG_INTERVAL: '300ms' }, spec: { parallelism: 5, completions: 5 } }),
    });
    const { KubeJobCluster } = await import('../../src/kubernetes/job-cluster.js');
    // eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied below with the instance as `this`
    const followLog = KubeJobCluster.prototype.followLog;
    let open = 0;
    let peak = 0;
    KubeJobCluster.prototype.followLog = async function (this: InstanceType<typeof KubeJobCluster>, ...args: Parameters<typeof followLog>) {
      peak = Math.max(peak, ++open);
      try {
        return await followLog.apply(this, args);
      } finally {
        open--;
      }
    };
    try {
      const { reporter, error } = await runAction(kc, { job: 'wide', namespace: ns, 'max-log-streams': '2' });
      expect(error).toBeUndefined();
      expect(reporter.lines.filter((l) => /^\[wide-[a-z0-9]{5}-[a-z0-9]{5}\] two$/.test(l))).toHaveLength(5);
      expect(peak).toBe(2);
    } finally {
      KubeJobCluster.prototype.followLog = followLog;
    }
  });
});

describe('overrides and quiet runs', () => {
  it('replaces container[0] image, and follow-logs false prints no pod log', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('migrate', { env: { SIM_LOG: 'migrating schema' } }) });
    const { reporter, error } = await runAction(kc, { job: 'migrate', namespace: ns, image: 'registry.example.com/batch:2.0', 'follow-logs': 'false' });
    expect(error).toBeUndefined();
    const job = await batch.readNamespacedJob({ namespace: ns, name: reporter.outputs['run-id'] ?? '' });
    expect(job.spec?.template.spec?.containers[0]?.image).toBe('registry.example.com/batch:2.0');
    expect(reporter.lines).not.toContain('migrating schema');
    expect(reporter.outputs.status).toBe('Success');
  });

  it('cancelled before the create: a clear message and no Job', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('never') });
    const controller = new AbortController();
    controller.abort('SIGINT');
    const { error } = await runAction(kc, { job: 'never', namespace: ns }, { signal: controller.signal });
    expect(error?.message).toBe('Stopped before submitting: the workflow was cancelled (SIGINT). No Job was created.');
    expect(await jobsOf('never')).toHaveLength(0);
  });
});
