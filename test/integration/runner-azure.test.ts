/**
 * The bundled action's Azure sign-in as the runner starts it: ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN
 * aimed at the test token service, NODE_EXTRA_CA_CERTS for the fakes' CA (read only at process
 * start, so only a child process can prove it), and the endpoint overrides the entry reads from the
 * environment. GitHub OIDC → Entra ID → ARM are protocol-faithful fakes; the cluster is the stub that
 * authenticates tokens as AKS's JWT authenticator does (Job behaviour with Azure sign-in against the
 * real control plane needs the control plane to trust the Entra fake: see the report to the lead).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, clusterResourceId } from '../fakes/arm.js';
import { startIdentityProviders, type RunningIdentityProviders } from '../fakes/identity-providers.js';
import { startKubeApiStub, type KubeApiStub } from '../fakes/kube-api-stub.js';
import { createTestCa } from '../fakes/test-ca.js';
import { annotationsOf, leaksOf, runStep, stagedAction } from '../support/runner-steps.js';

let world: RunningIdentityProviders;
let kubeApi: KubeApiStub;
let action: ReturnType<typeof stagedAction>;
const clusterCa = createTestCa('runner-azure cluster CA');

beforeAll(async () => {
  world = await startIdentityProviders();
  kubeApi = await startKubeApiStub(clusterCa, world.info.issuerUrl, world.info.caPem);
  action = stagedAction();
});
afterAll(async () => {
  action?.dispose();
  await kubeApi?.close();
  await world?.close();
});

describe('the bundled main step signs in to AKS through the runner’s OIDC token service', () => {
  it('requests the ID token with the runner’s request token, reaches the cluster with an Entra token, and masks every token', async () => {
    const { info } = world;
    const job = await world.addGitHubJob({ repository: 'polysync/demo' });
    const app = await world.registerApp({ tenantId: info.tenantId, federatedCredentials: [{ issuer: job.issuer, subject: job.subject }] });
    const subscriptionId = randomUUID();
    await world.addCluster({
      subscriptionId, resourceGroup: 'rg-jobs', name: 'aks-jobs', server: kubeApi.url, caPem: clusterCa.certPem, entra: true, tenantId: info.tenantId,
    });
    await world.assignRole({ principalId: app.objectId, role: ROLE.clusterUser, scope: clusterResourceId(subscriptionId, 'rg-jobs', 'aks-jobs') });

    const run = await runStep('main', {
      root: action.root,
      inputs: {
        job: 'nightly-export', namespace: 'data',
        'client-id': app.clientId, 'tenant-id': info.tenantId, 'subscription-id': subscriptionId, 'resource-group': 'rg-jobs', 'cluster-name': 'aks-jobs',
      },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: job.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: job.requestToken,
        NODE_EXTRA_CA_CERTS: info.caPemPath,
        POLYSYNC_AZURE_AUTHORITY_HOST: info.authorityHost,
        POLYSYNC_ARM_ENDPOINT: info.armEndpoint,
      },
    });

    // Signed in: the stub saw the source lookup, authenticated as the app's Entra identity.
    const lookup = kubeApi.requests.find((r) => r.path === '/apis/batch/v1/namespaces/data/jobs/nightly-export');
    expect(lookup?.username).toBe(app.objectId);
    // The stub has no such Job: a clear source error, titled, and nothing to clean up.
    expect(run.code).toBe(1);
    const errors = annotationsOf(run.commands).filter((a) => a.level === 'error');
    expect(errors).toEqual([expect.objectContaining({ title: 'Source not usable' })]);
    expect(errors[0]?.message).toContain('jobs/data/nightly-export');
    expect(run.state).toEqual({});

    const stats = await world.gitHubStats(job.requestToken);
    expect(stats.requests).toBeGreaterThanOrEqual(1);
    // The GitHub ID token and the Entra access token are masked before they could be printed.
    for (const secret of [...stats.issuedTokens, lookup?.token ?? '']) {
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
