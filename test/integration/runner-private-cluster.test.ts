/**
 * The bundled action with `private-cluster: true`, started as the runner starts it: GitHub OIDC →
 * Entra ID → ARM (the fakes), then every Kubernetes call as an ARM runCommand, which the ARM fake
 * runs with the real kubectl against the local control plane as the app's Entra identity (bound to
 * the README's minimal Role only). The main step follows the Job to its end in batches; a
 * cancelled one is deleted by the post step, through runCommand too.
 */
import { randomUUID } from 'node:crypto';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, clusterResourceId } from '../fakes/arm.js';
import { type IdentityWorld } from '../fakes/identity-providers.js';
import { adminKubeConfig, createTestNamespace, jobsFromSource, waitFor } from '../support/cluster.js';
import { readmeRole } from '../support/readme-role.js';
import { annotationsOf, runStep, stagedAction, start } from '../support/runner-steps.js';
import { sourceJob } from '../support/sources.js';
import { killNow } from '../../scripts/lib/runner.mjs';
import { bindRole, entraUser, localApiServer, sharedIdentityWorld, oidcRunnerEnv } from '../support/cluster-identities.js';

let world: IdentityWorld;
let admin: KubeConfig;
let ns: string;
let action: ReturnType<typeof stagedAction>;

beforeAll(async () => {
  world = sharedIdentityWorld();
  admin = adminKubeConfig();
  ns = await createTestNamespace('runner-private');
  action = stagedAction();
});
afterAll(() => {
  action?.dispose();
});

async function privateCluster() {
  const { info } = world;
  const job = await world.addGitHubJob({ repository: 'polysync/demo' });
  const app = await world.registerApp({ tenantId: info.tenantId, federatedCredentials: [{ issuer: job.issuer, subject: job.subject }] });
  const subscriptionId = randomUUID();
  await world.addCluster({
    subscriptionId, resourceGroup: 'rg-jobs', name: 'aks-private', entra: true, tenantId: info.tenantId, ...localApiServer(admin),
    runCommand: { retryAfterSeconds: 0 }, privateCluster: true,
  });
  // Cluster Admin carries runcommand/action and commandResults/read (Cluster User does not).
  await world.assignRole({ principalId: app.objectId, role: ROLE.clusterAdmin, scope: clusterResourceId(subscriptionId, 'rg-jobs', 'aks-private') });
  await bindRole(admin, ns, `runner-private-${app.objectId.slice(0, 8)}`, readmeRole(), entraUser(app.objectId));
  const inputs = {
    namespace: ns, 'private-cluster': 'true',
    'client-id': app.clientId, 'tenant-id': info.tenantId, 'subscription-id': subscriptionId, 'resource-group': 'rg-jobs', 'cluster-name': 'aks-private',
  };
  const env = oidcRunnerEnv(job, info);
  return { inputs, env, commands: () => world.runCommands(subscriptionId) };
}

describe('the bundled action reaches a private cluster through ARM runCommand', () => {
  it('runs the Job to Success with its logs, says logs come in batches, and every call was a runCommand', async () => {
    const cluster = await privateCluster();
    await admin.makeApiClient(BatchV1Api).createNamespacedJob({ namespace: ns, body: sourceJob('private-export', { env: { SIM_LOG: 'exported 7 rows|all done', SIM_LOG_INTERVAL: '200ms' } }) });

    const run = await runStep('main', { root: action.root, inputs: { ...cluster.inputs, job: 'private-export' }, env: cluster.env });

    expect(annotationsOf(run.commands).filter((a) => a.level === 'error')).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'Success' });
    expect(run.stdout).toContain('Through AKS runCommand (private-cluster: true).');
    expect(run.stdout.match(/arrive in batches/g)).toHaveLength(1);
    expect(run.stdout).toContain('exported 7 rows');
    expect(run.stdout).toContain('all done');
    const commands = await cluster.commands();
    expect(commands.length).toBeGreaterThan(2);
    expect(commands.every((c) => c.clusterTokenSent)).toBe(true);
  });

  it('cancelled mid-run: the post step deletes the running Job through runCommand', async () => {
    const cluster = await privateCluster();
    await admin.makeApiClient(BatchV1Api).createNamespacedJob({ namespace: ns, body: sourceJob('private-long', { env: { SIM_DURATION: '120s', SIM_LOG: 'still working' } }) });
    let stdout = '';
    const main = start('main', { root: action.root, inputs: { ...cluster.inputs, job: 'private-long' }, env: cluster.env, onStdout: (c) => { stdout += c; } });
    await waitFor(() => stdout.includes('still working'), { timeoutMs: 90_000, what: 'the first log line through runCommand' });
    // The hardest cancel: the main step is killed outright (no chance to clean up), then the post step runs.
    await killNow(main.child, main.done);
    const post = await runStep('post', { root: action.root, inputs: cluster.inputs, env: cluster.env, files: main.files });
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/Deleted jobs\/.*private-long-/);
    await waitFor(async () => (await jobsFromSource(admin, ns, 'private-long')).every((j) => j.metadata?.deletionTimestamp !== undefined), {
      timeoutMs: 30_000, what: 'the cancelled Job deleted',
    });
  });
});
