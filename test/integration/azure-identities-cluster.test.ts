/**
 * auth-type workload-identity and managed-identity against the real local control plane, which trusts
 * the Entra fake's tokens (global setup), through the ARM fake and, for managed identity, the IMDS fake.
 * Workload identity uses a real projected-style token: a TokenRequest for audience
 * api://AzureADTokenExchange of a ServiceAccount, which Entra verifies against the control plane's
 * service-account keys (/openid/v1/jwks), as Entra verifies an AKS cluster's OIDC issuer.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BatchV1Api, CoreV1Api, OpenidApi, type KubeConfig } from '@kubernetes/client-node';
import type { JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signInToAks } from '../../src/azure/sign-in.js';
import { parseRunSettings } from '../../src/core/parse-settings.js';
import type { AzureConnection } from '../../src/core/settings.js';
import { AuthError } from '../../src/core/errors.js';
import { ROLE, clusterResourceId } from '../fakes/arm.js';
import { type IdentityWorld } from '../fakes/identity-providers.js';
import { adminKubeConfig, createTestNamespace } from '../support/cluster.js';
import { readmeRole } from '../support/readme-role.js';
import { runAction } from '../support/run-action.js';
import { annotationsOf, leaksOf, runStep, stagedAction } from '../support/runner-steps.js';
import { sourceJob } from '../support/sources.js';
import { bindRole, entraUser, localApiServer, sharedIdentityWorld } from '../support/cluster-identities.js';

const SA_ISSUER = 'https://kubernetes.default.svc.cluster.local';
let world: IdentityWorld;
let admin: KubeConfig;
let ns: string;
const dir = mkdtempSync(join(tmpdir(), 'azure-identities-'));

beforeAll(async () => {
  world = sharedIdentityWorld();
  admin = adminKubeConfig();
  ns = await createTestNamespace('azid');
  // Typed as a string, but client-node hands back the parsed JSON.
  const answer: unknown = await admin.makeApiClient(OpenidApi).getServiceAccountIssuerOpenIDKeyset();
  const keys = (typeof answer === 'string' ? JSON.parse(answer) : answer) as { keys: JsonWebKey[] };
  await world.trustIssuer({ issuer: SA_ISSUER, keys: keys.keys });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An AKS cluster in ARM that is the local API server, the identity allowed to list its credentials and bound to the README Role. */
async function aksFor(objectId: string): Promise<{ subscriptionId: string }> {
  const subscriptionId = randomUUID();
  await world.addCluster({ subscriptionId, resourceGroup: 'rg', name: 'aks', ...localApiServer(admin), entra: true, tenantId: world.info.tenantId });
  await world.assignRole({ principalId: objectId, role: ROLE.clusterUser, scope: clusterResourceId(subscriptionId, 'rg', 'aks') });
  await bindRole(admin, ns, `polysync-${objectId.slice(0, 8)}`, readmeRole(), entraUser(objectId));
  return { subscriptionId };
}

async function projectedToken(sa: string): Promise<string> {
  const t = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    namespace: ns, name: sa, body: { spec: { audiences: ['api://AzureADTokenExchange'], expirationSeconds: 3600 } },
  });
  if (!t.status?.token) throw new Error('no token');
  return t.status.token;
}

const inputs = (o: Record<string, string>) => (name: string): string => o[name] ?? '';
const noOidc = (): Promise<string> => Promise.reject(new Error('no platform OIDC token here'));

it('workload identity: a Job runs while kubelet rotates the token file, and the new token is the one Entra sees', async () => {
  await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'wi-runner' } } });
  const app = await world.registerApp({
    tenantId: world.info.tenantId, tokenLifetimeSeconds: 20,
    federatedCredentials: [{ issuer: SA_ISSUER, subject: `system:serviceaccount:${ns}:wi-runner` }],
  });
  const { subscriptionId } = await aksFor(app.objectId);
  const tokenFile = join(dir, 'azure-identity-token');
  const first = await projectedToken('wi-runner');
  writeFileSync(tokenFile, first);
  const env = { AZURE_CLIENT_ID: app.clientId, AZURE_TENANT_ID: world.info.tenantId, AZURE_FEDERATED_TOKEN_FILE: tokenFile, AZURE_AUTHORITY_HOST: `${world.info.authorityHost}/` };
  const settings = parseRunSettings(inputs({
    job: 'long-etl', namespace: ns, 'auth-type': 'workload-identity', 'subscription-id': subscriptionId, 'resource-group': 'rg', 'cluster-name': 'aks',
  }), { env, fileExists: existsSync });
  const masked: string[] = [];
  // The authority is the webhook's AZURE_AUTHORITY_HOST; only ARM needs the test override.
  const { kubeConfig } = await signInToAks(settings.connection as AzureConnection, noOidc, (s) => masked.push(s),
    { endpoints: { resourceManager: world.info.armEndpoint }, extraCaPem: world.info.caPem });
  await admin.makeApiClient(BatchV1Api).createNamespacedJob({
    namespace: ns, body: sourceJob('long-etl', { env: { SIM_DURATION: '25s', SIM_LOG: 'start|done', SIM_LOG_INTERVAL: '20s' } }),
  });

  const second = await projectedToken('wi-runner');
  const rotation = setTimeout(() => writeFileSync(tokenFile, second), 8_000);
  const run = await runAction(kubeConfig, { job: 'long-etl', namespace: ns });
  clearTimeout(rotation);

  expect(run.error).toBeUndefined();
  expect(run.reporter.outputs.status).toBe('Success');
  expect(run.reporter.lines).toEqual(expect.arrayContaining(['start', 'done']));
  const { assertions } = await world.entraStats(app.clientId);
  expect(assertions).toContain(first);
  expect(assertions).toContain(second);
  expect(assertions.lastIndexOf(first)).toBeLessThan(assertions.indexOf(second));
  expect(new Set(assertions)).toEqual(new Set([first, second]));
  expect(masked).toEqual(expect.arrayContaining([first, second]));
}, 120_000);

it('managed identity: retries 429 and 503, says to set client-id when the VM has several identities, then runs as the one named', async () => {
  // 20 s tokens: the first AKS token expires during the 25 s Job, so IMDS is asked again and again.
  const a = await world.registerApp({ tenantId: world.info.tenantId, federatedCredentials: [], tokenLifetimeSeconds: 20 });
  const b = await world.registerApp({ tenantId: world.info.tenantId, federatedCredentials: [] });
  const vm = await world.addVm({ userAssigned: [a.clientId, b.clientId], failures: [429, 503] });
  const { subscriptionId } = await aksFor(a.objectId);
  await admin.makeApiClient(BatchV1Api).createNamespacedJob({ namespace: ns, body: sourceJob('mi-job', { env: { SIM_LOG: 'hello from the VM|still here', SIM_DURATION: '25s', SIM_LOG_INTERVAL: '20s' } }) });
  const cluster = { 'auth-type': 'managed-identity', 'subscription-id': subscriptionId, 'resource-group': 'rg', 'cluster-name': 'aks' };

  const unnamed = parseRunSettings(inputs({ job: 'mi-job', namespace: ns, ...cluster }));
  const error: unknown = await signInToAks(unnamed.connection as AzureConnection, noOidc, () => {}, { endpoints: { imds: vm.endpoint, resourceManager: world.info.armEndpoint }, extraCaPem: world.info.caPem })
    .then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AuthError);
  expect((error as Error).message).toMatch(/^This VM has several user-assigned managed identities and none was named: set input 'client-id'/);
  expect((await world.imdsRequests(vm.vmId)).map((r) => [r.status, r.metadataHeader, r.clientId])).toEqual([[429, 'true', null], [503, 'true', null], [400, 'true', null]]);

  // The action as the runner starts it on the VM, pointed at the fake by the POLYSYNC_IMDS_ENDPOINT seam.
  const action = stagedAction();
  try {
    const run = await runStep('main', {
      root: action.root,
      inputs: { job: 'mi-job', namespace: ns, ...cluster, 'client-id': a.clientId },
      env: { NODE_EXTRA_CA_CERTS: world.info.caPemPath, POLYSYNC_IMDS_ENDPOINT: vm.endpoint, POLYSYNC_ARM_ENDPOINT: world.info.armEndpoint },
    });
    expect(annotationsOf(run.commands).filter((x) => x.level === 'error')).toEqual([]);
    expect(run.outputs.status).toBe('Success');
    expect(run.stdout).toContain('hello from the VM');
    expect(run.stdout).toContain('still here');
    expect(run.stdout).toContain(`signed in as application ${a.clientId} through the VM's managed identity (IMDS); auth-type managed-identity.`);
    const served = (await world.imdsRequests(vm.vmId)).slice(3);
    expect(served.length).toBeGreaterThan(2); // ARM, the AKS server app, and renewals during the run
    expect(served.every((r) => r.status === 200 && r.metadataHeader === 'true' && r.clientId === a.clientId)).toBe(true);
    const issued = (await world.entraStats(a.clientId)).issuedTokens;
    for (const token of issued) expect(leaksOf(run, token)).toEqual([]);
    const post = await runStep('post', {
      root: action.root, inputs: { job: 'mi-job', namespace: ns, ...cluster, 'client-id': a.clientId }, files: run.files,
      env: { NODE_EXTRA_CA_CERTS: world.info.caPemPath, POLYSYNC_IMDS_ENDPOINT: vm.endpoint, POLYSYNC_ARM_ENDPOINT: world.info.armEndpoint },
    });
    expect(post.code).toBe(0);
  } finally {
    action.dispose();
  }
}, 120_000);

it('workload identity from the action as the runner starts it in an ARC pod: only the webhook variables and the cluster inputs', async () => {
  await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'arc-runner' } } });
  const app = await world.registerApp({
    tenantId: world.info.tenantId, federatedCredentials: [{ issuer: SA_ISSUER, subject: `system:serviceaccount:${ns}:arc-runner` }],
  });
  const { subscriptionId } = await aksFor(app.objectId);
  await admin.makeApiClient(BatchV1Api).createNamespacedJob({ namespace: ns, body: sourceJob('arc-job', { env: { SIM_LOG: 'hello from ARC' } }) });
  const tokenFile = join(dir, 'arc-token');
  const token = await projectedToken('arc-runner');
  writeFileSync(tokenFile, token);
  const action = stagedAction();
  try {
    const env = {
      NODE_EXTRA_CA_CERTS: world.info.caPemPath, POLYSYNC_ARM_ENDPOINT: world.info.armEndpoint,
      AZURE_CLIENT_ID: app.clientId, AZURE_TENANT_ID: world.info.tenantId, AZURE_FEDERATED_TOKEN_FILE: tokenFile, AZURE_AUTHORITY_HOST: `${world.info.authorityHost}/`,
    };
    const cluster = { 'auth-type': 'workload-identity', 'subscription-id': subscriptionId, 'resource-group': 'rg', 'cluster-name': 'aks' };
    const run = await runStep('main', { root: action.root, inputs: { job: 'arc-job', namespace: ns, ...cluster }, env });
    expect(annotationsOf(run.commands).filter((x) => x.level === 'error')).toEqual([]);
    expect(run.outputs.status).toBe('Success');
    expect(run.stdout).toContain('hello from ARC');
    expect(run.stdout).toContain(`signed in as application ${app.clientId} through workload identity (AZURE_FEDERATED_TOKEN_FILE); auth-type workload-identity.`);
    expect(run.commands).toContainEqual({ command: 'add-mask', properties: '', message: token });
    expect(leaksOf(run, token)).toEqual([]);
    expect((await world.entraStats(app.clientId)).assertions).toContain(token);
    const post = await runStep('post', { root: action.root, inputs: { job: 'arc-job', namespace: ns, ...cluster }, env, files: run.files });
    expect(post.code).toBe(0);
  } finally {
    action.dispose();
  }
}, 120_000);
