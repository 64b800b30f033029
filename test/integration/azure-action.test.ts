/**
 * The bundled action signing in as AKS users do (GitHub OIDC → Entra ID → ARM → AKS) through the
 * runner's contract: ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN aimed at the GitHub token fake, the Entra
 * and ARM fakes over HTTPS, and the local control plane trusting Entra's tokens. Every failure says
 * what to fix and leaves no Job; every token is masked and never reaches a file.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { ROLE, clusterResourceId } from '../fakes/arm.js';
import { type IdentityWorld } from '../fakes/identity-providers.js';
import { adminKubeConfig, createTestNamespace, waitFor } from '../support/cluster.js';
import { readmeRole } from '../support/readme-role.js';
import { sourceJob } from '../support/sources.js';
import { bindRole, entraUser, localApiServer, sharedIdentityWorld, oidcRunnerEnv } from '../support/cluster-identities.js';
import { cancelLikeRunner, parseWorkflowCommands, readOutputs, runnerFiles, startStep, type RunnerFiles } from '../../scripts/lib/runner.mjs';

let world: IdentityWorld;
let admin: KubeConfig;
let ns: string;

beforeAll(async () => {
  world = sharedIdentityWorld();
  admin = adminKubeConfig();
  ns = await createTestNamespace('azure');
  const batch = admin.makeApiClient(BatchV1Api);
  await batch.createNamespacedJob({ namespace: ns, body: sourceJob('etl', { env: { SIM_LOG: 'signed in and running', SIM_TERMINATION_MESSAGE: 'ok' } }) });
  await batch.createNamespacedJob({ namespace: ns, body: sourceJob('slow', { env: { SIM_DURATION: '120s' } }) });
});

interface Scenario {
  /** Register the federated credential for another subject than the job's. */
  readonly subjectOverride?: string;
  readonly tenantOverride?: string;
  readonly clusterExists?: boolean;
  readonly role?: (typeof ROLE)[keyof typeof ROLE] | null;
  readonly localAccountsDisabled?: boolean;
  readonly admin?: boolean;
}

/** An app federated with a GitHub job, a cluster in ARM pointing at the local API server, a RoleBinding for its oid. */
async function azureRun(s: Scenario = {}) {
  const info = world.info;
  const job = await world.addGitHubJob({ repository: 'polysync/jobs' });
  const app = await world.registerApp({
    tenantId: info.tenantId,
    federatedCredentials: [{ issuer: job.issuer, subject: s.subjectOverride ?? job.subject }],
  });
  const subscriptionId = randomUUID();
  if (s.clusterExists !== false) {
    await world.addCluster({
      subscriptionId, resourceGroup: 'rg-data', name: 'aks-data', ...localApiServer(admin), entra: true, tenantId: info.tenantId,
      localAccountsDisabled: s.localAccountsDisabled,
    });
  }
  if (s.role !== null) {
    await world.assignRole({ principalId: app.objectId, role: s.role ?? ROLE.clusterUser, scope: clusterResourceId(subscriptionId, 'rg-data', 'aks-data') });
  }
  await bindRole(admin, ns, `polysync-${app.objectId.slice(0, 8)}`, readmeRole(), entraUser(app.objectId));
  const inputs = {
    namespace: ns,
    'client-id': app.clientId,
    'tenant-id': s.tenantOverride ?? info.tenantId,
    'subscription-id': subscriptionId,
    'resource-group': 'rg-data',
    'cluster-name': 'aks-data',
    admin: s.admin ? 'true' : 'false',
  };
  const env = oidcRunnerEnv(job, info);
  return { job, app, subscriptionId, inputs, env };
}

const runsIn = async () => (await admin.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: ns })).items.length;

function errorsOf(stdout: string): string {
  return parseWorkflowCommands(stdout).filter((c) => c.command === 'error').map((c) => c.message).join('\n');
}

/** Every token must be masked before it is printed, and must never be written to a runner file. */
function expectTokensSafe(tokens: readonly string[], stdout: string, files: RunnerFiles): void {
  const masks = new Set(parseWorkflowCommands(stdout).filter((c) => c.command === 'add-mask').map((c) => c.message));
  const onDisk = [files.output, files.state, files.summary, files.env].map((f) => readFileSync(f, 'utf8')).join('\n');
  for (const token of tokens) {
    expect(masks.has(token)).toBe(true);
    const unmasked = stdout.split('\n').filter((l) => l.includes(token) && !l.startsWith('::add-mask::'));
    expect(unmasked).toEqual([]);
    expect(onDisk.includes(token)).toBe(false);
  }
}

describe('the bundled action with Azure sign-in', () => {
  it('runs the Job, sets monitor-url, and masks every token', async () => {
    const { job, app, subscriptionId, inputs, env } = await azureRun();
    const files = runnerFiles();
    const result = await startStep({ step: 'main', files, inputs: { ...inputs, job: 'etl' }, env }).done;
    expect(errorsOf(result.stdout)).toBe('');
    expect(result.code).toBe(0);
    const outputs = readOutputs(files);
    expect(outputs).toMatchObject({ status: 'Success', result: 'ok' });
    expect(outputs['monitor-url']).toBe(
      `https://portal.azure.com/#resource/subscriptions/${subscriptionId}/resourceGroups/rg-data/providers/Microsoft.ContainerService/managedClusters/aks-data/workloads`,
    );
    expect(result.stdout).toContain('signed in and running');
    const github = await world.gitHubStats(job.requestToken);
    const entra = await world.entraStats(app.clientId);
    expect(github.requests).toBeGreaterThanOrEqual(1);
    expectTokensSafe([...github.issuedTokens, ...entra.issuedTokens], result.stdout, files);
  });

  it('the post step signs in the same way and deletes the Job the killed main step left', async () => {
    const { inputs, env } = await azureRun();
    const files = runnerFiles();
    const before = await runsIn();
    const main = startStep({ step: 'main', files, inputs: { ...inputs, job: 'slow' }, env });
    await waitFor(async () => readFileSync(files.state, 'utf8').includes('job-uid'), { timeoutMs: 60_000 });
    await cancelLikeRunner(main.child, main.done, { sigtermAfterMs: 0, killAfterMs: 0 });
    const post = await startStep({ step: 'post', files, inputs: { ...inputs, job: 'slow' }, env }).done;
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/Deleted jobs\/.*slow-/);
    await waitFor(async () => (await runsIn()) === before, { timeoutMs: 30_000 });
  });

  it.each<[string, Scenario, RegExp]>([
    ['a subject mismatch names the exact subject to add', { subjectOverride: 'repo:polysync/jobs:environment:prod' }, /subject 'repo:polysync\/jobs:ref:refs\/heads\/main'/],
    ['a wrong tenant', { tenantOverride: randomUUID() }, /Tenant '[-0-9a-f]+' (was not found|could not be resolved).*Check input 'tenant-id'/s],
    ['an unknown cluster', { clusterExists: false }, /subscription-id|resource-group|cluster-name/],
    ['a missing ARM role', { role: null }, /Azure Kubernetes Service Cluster User Role/],
    ['disabled local accounts with admin', { localAccountsDisabled: true, admin: true, role: ROLE.clusterAdmin }, /local accounts disabled.*'admin' to false/s],
  ])('%s: says what to fix and leaves no Job', async (_label, scenario, message) => {
    const { inputs, env } = await azureRun(scenario);
    const before = await runsIn();
    const files = runnerFiles();
    const result = await startStep({ step: 'main', files, inputs: { ...inputs, job: 'etl' }, env }).done;
    expect(result.code).not.toBe(0);
    expect(errorsOf(result.stdout)).toMatch(message);
    expect(await runsIn()).toBe(before);
    const post = await startStep({ step: 'post', files, inputs: { ...inputs, job: 'etl' }, env }).done;
    expect(post.code).toBe(0);
  });
});
