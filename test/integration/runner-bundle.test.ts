/**
 * The shipped artifact, started as the GitHub runner starts it: `node24 dist/<step>/index.js` from a
 * copy of the action with no node_modules, INPUT_* with action.yml's defaults, the file commands,
 * the context variables, STATE_* into the post step. Everything asserted is what the runner reads
 * back: exit code, workflow commands on stdout, the output / state / summary files.
 */
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Annotation } from '../../src/core/names.js';
import { adminKubeConfig, createTestNamespace, jobsFromSource } from '../support/cluster.js';
import { annotationsOf, groupsOf, kubeconfigText, leaksOf, runStep, stagedAction } from '../support/runner-steps.js';
import { sourceCronJob, sourceJob } from '../support/sources.js';

let kc: KubeConfig;
let batch: BatchV1Api;
let ns: string;
let kubeconfig: string;
let token: string;
let action: ReturnType<typeof stagedAction>;

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  ns = await createTestNamespace('runner');
  kubeconfig = kubeconfigText();
  token = kc.getCurrentUser()?.token ?? '';
  action = stagedAction();
});
afterAll(() => action?.dispose());

const jobsOf = (source: string) => jobsFromSource(kc, ns, source);

describe('the bundled main and post steps, as the runner runs them', () => {
  it('pod output cannot issue workflow commands, and a log stream the server ends early is resumed (#16 items 1, 2)', async () => {
    const podLines = [
      '::warning title=pod::from the pod', '::add-mask::visible-word', '::stop-commands::pwned', '::error::pod error',
      '::save-state name=x::y', '##[error]legacy', 'visible-word', 'after',
    ];
    await batch.createNamespacedJob({
      namespace: ns,
      body: sourceJob('noisy', { env: { SIM_LOG: podLines.join('|'), SIM_LOG_INTERVAL: '150ms', SIM_LOG_CUT_AFTER: '3', SIM_EXIT_CODE: '3' } }),
    });
    const main = await runStep('main', { root: action.root, inputs: { job: 'noisy', namespace: ns, kubeconfig, timeout: '5m' } });

    expect(main.code).toBe(1);
    const stdoutLines = main.stdout.split('\n');
    for (const line of podLines) expect(stdoutLines.filter((l) => l === line), line).toHaveLength(1);
    // The runner acts on the action's own commands only: its groups, its one error, none of the pod's.
    const runId = main.outputs['run-id'] ?? '';
    expect(groupsOf(main.commands)).toEqual(['Connect', `Prepare jobs/${ns}/noisy`, `Submit jobs/${ns}/${runId}`, `Follow jobs/${ns}/${runId}`, 'Report']);
    const annotations = annotationsOf(main.commands);
    expect(annotations.filter((a) => a.level !== 'error')).toEqual([]);
    const errors = annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1); // the action's failure, which quotes the pod's last lines as text
    expect(errors[0]?.title).toBe('Job Failed');
    expect(errors[0]?.message).toMatch(/^Job jobs\/\S+ ended Failed \(BackoffLimitExceeded/);
    expect(main.commands.filter((c) => ['add-mask', 'save-state'].includes(c.command) && /visible-word|name=x/.test(`${c.properties} ${c.message}`))).toEqual([]);
    expect(main.outputs).toMatchObject({ status: 'Failed', 'exit-code': '3' });
  });

  it('shows why no pod can be created (FailedCreate) and gives up after the grace period (#16 item 4)', async () => {
    const body = sourceJob('no-sa');
    if (body.spec?.template.spec) body.spec.template.spec.serviceAccountName = 'missing-sa';
    await batch.createNamespacedJob({ namespace: ns, body });
    const main = await runStep('main', { root: action.root, inputs: { job: 'no-sa', namespace: ns, kubeconfig, 'image-pull-grace-period': '4s' } });

    expect(main.code).toBe(1);
    const annotations = annotationsOf(main.commands);
    expect(annotations.find((a) => a.title === 'Job warning')?.message).toMatch(/FailedCreate: .*"missing-sa" not found/);
    expect(annotations.find((a) => a.level === 'error')?.message).toContain('could not create a pod');
    expect(main.outputs).toMatchObject({ status: 'Failed', reason: 'FailedCreate' });
    expect(await jobsOf('no-sa')).toHaveLength(0);
  });

  it('runs a CronJob: grouped log, outputs from the heredoc file, state into post, summary; post keeps the finished Job', async () => {
    await batch.createNamespacedCronJob({
      namespace: ns,
      body: sourceCronJob('nightly', {
        env: { RUN_DATE: 'yesterday', SIM_DURATION: '1s', SIM_LOG: 'starting|done', SIM_TERMINATION_MESSAGE: '{"rows":7}' },
      }),
    });
    const inputs = { cronjob: 'nightly', namespace: ns, kubeconfig, params: '{"RUN_DATE":"2026-11-21"}', timeout: '5m' };
    const main = await runStep('main', { root: action.root, inputs });

    expect(main.stderr).toBe('');
    expect(main.code).toBe(0);
    const runId = main.outputs['run-id'] ?? '';
    expect(runId).toMatch(/^nightly-[a-z0-9]{5}$/);
    expect(main.outputs).toMatchObject({ status: 'Success', reason: 'CompletionsReached', succeeded: '1', failed: '0', result: '{"rows":7}', 'exit-code': '' });
    expect(Number(main.outputs['duration-seconds'])).toBeGreaterThanOrEqual(1);
    expect(main.outputs['start-time']).toMatch(/^\d{4}-\d\d-\d\dT/);

    // One group per phase, in order, none left open; the pod's log inside Follow.
    expect(groupsOf(main.commands)).toEqual(['Connect', `Prepare cronjobs/${ns}/nightly`, `Submit jobs/${ns}/${runId}`, `Follow jobs/${ns}/${runId}`, 'Report']);
    expect(main.stdout).toMatch(/::group::Follow[^]*\nstarting\ndone\n[^]*::endgroup::/);
    // No annotation without a title; no debug noise without RUNNER_DEBUG.
    for (const a of annotationsOf(main.commands)) expect(a.title, `${a.level}: ${a.message}`).toBeTruthy();
    expect(main.commands.filter((c) => c.command === 'debug')).toEqual([]);

    // The kubeconfig's token is masked before anything could print it, and shows up nowhere else.
    expect(main.commands).toContainEqual({ command: 'add-mask', properties: '', message: token });
    expect(leaksOf(main, token)).toEqual([]);

    const [job] = await jobsOf('nightly');
    expect(main.state).toEqual({
      'job-namespace': ns,
      'job-name': runId,
      'job-submission-id': job?.metadata?.annotations?.[Annotation.submissionId],
      'job-uid': job?.metadata?.uid,
      'job-finished': 'true',
    });
    expect(main.summary).toContain(`Job ${runId}: Success`);
    expect(main.summary).toContain(`| Namespace | \`${ns}\` |`);
    expect(main.summary).toContain('https://github.com/polysync/demo/actions/runs/4242');

    const post = await runStep('post', { root: action.root, inputs: { kubeconfig }, files: main.files });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`The main step saw jobs/${ns}/${runId} to its end`);
    expect(annotationsOf(post.commands)).toEqual([]);
    // A Job that finished is never deleted by the post step: its TTL cleans it up.
    expect((await jobsOf('nightly')).map((j) => j.metadata?.name)).toEqual([runId]);
  });

  it('fails the step on a failed Job with an error annotation naming the Job, status, reason and last log line', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('breaks', { env: { SIM_EXIT_CODE: '3', SIM_LOG: 'loading|boom: disk full' } }) });
    const main = await runStep('main', { root: action.root, inputs: { job: 'breaks', namespace: ns, kubeconfig, timeout: '5m' } });

    expect(main.code).toBe(1);
    expect(main.outputs).toMatchObject({ status: 'Failed', reason: 'BackoffLimitExceeded', failed: '1', 'exit-code': '3' });
    const errors = annotationsOf(main.commands).filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(`jobs/${ns}/${main.outputs['run-id']}`);
    expect(errors[0]?.message).toContain('Failed');
    expect(errors[0]?.message).toContain('BackoffLimitExceeded');
    expect(errors[0]?.message).toContain('boom: disk full');
    expect(errors[0]?.title).toBeTruthy();
    expect(main.summary).toContain('Failed');

    const post = await runStep('post', { root: action.root, inputs: { kubeconfig }, files: main.files });
    expect(post.code).toBe(0);
    expect(await jobsOf('breaks')).toHaveLength(1);
  });

  it('rejects bad input before connecting: one error naming the input, no Job, no state, a quiet post step', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('strict', { env: { RUN_DATE: 'x' } }) });
    const main = await runStep('main', { root: action.root, inputs: { job: 'strict', namespace: ns, kubeconfig, params: '{"RUN_DATE": ' } });

    expect(main.code).toBe(1);
    const errors = annotationsOf(main.commands).filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("'params'");
    expect(groupsOf(main.commands)).toEqual([]);
    expect(main.state).toEqual({});
    expect(await jobsOf('strict')).toEqual([]);

    // The post step has nothing to do and shows nothing: its one line is a debug message, which
    // the runner hides unless RUNNER_DEBUG (step debug logging) is on.
    const post = await runStep('post', { root: action.root, inputs: { kubeconfig }, files: main.files });
    expect(post.code).toBe(0);
    expect(post.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('::debug::'))).toEqual([]);
    expect(post.commands.map((c) => c.message)).toEqual(['No Job was created by the main step: nothing to clean up.']);
  });

  it('with wait: false returns the run id, and the post step leaves the submitted Job running', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('detached', { env: { SIM_DURATION: '60s' } }) });
    const main = await runStep('main', { root: action.root, inputs: { job: 'detached', namespace: ns, kubeconfig, wait: 'false', timeout: '5m' } });
    expect(main.code).toBe(0);
    const runId = main.outputs['run-id'];
    expect(runId).toMatch(/^detached-/);
    expect(annotationsOf(main.commands)).toContainEqual(expect.objectContaining({ level: 'notice', title: 'Job submitted' }));

    const post = await runStep('post', { root: action.root, inputs: { kubeconfig }, files: main.files });
    expect(post.code).toBe(0);
    const [job] = await jobsOf('detached');
    expect(job?.metadata?.name).toBe(runId);
    expect(job?.metadata?.deletionTimestamp).toBeUndefined();
    await batch.deleteNamespacedJob({ namespace: ns, name: runId ?? '', propagationPolicy: 'Background' });
  });

  it('dry-run prints the Job and creates nothing', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('rehearse', { env: { RUN_DATE: 'x' } }) });
    const main = await runStep('main', { root: action.root, inputs: { job: 'rehearse', namespace: ns, kubeconfig, 'dry-run': 'true', timeout: '5m' } });
    expect(main.code).toBe(0);
    expect(main.outputs.status).toBe('DryRun');
    expect(main.stdout).toContain('kind: Job');
    expect(main.state).toEqual({});
    expect(await jobsOf('rehearse')).toEqual([]);
  });
});

describe('secrets', () => {
  it('never prints a token from a kubeconfig that does not parse', async () => {
    const secret = 'Zr7uQq0pK4bN2xW9sT6yL1mE8aV3cD5f';
    const broken = `apiVersion: v1\nusers:\n- name: admin\n  user:\n    token: ${secret}\n   bad: [\n`;
    const main = await runStep('main', { root: action.root, inputs: { job: 'any', namespace: ns, kubeconfig: broken } });
    expect(main.code).toBe(1);
    expect(annotationsOf(main.commands).filter((a) => a.level === 'error')[0]?.message).toContain("'kubeconfig'");
    expect(main.stdout).not.toContain(secret);
    expect(main.stderr).not.toContain(secret);
  });

  it('masks a rejected token before the 401 is reported', async () => {
    const secret = 'wrong-token-4f9c2a7e1b3d5f6a8c0e';
    const wrong = kubeconfig.replace(token, secret);
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('guarded') });
    const main = await runStep('main', { root: action.root, inputs: { job: 'guarded', namespace: ns, kubeconfig: wrong } });
    expect(main.code).toBe(1);
    expect(main.commands).toContainEqual({ command: 'add-mask', properties: '', message: secret });
    expect(leaksOf(main, secret)).toEqual([]);
    expect(await jobsOf('guarded')).toEqual([]);
  });
});

describe('the bundled discovery action', () => {
  it('lists Jobs and CronJobs with their parameters as a JSON output and a summary table', async () => {
    const listed = await createTestNamespace('runner-discover');
    await batch.createNamespacedJob({ namespace: listed, body: sourceJob('export', { env: { TABLE: 'orders', LIMIT: '10' } }) });
    await batch.createNamespacedCronJob({ namespace: listed, body: sourceCronJob('nightly', { env: { RUN_DATE: '' } }) });
    const run = await runStep('discover', { root: action.root, inputs: { namespace: listed, kubeconfig } });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(leaksOf(run, token)).toEqual([]);
    const jobs = JSON.parse(run.outputs.jobs ?? 'null') as { kind: string; name: string }[];
    expect(jobs.map((j) => `${j.kind}/${j.name}`).sort()).toEqual(['CronJob/nightly', 'Job/export']);
    expect(run.summary).toContain('export');
    expect(run.summary).toContain('TABLE');
  });
});
