/**
 * ArmRunCommandRunner against the ARM fake's runCommand, which runs each command with the real
 * kubectl against the real local control plane as the clusterToken's identity: the API server's
 * JWT authentication and RBAC decide, as in AKS's aks-command pod.
 */
import { BatchV1Api, CoreV1Api, KubeConfig, type V1Role } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RUN_COMMAND_OUTPUT_CAP_BYTES } from '../../src/core/cluster-commands.js';
import { explainCommandFailure } from '../../src/core/command-failure.js';
import { signInToAks } from '../../src/azure/sign-in.js';
import { RunCommandError, type ArmRunCommandRunner } from '../../src/azure/run-command.js';
import { ROLE, clusterResourceId, type RoleName, type RunCommandBehaviour } from '../fakes/arm.js';
import { gitHubTokenSource } from '../fakes/github-oidc.js';
import { type IdentityWorld } from '../fakes/identity-providers.js';
import { bindRole, entraUser, localApiServer, sharedIdentityWorld } from '../support/cluster-identities.js';
import { waitFor } from '../support/cluster.js';
import { readmeRole } from '../support/readme-role.js';
import { sourceJob } from '../support/sources.js';

let world: IdentityWorld;
let admin: KubeConfig;
const ns = `runcmd-${randomUUID().slice(0, 6)}`;
const FAST = { minPollMs: 50, defaultPollMs: 100, retryDelayMs: 100, requestTimeoutMs: 10_000 };

beforeAll(async () => {
  world = sharedIdentityWorld();
  admin = new KubeConfig();
  admin.loadFromFile(inject('kubeconfigPath'));
  const core = admin.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await waitFor(() => core.readNamespacedServiceAccount({ namespace: ns, name: 'default' }).then(() => true), { what: `serviceaccounts/${ns}/default` });
  await admin.makeApiClient(BatchV1Api).createNamespacedJob({ namespace: ns, body: sourceJob('nightly', { env: { SIM_LOG: 'hi' } }) });
});

afterAll(async () => {
  await admin?.makeApiClient(CoreV1Api).deleteNamespace({ name: ns, propagationPolicy: 'Background' }).catch(() => undefined);
});

interface Setup {
  readonly behaviour?: RunCommandBehaviour;
  readonly azureRole?: RoleName;
  /** The identity's Kubernetes Role in the namespace; none when null. */
  readonly k8sRole?: V1Role | null;
  readonly privateCluster?: boolean;
  readonly timing?: Parameters<Awaited<ReturnType<typeof signInToAks>>['createCommandRunner']>[0];
}

/** A federated app, an Entra AKS cluster in ARM on the local API server, an Azure role, a Kubernetes Role; signed in. */
async function signedIn(s: Setup = {}) {
  const { info } = world;
  const job = await world.addGitHubJob({ repository: 'polysync/jobs' });
  const app = await world.registerApp({ tenantId: info.tenantId, federatedCredentials: [{ issuer: job.issuer, subject: job.subject }] });
  const subscriptionId = randomUUID();
  await world.addCluster({
    subscriptionId, resourceGroup: 'rg', name: 'aks', ...localApiServer(admin), entra: true, tenantId: info.tenantId,
    runCommand: { retryAfterSeconds: 0, ...s.behaviour }, ...(s.privateCluster === undefined ? {} : { privateCluster: s.privateCluster }),
  });
  const scope = clusterResourceId(subscriptionId, 'rg', 'aks');
  await world.assignRole({ principalId: app.objectId, role: ROLE.clusterUser, scope });
  if (s.azureRole !== ROLE.clusterUser) await world.assignRole({ principalId: app.objectId, role: s.azureRole ?? ROLE.clusterAdmin, scope });
  const k8sRole = s.k8sRole === undefined ? readmeRole() : s.k8sRole;
  if (k8sRole) await bindRole(admin, ns, `runcmd-${app.objectId.slice(0, 8)}`, k8sRole, entraUser(app.objectId));
  const signIn = await signInToAks(
    { kind: 'azure', signIn: { kind: 'oidc' }, clientId: app.clientId, tenantId: info.tenantId, subscriptionId, resourceGroup: 'rg', clusterName: 'aks',
      environment: 'AzureCloud', admin: false, audience: 'api://AzureADTokenExchange', privateCluster: 'false' },
    gitHubTokenSource(job, info.caPem), () => {},
    { endpoints: { authorityHost: info.authorityHost, resourceManager: info.armEndpoint }, extraCaPem: info.caPem },
  );
  const runner: ArmRunCommandRunner = signIn.createCommandRunner({ ...FAST, ...s.timing });
  return { runner, signIn, app, subscriptionId, records: () => world.runCommands(subscriptionId) };
}

const never = new AbortController().signal;

async function failure(p: Promise<unknown>): Promise<RunCommandError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof RunCommandError)) throw new Error(`expected a RunCommandError, got ${String(error)}`);
  return error;
}

describe('ArmRunCommandRunner through the ARM fake and the local control plane', () => {
  it('runs kubectl as the identity and returns its output; ARM saw a clusterToken and was polled', async () => {
    const { runner, records } = await signedIn({ behaviour: { pendingPolls: 2 } });

    const result = await runner.run(`kubectl get job nightly -n ${ns} -o jsonpath='{.metadata.name}'`, [], never);

    expect(result).toEqual({ exitCode: 0, logs: 'nightly' });
    const [record, ...others] = await records();
    expect(others).toEqual([]);
    expect(record).toMatchObject({ clusterTokenSent: true, files: [], state: 'succeeded' });
    // Two answered "running" by injection, more while kubectl still ran; one POST before them.
    expect(record?.polls).toBeGreaterThanOrEqual(3);
    expect(runner.stats()).toEqual({ commands: 1, armRequests: (record?.polls ?? 0) + 1 });
  });

  it('places the files in the command directory: a Job created from job.json exists', async () => {
    const { runner } = await signedIn();
    const job = { ...sourceJob('from-file', { env: { SIM_LOG: 'x' } }), metadata: { name: 'from-file', namespace: ns } };

    const result = await runner.run('cat note.txt && kubectl create -f job.json -o name', [
      { name: 'job.json', content: JSON.stringify(job) }, { name: 'note.txt', content: 'ünïcode note\n' },
    ], never);

    expect(result).toEqual({ exitCode: 0, logs: 'ünïcode note\njob.batch/from-file\n' });
    const created = await admin.makeApiClient(BatchV1Api).readNamespacedJob({ namespace: ns, name: 'from-file' });
    expect(created.metadata?.name).toBe('from-file');
  });

  it('returns a non-zero exit code with stdout and stderr', async () => {
    const { runner } = await signedIn();
    expect(await runner.run('echo out; echo err >&2; exit 3', [], never)).toEqual({ exitCode: 3, logs: 'out\nerr\n' });
  });

  it('gets output over 512 kB cut at the cap, as AKS returns it', async () => {
    const { runner } = await signedIn();
    const result = await runner.run("head -c 700000 /dev/zero | tr '\\0' a", [], never);
    expect(result.exitCode).toBe(0);
    expect(Buffer.byteLength(result.logs)).toBe(RUN_COMMAND_OUTPUT_CAP_BYTES);
  });

  it('works when ARM answers the POST with 200 and the result (the spec\'s synchronous shape)', async () => {
    const { runner } = await signedIn({ behaviour: { synchronous: true } });
    expect(await runner.run('echo sync', [], never)).toEqual({ exitCode: 0, logs: 'sync\n' });
    expect(runner.stats()).toEqual({ commands: 1, armRequests: 1 });
  });

  it('honours Retry-After between polls', async () => {
    const { runner } = await signedIn({ behaviour: { retryAfterSeconds: 1, pendingPolls: 1 } });
    const started = Date.now();
    await runner.run('true', [], never);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('retries throttled requests after their Retry-After, and says ARM is unavailable when retries run out', async () => {
    const retried = await signedIn({ behaviour: { throttledRequests: 2 } });
    expect(await retried.runner.run('echo ok', [], never)).toEqual({ exitCode: 0, logs: 'ok\n' });

    const noRetries = await signedIn({ behaviour: { throttledRequests: 1 }, timing: { maxRetries: 0 } });
    const error = await failure(noRetries.runner.run('echo ok', [], never));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/ARM is unavailable for AKS cluster 'aks'.*\(ARM 429 TooManyRequests/);
  });

  it('names the setting when runCommand is disabled on the cluster', async () => {
    const { runner } = await signedIn({ behaviour: { disabled: true } });
    const error = await failure(runner.run('true', [], never));
    expect(error.kind).toBe('disabled');
    expect(error.message).toMatch(/runCommand is disabled on AKS cluster 'aks'.*az aks update --resource-group rg --name aks --enable-run-command/);
  });

  it('names the Azure action and role when the identity may not run commands (Cluster User Role only)', async () => {
    const { runner, app } = await signedIn({ azureRole: ROLE.clusterUser });
    const error = await failure(runner.run('true', [], never));
    expect(error.kind).toBe('forbidden');
    expect(error.status).toBe(403);
    expect(error.message).toContain(`Application '${app.clientId}' may not run commands`);
    expect(error.message).toContain('Microsoft.ContainerService/managedClusters/runcommand/action');
  });

  it('says the command pod did not start within ARM\'s limit', async () => {
    const { runner } = await signedIn({ behaviour: { notScheduled: true } });
    const error = await failure(runner.run('true', [], never));
    expect(error.kind).toBe('not-scheduled');
    expect(error.message).toMatch(/did not start within ARM's limit of 60 seconds.*200m CPU and 500Mi/);
    expect(error.message).toMatch(/reason: KubernetesPerformanceError: container command-\w+ in aks-command namespace did not start within 60s/);
  });

  it('says to exempt namespace aks-command when Azure Policy blocks the pod', async () => {
    const { runner } = await signedIn({ behaviour: { policyBlocked: true } });
    const error = await failure(runner.run('true', [], never));
    expect(error.kind).toBe('policy');
    expect(error.message).toMatch(/Exempt namespace 'aks-command'.*RunCommandBlockedByAzurePolicy\/PodCreateBlockedByAzurePolicy/);
  });

  it('returns Kubernetes RBAC refusals as output, which explainCommandFailure turns into what to grant', async () => {
    const { runner, app } = await signedIn({ k8sRole: null });
    const result = await runner.run(`kubectl get jobs -n ${ns}`, [], never);
    expect(result.exitCode).not.toBe(0);
    expect(result.logs).toMatch(/Error from server \(Forbidden\)/);
    const explained = explainCommandFailure(result.logs);
    expect(explained.kind).toBe('forbidden');
    expect(explained.advice).toContain(`Kubernetes RBAC refused identity '${app.objectId}' to list jobs.batch in namespace '${ns}'`);
  });

  it('stops polling at once when the signal aborts mid-command', async () => {
    const { runner, records } = await signedIn();
    const controller = new AbortController();
    const run = runner.run('sleep 5; echo late', [], controller.signal);
    await waitFor(async () => (await records())[0]?.polls !== undefined && ((await records())[0]?.polls ?? 0) >= 2, { what: 'two polls' });
    const reason = new Error('cancelled by the test');
    const abortedAt = Date.now();
    controller.abort(reason);

    await expect(run).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(500);
    const pollsThen = (await records())[0]?.polls;
    await new Promise((r) => setTimeout(r, 500));
    expect((await records())[0]?.polls).toBe(pollsThen);
  });

  it('times out a command that runs past the command deadline', async () => {
    const { runner } = await signedIn({ timing: { commandTimeoutMs: 1500 } });
    const error = await failure(runner.run('sleep 4', [], never));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/did not finish within 2 s/);
  });

  it('tells a private cluster from a public one for auto mode', async () => {
    const priv = await signedIn({ privateCluster: true });
    const pub = await signedIn({ privateCluster: false });
    expect(await priv.signIn.detectPrivateApiServer(never)).toEqual({ private: true, reason: "ARM says cluster 'aks' is private (apiServerAccessProfile.enablePrivateCluster)" });
    expect(await pub.signIn.detectPrivateApiServer(never)).toEqual({ private: false, reason: "ARM says cluster 'aks' has a public API server" });
  });
});
