/**
 * The action's main flows through the runCommand JobCluster: every Kubernetes call is one command
 * run by the real kubectl against the local control plane (the ARM transport is the only stand-in),
 * so Jobs, pods, logs, deletion and RBAC are the cluster's own.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api, CoordinationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, jobsFromSource, podsOfJob, waitFor } from '../support/cluster.js';
import { commandTarget, KubectlRunner } from '../support/kubectl-runner.js';
import { RecordingReporter } from '../support/recording-reporter.js';
import { runAction } from '../support/run-action.js';
import { sourceJob } from '../support/sources.js';
import { State } from '../../src/core/names.js';
import { RUN_COMMAND_OUTPUT_CAP_BYTES } from '../../src/core/cluster-commands.js';
import { RunCommandCluster, type RunCommandClusterOptions } from '../../src/kubernetes/run-command-cluster.js';
import { cleanupJob } from '../../src/run/cleanup.js';
import { systemClock } from '../../src/system-clock.js';
import { signInToAks } from '../../src/azure/sign-in.js';
import { routed } from '../../src/connect.js';
import { clusterFor } from '../../src/cluster-route.js';
import type { AzureConnection, PrivateClusterMode } from '../../src/core/settings.js';
import { ROLE, clusterResourceId, type RunCommandBehaviour } from '../fakes/arm.js';
import { gitHubTokenSource } from '../fakes/github-oidc.js';
import { bindRole, entraUser, localApiServer, sharedIdentityWorld } from '../support/cluster-identities.js';
import { readmeRole } from '../support/readme-role.js';

let kc: KubeConfig;
let batch: BatchV1Api;
let core: CoreV1Api;
let ns: string;

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  core = kc.makeApiClient(CoreV1Api);
  ns = await createTestNamespace('private');
});

/** Short batch waits, so a test takes seconds; the shape of the chain is the product's. */
const FAST: RunCommandClusterOptions = { waits: [0, 1, 2], tickSeconds: 1 };

function through(runner: KubectlRunner, options: RunCommandClusterOptions = FAST) {
  return (reporter: RecordingReporter) =>
    new RunCommandCluster(runner, systemClock, { debug: (m) => { if (process.env.DEBUG_RC) console.log(m); }, info: (m) => reporter.info(m), warning: (m) => { if (process.env.DEBUG_RC) console.log('WARN', m); reporter.warning(m); } }, options);
}

describe('a Job through runCommand', () => {
  it('secret-params reach the container, and no command script or output carries the value', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('with-secret', { env: { API_KEY: 'placeholder' } }) });
    const runner = new KubectlRunner(commandTarget(kc));
    const { reporter, error } = await runAction(kc, { job: 'with-secret', namespace: ns, 'secret-params': '{"API_KEY":"s3cr3t-v4lue"}' }, { cluster: through(runner) });
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    const runId = reporter.outputs['run-id'] ?? '';
    const secret = await core.readNamespacedSecret({ namespace: ns, name: `${runId}-params` });
    expect(Buffer.from(secret.data?.API_KEY ?? '', 'base64').toString()).toBe('s3cr3t-v4lue');
    // Only the container's own log (the simulator prints its env) may show it; the create's answer never does.
    const encoded = Buffer.from('s3cr3t-v4lue').toString('base64');
    const secretRead = runner.outputs.filter((o) => o.includes(encoded) || (o.includes('s3cr3t-v4lue') && !o.includes('API_KEY=s3cr3t-v4lue')));
    expect(secretRead).toEqual([]);
    expect(runner.scripts.filter((s) => s.includes('s3cr3t-v4lue'))).toEqual([]);
  });

  it('concurrency Forbid and Replace work through commands: the Lease, the active run named, the old run deleted', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('migrate', { env: { SIM_DURATION: '60s' } }) });
    const first = await runAction(kc, { job: 'migrate', namespace: ns, wait: 'false' }, { cluster: through(new KubectlRunner(commandTarget(kc))) });
    expect(first.error).toBeUndefined();
    const active = first.reporter.outputs['run-id'] ?? '';
    const forbidden = await runAction(kc, { job: 'migrate', namespace: ns, concurrency: 'Forbid' }, { cluster: through(new KubectlRunner(commandTarget(kc))) });
    expect(forbidden.error?.message).toMatch(new RegExp(`^concurrency: Forbid: Job migrate already has an active run: jobs/${ns}/${active} `));
    const replaced = await runAction(kc, { job: 'migrate', namespace: ns, concurrency: 'Replace', params: '{"SIM_DURATION":"1s"}' }, { cluster: through(new KubectlRunner(commandTarget(kc))) });
    expect(replaced.error).toBeUndefined();
    expect(replaced.reporter.outputs.status).toBe('Success');
    const left = await jobsFromSource(kc, ns, 'migrate');
    expect(left.filter((j) => j.metadata?.name === active && j.metadata?.deletionTimestamp === undefined)).toEqual([]);
    expect((await kc.makeApiClient(CoordinationV1Api).listNamespacedLease({ namespace: ns })).items).toEqual([]);
  });

  it('runs to Success with every log line once, in order, and says that logs come in batches', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('ok', { env: { SIM_LOG: lines.join('|'), SIM_LOG_INTERVAL: '100ms', SIM_TERMINATION_MESSAGE: 'done' } }) });
    const runner = new KubectlRunner(commandTarget(kc));
    const { reporter, error } = await runAction(kc, { job: 'ok', namespace: ns }, { cluster: through(runner) });
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.outputs.result).toBe('done');
    expect(reporter.lines.filter((l) => l.startsWith('line '))).toEqual(lines);
    expect(reporter.lines.filter((l) => l.includes('arrive in batches'))).toHaveLength(1);
    // Read, create, and a handful of batches: never a command per line or per second.
    expect(runner.commands).toBeLessThan(15);
  });

  it('fails with the container exit code and the log tail', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('bad', { env: { SIM_LOG: 'starting|boom', SIM_EXIT_CODE: '3' } }) });
    const runner = new KubectlRunner(commandTarget(kc));
    const { reporter, error } = await runAction(kc, { job: 'bad', namespace: ns }, { cluster: through(runner) });
    expect(reporter.outputs.status).toBe('Failed');
    expect(reporter.outputs['exit-code']).toBe('3');
    expect(error?.message).toContain('boom');
    expect(reporter.lines.filter((l) => l === 'boom')).toHaveLength(1);
  });

  it('prints a log larger than one command may return, all lines once and in order, each batch under the cap', async () => {
    // 4000 lines of ~240 bytes (with the kubelet's timestamps): 960 kB in 4 s, nearly twice runCommand's 512 kB.
    // The lines come from a ConfigMap, so the Job and pod objects stay small, as real ones are.
    const lines = Array.from({ length: 4000 }, (_, i) => `row ${String(i + 1).padStart(4, '0')} ${'x'.repeat(200)}`);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'big-log' }, data: { log: lines.join('\n') } } });
    const extraEnv = [{ name: 'SIM_LOG', valueFrom: { configMapKeyRef: { name: 'big-log', key: 'log' } } }];
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('big', { env: { SIM_LOG_INTERVAL: '1ms' }, extraEnv }) });
    const runner = new KubectlRunner(commandTarget(kc));
    const { reporter, error } = await runAction(kc, { job: 'big', namespace: ns }, { cluster: through(runner, { ...FAST, waits: [0, 6] }) });
    expect(error).toBeUndefined();
    expect(reporter.lines.filter((l) => l.startsWith('row '))).toEqual(lines);
    expect(runner.largestOutputBytes).toBeLessThan(RUN_COMMAND_OUTPUT_CAP_BYTES);
    expect(lines.join('\n').length).toBeGreaterThan(RUN_COMMAND_OUTPUT_CAP_BYTES);
    expect(reporter.annotations.filter((a) => a.level === 'warning' && a.title !== 'Best practice')).toEqual([]);
  });

  it('times out: the Job is deleted through runCommand and the step fails naming the timeout', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('slow', { env: { SIM_DURATION: '60s', SIM_LOG: 'working' } }) });
    const runner = new KubectlRunner(commandTarget(kc));
    const { reporter, error } = await runAction(kc, { job: 'slow', namespace: ns, timeout: '6s' }, { cluster: through(runner) });
    expect(error?.message).toMatch(/timeout/i);
    expect(reporter.outputs.status).toBe('Cancelled');
    const [job] = await jobsFromSource(kc, ns, 'slow');
    // Deleted (Background): gone, or going with its pods.
    expect(job === undefined || job.metadata?.deletionTimestamp !== undefined).toBe(true);
  });

  it('cancelled mid-run: the post step deletes the unfinished Job through runCommand, and leaves a finished one', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('cancel-me', { env: { SIM_DURATION: '60s', SIM_LOG: 'working' } }) });
    const runner = new KubectlRunner(commandTarget(kc));
    const cancel = new AbortController();
    const reporter = new RecordingReporter();
    const running = runAction(kc, { job: 'cancel-me', namespace: ns }, { cluster: through(runner), signal: cancel.signal, reporter });
    await waitFor(() => reporter.lines.includes('working'), { timeoutMs: 30_000, what: 'the first log line' });
    // As the runner does on a cancel: the main step is killed before it can clean up (state saved), the post step runs.
    const saved = {
      namespace: reporter.state[State.namespace] ?? '',
      name: reporter.state[State.name] ?? '',
      uid: reporter.state[State.uid] ?? '',
      finished: false,
      submissionId: reporter.state[State.submissionId] ?? '',
    };
    cancel.abort('cancelled');
    await running;
    const post = new RecordingReporter();
    const postRunner = new KubectlRunner(commandTarget(kc));
    const result = await cleanupJob(saved, () => Promise.resolve(through(postRunner)(post)), post, systemClock);
    expect(['deleted', 'gone']).toContain(result);
    const [job] = await jobsFromSource(kc, ns, 'cancel-me');
    expect(job === undefined || job.metadata?.deletionTimestamp !== undefined).toBe(true);
    await waitFor(async () => (await podsOfJob(kc, ns, saved.uid)).length === 0, { timeoutMs: 30_000, what: 'the pods of the cancelled Job gone' });

    // A finished Job is never deleted by the post step.
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('finished', { env: { SIM_LOG: 'quick' } }) });
    const done = await runAction(kc, { job: 'finished', namespace: ns }, { cluster: through(new KubectlRunner(commandTarget(kc))) });
    expect(done.reporter.outputs.status).toBe('Success');
    const name = done.reporter.state[State.name] ?? '';
    const again = await cleanupJob(
      { namespace: ns, name, uid: done.reporter.state[State.uid] ?? '', finished: false, submissionId: '' },
      () => Promise.resolve(through(new KubectlRunner(commandTarget(kc)))(new RecordingReporter())),
      new RecordingReporter(),
      systemClock,
    );
    expect(again).toBe('finished');
    expect((await batch.readNamespacedJob({ namespace: ns, name })).metadata?.deletionTimestamp).toBeUndefined();
  });
});

/**
 * The same flows with the real transport: Azure sign-in, then ARM runCommand on the ARM fake, which
 * runs each command with kubectl against the local control plane as the clusterToken's Entra user,
 * holding only the README's minimal Role.
 */
describe('a Job through ARM runCommand (ARM fake)', () => {
  async function signedIn(mode: PrivateClusterMode, armSaysPrivate = true, o: { behaviour?: RunCommandBehaviour; role?: boolean } = {}) {
    const world = sharedIdentityWorld();
    const { info } = world;
    const gh = await world.addGitHubJob({ repository: 'polysync/jobs' });
    const app = await world.registerApp({ tenantId: info.tenantId, federatedCredentials: [{ issuer: gh.issuer, subject: gh.subject }] });
    const subscriptionId = randomUUID();
    await world.addCluster({
      subscriptionId, resourceGroup: 'rg', name: 'aks', ...localApiServer(kc), entra: true, tenantId: info.tenantId,
      runCommand: { retryAfterSeconds: 0, ...o.behaviour }, privateCluster: armSaysPrivate,
    });
    // Cluster Admin is the built-in role that carries runcommand/action and commandResults/read.
    await world.assignRole({ principalId: app.objectId, role: ROLE.clusterAdmin, scope: clusterResourceId(subscriptionId, 'rg', 'aks') });
    if (o.role !== false) await bindRole(kc, ns, `rc-${app.objectId.slice(0, 8)}`, readmeRole(), entraUser(app.objectId));
    const connection: AzureConnection = {
      kind: 'azure', signIn: { kind: 'oidc' }, clientId: app.clientId, tenantId: info.tenantId, subscriptionId, resourceGroup: 'rg', clusterName: 'aks',
      environment: 'AzureCloud', admin: false, audience: 'api://AzureADTokenExchange', privateCluster: mode,
    };
    const connect = async () => routed(connection, await signInToAks(connection, gitHubTokenSource(gh, info.caPem), () => {}, {
      endpoints: { authorityHost: info.authorityHost, resourceManager: info.armEndpoint }, extraCaPem: info.caPem,
    }));
    return { connect, records: () => world.runCommands(subscriptionId) };
  }

  it('private-cluster true: runs to Success with its logs, every call a runCommand as the identity', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `arm line ${i + 1}`);
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('via-arm', { env: { SIM_LOG: lines.join('|'), SIM_LOG_INTERVAL: '200ms', SIM_TERMINATION_MESSAGE: 'ok' } }) });
    const { connect, records } = await signedIn('true');
    const connected = await connect();
    expect(connected.route).toBe('Through AKS runCommand (private-cluster: true).');
    const { reporter, error } = await runAction(kc, { job: 'via-arm', namespace: ns }, { cluster: (r, clock) => clusterFor(connected, clock, r) });
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.outputs.result).toBe('ok');
    expect(reporter.lines.filter((l) => l.startsWith('arm line '))).toEqual(lines);
    const commands = await records();
    expect(commands.length).toBeGreaterThan(2);
    expect(commands.every((c) => c.clusterTokenSent && c.state === 'succeeded')).toBe(true);
  });

  it('private-cluster true: a failing Job fails the step with its exit code; cancel deletes the running Job through runCommand', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('arm-bad', { env: { SIM_LOG: 'arm boom', SIM_EXIT_CODE: '4' } }) });
    const { connect } = await signedIn('true');
    const connected = await connect();
    const failed = await runAction(kc, { job: 'arm-bad', namespace: ns }, { cluster: (r, clock) => clusterFor(connected, clock, r) });
    expect(failed.reporter.outputs.status).toBe('Failed');
    expect(failed.reporter.outputs['exit-code']).toBe('4');

    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('arm-cancel', { env: { SIM_DURATION: '60s', SIM_LOG: 'arm working' } }) });
    const cancel = new AbortController();
    const reporter = new RecordingReporter();
    const running = runAction(kc, { job: 'arm-cancel', namespace: ns }, { cluster: (r, clock) => clusterFor(connected, clock, r), signal: cancel.signal, reporter });
    await waitFor(() => reporter.lines.includes('arm working'), { timeoutMs: 60_000, what: 'the first log line through ARM' });
    cancel.abort('cancelled');
    await running;
    expect(reporter.outputs.status).toBe('Cancelled');
    const [job] = await jobsFromSource(kc, ns, 'arm-cancel');
    expect(job === undefined || job.metadata?.deletionTimestamp !== undefined).toBe(true);
  });

  it('says what to do when runCommand is disabled on the cluster, or Kubernetes RBAC refuses the identity, and creates nothing', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('refused', { env: { SIM_LOG: 'never' } }) });
    const disabled = await (await signedIn('true', true, { behaviour: { disabled: true } })).connect();
    const off = await runAction(kc, { job: 'refused', namespace: ns }, { cluster: (r, clock) => clusterFor(disabled, clock, r) });
    expect(off.error?.message).toMatch(/disableRunCommand/);
    const unbound = await (await signedIn('true', true, { role: false })).connect();
    const rbac = await runAction(kc, { job: 'refused', namespace: ns }, { cluster: (r, clock) => clusterFor(unbound, clock, r) });
    expect(rbac.error?.message).toMatch(new RegExp(`^Could not read jobs/${ns}/refused \\(403 Forbidden\\): .*Grant the action's identity the verbs it needs`));
    expect(await jobsFromSource(kc, ns, 'refused')).toEqual([]);
  });

  it('private-cluster auto: ARM says private, but this runner reaches the API server, so it stays direct', async () => {
    const { connect } = await signedIn('auto', true);
    const connected = await connect();
    expect(connected.runCommand).toBeUndefined();
    expect(connected.route).toMatch(/^private-cluster: auto: .*private.*, but this runner reaches it, so the API server directly\.$/);
  });
});
