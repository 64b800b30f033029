/**
 * Azure sign-in against the real local control plane, which trusts the Entra fake's issuer (audience
 * 6dae42f8-…, username = oid) and authorizes that identity with the README's minimal Role.
 *
 * The API server must trust the issuer from its start. When the global setup provides
 * `identityProviders` (startIdentityProviders() started before the shared cluster, with
 * controlPlaneJwtArgs()), this file uses that world and cluster; otherwise it starts its own fakes and
 * its own control plane (~3 s), as control-plane-jwt.test.ts does.
 */
import { BatchV1Api, CoreV1Api, KubeConfig, type V1Role } from '@kubernetes/client-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { signInToAks } from '../../src/azure/sign-in.js';
import { startCluster, type StartedCluster } from '../../scripts/localcluster.mjs';
import { ROLE, clusterResourceId } from '../fakes/arm.js';
import { gitHubTokenSource } from '../fakes/github-oidc.js';
import {
  connectIdentityProviders, controlPlaneJwtArgs, startIdentityProviders, type IdentityWorld, type RunningIdentityProviders,
} from '../fakes/identity-providers.js';
import { waitFor } from '../support/cluster.js';
import { readmeRole } from '../support/readme-role.js';
import { runAction } from '../support/run-action.js';
import { sourceJob } from '../support/sources.js';
import { bindRole, entraUser } from '../support/cluster-identities.js';

let world: IdentityWorld;
let admin: KubeConfig;
let ownProviders: RunningIdentityProviders | undefined;
let ownCluster: StartedCluster | undefined;
const dir = mkdtempSync(join(tmpdir(), 'azure-sign-in-cluster-'));
const ns = `azure-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  const shared = inject('identityProviders');
  admin = new KubeConfig();
  if (shared) {
    world = connectIdentityProviders(shared);
    admin.loadFromFile(inject('kubeconfigPath'));
  } else {
    ownProviders = await startIdentityProviders();
    world = ownProviders;
    ownCluster = await startCluster({ kubeconfigPath: join(dir, 'kubeconfig'), extraArgs: controlPlaneJwtArgs(ownProviders.info) });
    admin.loadFromFile(ownCluster.kubeconfigPath);
  }
  const core = admin.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await waitFor(() => core.readNamespacedServiceAccount({ namespace: ns, name: 'default' }).then(() => true), { what: `serviceaccounts/${ns}/default` });
});

afterAll(async () => {
  await admin?.makeApiClient(CoreV1Api).deleteNamespace({ name: ns, propagationPolicy: 'Background' }).catch(() => undefined);
  await ownCluster?.stop();
  await ownProviders?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An app federated with a GitHub job, an AKS cluster in ARM pointing at the local API server, and a RoleBinding for its oid. */
async function federatedIdentity(role: V1Role, tokenLifetimeSeconds: number) {
  const { info } = world;
  const job = await world.addGitHubJob({ repository: 'polysync/jobs', lifetimeSeconds: tokenLifetimeSeconds });
  const app = await world.registerApp({ tenantId: info.tenantId, federatedCredentials: [{ issuer: job.issuer, subject: job.subject }], tokenLifetimeSeconds });
  const cluster = admin.getCurrentCluster();
  if (!cluster?.caData) throw new Error('admin kubeconfig has no cluster CA');
  const subscriptionId = randomUUID();
  await world.addCluster({
    subscriptionId, resourceGroup: 'rg', name: 'aks', server: cluster.server, caPem: Buffer.from(cluster.caData, 'base64').toString('utf8'),
    entra: true, tenantId: info.tenantId,
  });
  await world.assignRole({ principalId: app.objectId, role: ROLE.clusterUser, scope: clusterResourceId(subscriptionId, 'rg', 'aks') });

  await bindRole(admin, ns, `polysync-${app.objectId.slice(0, 8)}`, role, entraUser(app.objectId));
  const { kubeConfig } = await signInToAks(
    { kind: 'azure', signIn: { kind: 'oidc' }, clientId: app.clientId, tenantId: info.tenantId, subscriptionId, resourceGroup: 'rg', clusterName: 'aks',
      environment: 'AzureCloud', admin: false, audience: 'api://AzureADTokenExchange', privateCluster: 'false' },
    gitHubTokenSource(job, info.caPem), () => {},
    { endpoints: { authorityHost: info.authorityHost, resourceManager: info.armEndpoint }, extraCaPem: info.caPem },
  );
  return { kubeConfig, job };
}

const jobsIn = async (): Promise<string[]> =>
  (await admin.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: ns })).items.map((j) => j.metadata?.name ?? '');

it('runs a 90 s Job with 20 s tokens: renewed without a failed request, GitHub asked again and again', async () => {
  const { kubeConfig, job } = await federatedIdentity(readmeRole(), 20);
  const atSignIn = (await world.gitHubStats(job.requestToken)).requests;
  await admin.makeApiClient(BatchV1Api).createNamespacedJob({
    namespace: ns, body: sourceJob('long-etl', { env: { SIM_DURATION: '90s', SIM_LOG: 'start|halfway|done', SIM_LOG_INTERVAL: '40s' } }),
  });

  const run = await runAction(kubeConfig, { job: 'long-etl', namespace: ns });

  expect(run.error).toBeUndefined();
  expect(run.reporter.outputs).toMatchObject({ status: 'Success' });
  expect(run.reporter.lines).toEqual(expect.arrayContaining(['start', 'halfway', 'done']));
  expect((await world.gitHubStats(job.requestToken)).requests).toBeGreaterThan(atSignIn + 1);
}, 240_000);

it('names what to grant when the identity lacks a Kubernetes verb, and leaves no Job behind', async () => {
  const role = readmeRole();
  const withoutCreate = {
    ...role,
    rules: role.rules?.map((r) => (r.resources?.includes('jobs') ? { ...r, verbs: r.verbs.filter((v) => v !== 'create') } : r)),
  };
  await admin.makeApiClient(BatchV1Api).createNamespacedJob({ namespace: ns, body: sourceJob('nightly', { env: { SIM_LOG: 'hi' } }) });
  const before = await jobsIn();
  const { kubeConfig } = await federatedIdentity(withoutCreate, 3599);

  const { error } = await runAction(kubeConfig, { job: 'nightly', namespace: ns });

  expect(error?.message).toMatch(/403/);
  expect(error?.message).toMatch(/Grant the action's identity the verbs/);
  expect(await jobsIn()).toEqual(before);
});
