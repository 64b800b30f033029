/**
 * `attach` against the real control plane: a `wait: false` run followed later gives the same
 * outputs and summary as a waited run, with its logs printed once; a finished run is reported at
 * once; a cancel deletes the attached run; Jobs this action did not create are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, waitFor } from '../support/cluster.js';
import { runAction } from '../support/run-action.js';
import { annotationsOf, kubeconfigText, runStep, stagedAction, start } from '../support/runner-steps.js';
import { sourceCronJob, sourceJob } from '../support/sources.js';
import { killNow } from '../../scripts/lib/runner.mjs';

let kc: KubeConfig;
let batch: BatchV1Api;
let ns: string;
const action = stagedAction();

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  ns = await createTestNamespace('attach');
});
afterAll(() => action.dispose());

/** Outputs that differ between two runs of the same source only by name and time. */
function comparable(outputs: Record<string, string>): Record<string, string> {
  const { 'run-id': _r, 'start-time': _s, 'completion-time': _c, 'duration-seconds': _d, ...rest } = outputs;
  return rest;
}

const lines = (log: readonly string[], line: string): number => log.filter((l) => l === line).length;

describe('attach', () => {
  it('follows a wait: false run to its end with the outputs and summary of a waited run, logs printed once', async () => {
    const env = { SIM_LOG: 'step one|step two', SIM_LOG_INTERVAL: '400ms', SIM_TERMINATION_MESSAGE: '{"rows":7}' };
    await batch.createNamespacedCronJob({ namespace: ns, body: sourceCronJob('nightly', { env }) });
    const waited = await runAction(kc, { cronjob: 'nightly', namespace: ns });
    expect(waited.error).toBeUndefined();

    const submitted = await runAction(kc, { cronjob: 'nightly', namespace: ns, wait: 'false' });
    const runId = submitted.reporter.outputs['run-id'] ?? '';
    const attached = await runAction(kc, { attach: runId, namespace: ns });
    expect(attached.error).toBeUndefined();
    expect(attached.reporter.outputs['run-id']).toBe(runId);
    expect(comparable(attached.reporter.outputs)).toEqual(comparable(waited.reporter.outputs));
    expect(attached.reporter.outputs).toMatchObject({ status: 'Success', result: '{"rows":7}' });
    expect([lines(attached.reporter.lines, 'step one'), lines(attached.reporter.lines, 'step two')]).toEqual([1, 1]);
    expect(lines(submitted.reporter.lines, 'step one')).toBe(0);
    // The summary names the real source (from the run's labels), as a waited run's does.
    expect(attached.reporter.summary).toContain('CronJob `nightly`');
    expect(attached.reporter.summary).toContain(runId);
    expect(attached.reporter.state).toMatchObject({ 'job-name': runId, 'job-finished': 'true' });
  });

  it('reports a run that already finished at once, with its logs and result', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('quick', { env: { SIM_LOG: 'done quickly', SIM_TERMINATION_MESSAGE: 'ok' } }) });
    const first = await runAction(kc, { job: 'quick', namespace: ns });
    const runId = first.reporter.outputs['run-id'] ?? '';
    const started = Date.now();
    const attached = await runAction(kc, { attach: runId, namespace: ns });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(attached.error).toBeUndefined();
    expect(comparable(attached.reporter.outputs)).toEqual(comparable(first.reporter.outputs));
    expect(attached.reporter.outputs['start-time']).toBe(first.reporter.outputs['start-time']);
    expect(attached.reporter.lines).toContain('done quickly');
  });

  it('fails the step for a failed run, as a waited run would', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('crash', { env: { SIM_EXIT_CODE: '3', SIM_DURATION: '1s' } }) });
    const submitted = await runAction(kc, { job: 'crash', namespace: ns, wait: 'false' });
    const attached = await runAction(kc, { attach: submitted.reporter.outputs['run-id'] ?? '', namespace: ns });
    expect(attached.reporter.outputs).toMatchObject({ status: 'Failed', 'exit-code': '3' });
    expect(attached.error?.message).toMatch(/Failed/);
  });

  it('deletes the attached run when the step is cancelled', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('long', { env: { SIM_DURATION: '60s' } }) });
    const submitted = await runAction(kc, { job: 'long', namespace: ns, wait: 'false' });
    const runId = submitted.reporter.outputs['run-id'] ?? '';
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 1500);
    const attached = await runAction(kc, { attach: runId, namespace: ns }, { signal: controller.signal });
    expect(attached.reporter.outputs).toMatchObject({ status: 'Cancelled', reason: 'WorkflowCancelled' });
    await waitFor(async () => batch.readNamespacedJob({ namespace: ns, name: runId }).then(() => false, () => true), { what: `jobs/${ns}/${runId} deleted` });
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['a Job this action did not create', async () => {
      await batch.createNamespacedJob({ namespace: ns, body: sourceJob('hand-made') });
      return 'hand-made';
    }, /^jobs\/attach-[0-9a-f]+\/hand-made was not created by this action \(it lacks the label app\.kubernetes\.io\/managed-by=polysync-aks-action/],
    ['a Job that does not exist', () => Promise.resolve('gone-x2b4c'), /^Run jobs\/attach-[0-9a-f]+\/gone-x2b4c was not found\. Check input 'attach'/],
  ])('refuses %s with a clear error, creating nothing', async (_, name, message) => {
    const target = await name();
    const before = (await batch.listNamespacedJob({ namespace: ns })).items.length;
    const { error, reporter } = await runAction(kc, { attach: target, namespace: ns });
    expect(error?.message).toMatch(message);
    expect(reporter.state).toEqual({});
    expect((await batch.listNamespacedJob({ namespace: ns })).items).toHaveLength(before);
  });
});

describe('attach, as the runner starts the steps', () => {
  it('follows a run a wait: false step submitted, in a later step', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('report', { env: { SIM_LOG: 'report line', SIM_DURATION: '2s' } }) });
    const common = { namespace: ns, kubeconfig: kubeconfigText() };
    const submit = await runStep('main', { root: action.root, inputs: { ...common, job: 'report', wait: 'false' } });
    expect({ code: submit.code, stdout: submit.code === 0 ? '' : submit.stdout + submit.stderr }).toEqual({ code: 0, stdout: '' });
    const runId = submit.outputs['run-id'] ?? '';
    const follow = await runStep('main', { root: action.root, inputs: { ...common, attach: runId } });
    expect({ code: follow.code, stdout: follow.code === 0 ? '' : follow.stdout + follow.stderr }).toEqual({ code: 0, stdout: '' });
    expect(follow.outputs).toMatchObject({ 'run-id': runId, status: 'Success', succeeded: '1' });
    expect(follow.stdout.split('\n').filter((l) => l === 'report line')).toHaveLength(1);
    expect(submit.stdout).not.toContain('report line');
    expect(follow.summary).toContain(runId);
  });

  it('deletes the attached run in the post step when the attach step dies without a word', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('slow', { env: { SIM_DURATION: '60s' } }) });
    const common = { namespace: ns, kubeconfig: kubeconfigText() };
    const submit = await runStep('main', { root: action.root, inputs: { ...common, job: 'slow', wait: 'false' } });
    const runId = submit.outputs['run-id'] ?? '';
    const started = start('main', { root: action.root, inputs: { ...common, attach: runId } });
    await waitFor(() => started.output().includes('Attached to'), { what: 'the attach step to attach' });
    await killNow(started.child, started.done);
    expect((await batch.readNamespacedJob({ namespace: ns, name: runId })).metadata?.deletionTimestamp).toBeUndefined();
    const post = await runStep('post', { root: action.root, inputs: common, files: started.files });
    expect(post.code).toBe(0);
    expect(annotationsOf(post.commands)).toContainEqual(expect.objectContaining({ level: 'warning', title: 'Unfinished Job deleted' }));
    await waitFor(async () => batch.readNamespacedJob({ namespace: ns, name: runId }).then(() => false, () => true), { what: `jobs/${ns}/${runId} deleted` });
  });
});
