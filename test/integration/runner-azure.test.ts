/**
 * The bundled action's Azure sign-in as the runner starts it: ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN
 * aimed at the test token service, NODE_EXTRA_CA_CERTS for the fakes' CA (read only at process
 * start, so only a child process can prove it), and the endpoint overrides the entry reads from the
 * environment. GitHub OIDC → Entra ID → ARM are the global setup's identity world, whose Entra
 * issuer the local control plane trusts as AKS trusts Entra ID: the Job runs end to end, created by
 * the app's identity (its oid is the username, bound to the README's Role).
 */
import { randomUUID } from 'node:crypto';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, clusterResourceId } from '../fakes/arm.js';
import { type IdentityWorld } from '../fakes/identity-providers.js';
import { adminKubeConfig, createTestNamespace, jobsFromSource } from '../support/cluster.js';
import { readmeRole } from '../support/readme-role.js';
import { annotationsOf, leaksOf, runStep, stagedAction } from '../support/runner-steps.js';
import { sourceJob } from '../support/sources.js';
import { bindRole, entraUser, localApiServer, sharedIdentityWorld, oidcRunnerEnv } from '../support/cluster-identities.js';

let world: IdentityWorld;
let admin: KubeConfig;
let ns: string;
let action: ReturnType<typeof stagedAction>;

beforeAll(async () => {
  world = sharedIdentityWorld();
  admin = adminKubeConfig();
  ns = await createTestNamespace('runner-azure');
  action = stagedAction();
});
afterAll(() => {
  action?.dispose();
});

describe('the bundled main step signs in to AKS through the runner’s OIDC token service', () => {
  it('requests the ID token with the runner’s request token, runs the Job on the control plane with an Entra token, and masks every token', async () => {
    const { info } = world;
    const job = await world.addGitHubJob({ repository: 'polysync/demo' });
    const app = await world.registerApp({ tenantId: info.tenantId, federatedCredentials: [{ issuer: job.issuer, subject: job.subject }] });
    const subscriptionId = randomUUID();
    await world.addCluster({ subscriptionId, resourceGroup: 'rg-jobs', name: 'aks-jobs', entra: true, tenantId: info.tenantId, ...localApiServer(admin) });
    await world.assignRole({ principalId: app.objectId, role: ROLE.clusterUser, scope: clusterResourceId(subscriptionId, 'rg-jobs', 'aks-jobs') });
    await bindRole(admin, ns, `runner-azure-${app.objectId.slice(0, 8)}`, readmeRole(), entraUser(app.objectId));
    await admin.makeApiClient(BatchV1Api).createNamespacedJob({ namespace: ns, body: sourceJob('nightly-export', { env: { SIM_LOG: 'exported 42 rows' } }) });

    const run = await runStep('main', {
      root: action.root,
      inputs: {
        job: 'nightly-export', namespace: ns,
        'client-id': app.clientId, 'tenant-id': info.tenantId, 'subscription-id': subscriptionId, 'resource-group': 'rg-jobs', 'cluster-name': 'aks-jobs',
      },
      env: oidcRunnerEnv(job, info),
    });

    // The Job ran to its end, created with the app's Entra identity: the run had no other credential,
    // and only the app's oid is bound to a Role in this namespace.
    expect(annotationsOf(run.commands).filter((a) => a.level === 'error')).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'Success' });
    expect(run.stdout).toContain('exported 42 rows');
    const [created] = await jobsFromSource(admin, ns, 'nightly-export');
    expect(created?.metadata?.name).toBe(run.outputs['run-id']);
    expect(run.state).toMatchObject({ 'job-finished': 'true' });

    const stats = await world.gitHubStats(job.requestToken);
    expect(stats.requests).toBeGreaterThanOrEqual(1);
    const entraTokens = (await world.entraStats(app.clientId)).issuedTokens;
    expect(entraTokens.length).toBeGreaterThanOrEqual(1);
    // The GitHub ID tokens and the Entra access tokens are masked before they could be printed.
    for (const secret of [...stats.issuedTokens, ...entraTokens]) {
      expect(secret).not.toBe('');
      expect(run.commands).toContainEqual({ command: 'add-mask', properties: '', message: secret });
      expect(leaksOf(run, secret)).toEqual([]);
    }
    expect(run.stdout).not.toContain(job.requestToken);
    expect(run.stderr).toBe('');

    const post = await runStep('post', { root: action.root, inputs: { 'client-id': app.clientId }, files: run.files });
    expect(post.code).toBe(0);
  });
});
