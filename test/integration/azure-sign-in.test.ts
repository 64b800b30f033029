/**
 * Azure sign-in through the global setup's identity world (GitHub's ID-token service, Entra ID and
 * ARM fakes on 127.0.0.1, test CA) to the real local control plane, which trusts the Entra fake's
 * issuer as AKS trusts Entra ID (username = oid). ARM hands out the control plane's address behind
 * api-proxy.ts, which records the bearer token of every request: which credential each one carried
 * (renewals, reuse); the API server itself authenticates them, refuses expired ones and authorizes
 * the app's oid with the README's Role.
 */
import { AuthenticationV1Api, BatchV1Api, Log, Watch, type KubeConfig } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/core/errors.js';
import type { AzureConnection } from '../../src/core/settings.js';
import { signInToAks, type SignInOptions } from '../../src/azure/sign-in.js';
import { ROLE, clusterResourceId, type ClusterSpec, type RoleName } from '../fakes/arm.js';
import { gitHubTokenSource, type GitHubJob, type GitHubJobSpec } from '../fakes/github-oidc.js';
import { type IdentityWorld } from '../fakes/identity-providers.js';
import { startApiProxy, type ApiProxy } from '../support/api-proxy.js';
import { adminKubeConfig, createTestNamespace, podsOfJob, waitFor } from '../support/cluster.js';
import { limitedKubeConfig } from '../support/limited-identity.js';
import { readmeRole } from '../support/readme-role.js';
import { sourceJob } from '../support/sources.js';
import { bindRole, entraUser, sharedIdentityWorld } from '../support/cluster-identities.js';

let world: IdentityWorld;
let admin: KubeConfig;
let ns: string;
let proxy: ApiProxy;
/** The proxy's CA: what ARM's kubeconfig for the cluster carries. */
let proxyCaPem: string;
/** A pod that printed one line and finished. */
let podName: string;

beforeAll(async () => {
  world = sharedIdentityWorld();
  admin = adminKubeConfig();
  ns = await createTestNamespace('sign-in');
  proxy = await startApiProxy(admin);
  proxyCaPem = Buffer.from(proxy.kubeConfig.getCurrentCluster()?.caData ?? '', 'base64').toString('utf8');
  const job = await admin.makeApiClient(BatchV1Api).createNamespacedJob({
    namespace: ns, body: sourceJob('hello', { env: { SIM_LOG: 'hello from the pod' }, spec: { suspend: false } }),
  });
  const batch = admin.makeApiClient(BatchV1Api);
  // Complete, so the watch below sees the Job as it stays (the controller's updates have ended).
  await waitFor(async () => (await batch.readNamespacedJob({ namespace: ns, name: 'hello' })).status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ?? false,
    { timeoutMs: 60_000, what: 'jobs/hello to complete' });
  podName = (await podsOfJob(admin, ns, job.metadata?.uid))[0]?.metadata?.name ?? '';
});
afterAll(async () => {
  await proxy?.close();
});

interface ScenarioOptions {
  readonly job?: Partial<GitHubJobSpec>;
  /** Subject registered on the federated credential; defaults to the job's own subject. */
  readonly registeredSubject?: (jobSubject: string) => string;
  readonly tokenLifetimeSeconds?: number;
  readonly role?: RoleName | null;
  readonly cluster?: Partial<ClusterSpec>;
  readonly connection?: Partial<AzureConnection>;
}

interface Scenario {
  readonly conn: AzureConnection;
  readonly job: GitHubJob;
  readonly objectId: string;
  readonly masked: string[];
  signIn(): ReturnType<typeof signInToAks>;
}

/** One isolated world per test: its own GitHub job, app, subscription and cluster. */
async function scenario(o: ScenarioOptions = {}): Promise<Scenario> {
  const { info } = world;
  const job = await world.addGitHubJob({ repository: 'polysync/jobs', ...o.job });
  const app = await world.registerApp({
    tenantId: info.tenantId,
    federatedCredentials: [{ issuer: job.issuer, subject: (o.registeredSubject ?? ((s) => s))(job.subject) }],
    ...(o.tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds: o.tokenLifetimeSeconds }),
  });
  const subscriptionId = randomUUID();
  const cluster: ClusterSpec = {
    subscriptionId, resourceGroup: 'rg-jobs', name: 'aks-jobs', server: proxy.kubeConfig.getCurrentCluster()?.server ?? '', caPem: proxyCaPem,
    entra: true, tenantId: info.tenantId, ...o.cluster,
  };
  await world.addCluster(cluster);
  if (o.role !== null) {
    await world.assignRole({ principalId: app.objectId, role: o.role ?? ROLE.clusterUser,
      scope: clusterResourceId(subscriptionId, cluster.resourceGroup, cluster.name) });
  }
  // The README's Role for the app's oid: the username AKS (and this API server) takes from `oid`.
  await bindRole(admin, ns, `sign-in-${app.objectId.slice(0, 8)}`, readmeRole(), entraUser(app.objectId));
  const conn: AzureConnection = {
    kind: 'azure', signIn: { kind: 'oidc' }, clientId: app.clientId, tenantId: info.tenantId, subscriptionId, resourceGroup: cluster.resourceGroup,
    clusterName: cluster.name, environment: 'AzureCloud', admin: false, audience: 'api://AzureADTokenExchange', privateCluster: 'false', ...o.connection,
  };
  const masked: string[] = [];
  const options: SignInOptions = { endpoints: { authorityHost: info.authorityHost, resourceManager: info.armEndpoint }, extraCaPem: info.caPem };
  return {
    conn, job, objectId: app.objectId, masked,
    signIn: () => signInToAks(conn, gitHubTokenSource(job, info.caPem), (s) => masked.push(s), options),
  };
}

async function signInError(s: Scenario): Promise<AuthError> {
  const error: unknown = await s.signIn().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

async function readLog(kc: KubeConfig): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  await new Log(kc).log(ns, podName, 'main', out);
  await ended;
  return Buffer.concat(chunks).toString('utf8');
}

async function watchOnce(kc: KubeConfig): Promise<string[]> {
  const seen: string[] = [];
  await new Promise<void>((resolve, reject) => {
    // timeoutSeconds: the API server ends the watch itself after its initial events.
    void new Watch(kc).watch(`/apis/batch/v1/namespaces/${ns}/jobs`, { timeoutSeconds: 1 }, (phase) => seen.push(phase),
      (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(JSON.stringify(err))) : resolve()));
  });
  return seen;
}

/** Who the API server says the kubeconfig's credential is (SelfSubjectReview). */
async function whoAmI(kc: KubeConfig): Promise<string | undefined> {
  return (await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} })).status?.userInfo?.username;
}

/** Lists the Jobs of the test namespace: a call the README's Role allows. */
const listJobs = (kc: KubeConfig) => kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: ns });

describe('signInToAks through GitHub OIDC → Entra ID → ARM', () => {
  it('returns a KubeConfig for the cluster whose Entra user authenticates API calls, watches and logs', async () => {
    const s = await scenario();
    const { kubeConfig, monitorUrl } = await s.signIn();

    expect(kubeConfig.getCurrentCluster()).toMatchObject({ server: proxy.kubeConfig.getCurrentCluster()?.server, caData: Buffer.from(proxyCaPem).toString('base64') });
    expect(kubeConfig.getCurrentUser()).not.toHaveProperty('exec');
    expect(monitorUrl).toBe(`https://portal.azure.com/#resource/subscriptions/${s.conn.subscriptionId}/resourceGroups/rg-jobs/providers/Microsoft.ContainerService/managedClusters/aks-jobs/workloads`);

    const before = proxy.requests.length;
    expect(await whoAmI(kubeConfig)).toBe(s.objectId);
    expect((await listJobs(kubeConfig)).items.map((j) => j.metadata?.name)).toEqual(['hello']);
    expect((await watchOnce(kubeConfig))[0]).toBe('ADDED');
    expect(await readLog(kubeConfig)).toBe('hello from the pod\n');
    const mine = proxy.requests.slice(before);
    expect(mine.map((r) => r.path.replace(/\?.*/, ''))).toEqual([
      '/apis/authentication.k8s.io/v1/selfsubjectreviews', `/apis/batch/v1/namespaces/${ns}/jobs`, `/apis/batch/v1/namespaces/${ns}/jobs`,
      `/api/v1/namespaces/${ns}/pods/${podName}/log`,
    ]);
    // Every request carried an access token Entra ID issued to this app.
    const issued = (await world.entraStats(s.conn.clientId)).issuedTokens;
    expect(mine.filter((r) => !issued.includes(r.token))).toEqual([]);
  });

  it('renews short-lived tokens with a fresh GitHub token each time, without a failed request', async () => {
    // 20 s tokens: below MSAL's 5-minute renewal margin, so every request needs a new access token,
    // hence a new client assertion; GitHub tokens of 20 s would be refused if one were reused later.
    const s = await scenario({ tokenLifetimeSeconds: 20, job: { lifetimeSeconds: 20 } });
    const { kubeConfig } = await s.signIn();
    const afterSignIn = (await world.gitHubStats(s.job.requestToken)).requests;
    expect(afterSignIn).toBe(2); // one for the ARM token, one for the AKS token

    const before = proxy.requests.length;
    for (let i = 0; i < 3; i++) {
      await listJobs(kubeConfig);
    }
    const later = await world.gitHubStats(s.job.requestToken);
    expect(later.requests).toBe(afterSignIn + 3);
    const tokens = proxy.requests.slice(before).map((r) => r.token);
    expect(new Set(tokens).size).toBe(3);
  });

  it('keeps working after the first tokens have expired', async () => {
    // Tokens (Entra and GitHub) of 3 s: after the pause every token sign-in obtained is expired, and the
    // API server refuses expired tokens; the request still succeeds.
    const s = await scenario({ tokenLifetimeSeconds: 3, job: { lifetimeSeconds: 3 } });
    const { kubeConfig } = await s.signIn();
    await listJobs(kubeConfig);
    const first = proxy.requests.at(-1)?.token;
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await whoAmI(kubeConfig)).toBe(s.objectId);
    expect(proxy.requests.at(-1)?.token).not.toBe(first);
    expect((await world.gitHubStats(s.job.requestToken)).requests).toBe(4);
  });

  it('reuses tokens that are far from expiry instead of asking GitHub on every request', async () => {
    const s = await scenario({ tokenLifetimeSeconds: 3599 });
    const { kubeConfig } = await s.signIn();
    for (let i = 0; i < 3; i++) await listJobs(kubeConfig);
    expect((await world.gitHubStats(s.job.requestToken)).requests).toBe(2);
    expect((await world.entraStats(s.conn.clientId)).issuedTokens).toHaveLength(2);
  });

  it('passes every federated and access token to mask', async () => {
    const s = await scenario({ tokenLifetimeSeconds: 20 });
    const { kubeConfig } = await s.signIn();
    await listJobs(kubeConfig);
    const issued = [
      ...(await world.gitHubStats(s.job.requestToken)).issuedTokens,
      ...(await world.entraStats(s.conn.clientId)).issuedTokens,
    ];
    expect(issued.length).toBeGreaterThanOrEqual(6);
    expect(issued.filter((t) => !s.masked.includes(t))).toEqual([]);
  });

  it('uses a local-account kubeconfig as given and masks its credentials', async () => {
    // ARM's admin credentials carry a static token; here a ServiceAccount's, which the API server knows.
    const local = await limitedKubeConfig(admin, ns, `local-${randomUUID().slice(0, 8)}`, readmeRole());
    const token = local.getCurrentUser()?.token ?? '';
    const s = await scenario({ role: ROLE.clusterAdmin, cluster: { localUser: { token } }, connection: { admin: true } });
    const { kubeConfig } = await s.signIn();
    expect(kubeConfig.getCurrentUser()?.token).toBe(token);
    expect(await whoAmI(kubeConfig)).toBe(`system:serviceaccount:${ns}:${local.getCurrentUser()?.name ?? ''}`);
    expect(proxy.requests.at(-1)?.token).toBe(token);
    expect(s.masked).toContain(token);
  });
});

describe('signInToAks says what to fix', () => {
  it('names the exact subject to add when no federated credential matches it', async () => {
    const s = await scenario({ job: { environment: undefined }, registeredSubject: () => 'repo:polysync/jobs:environment:prod' });
    const error = await signInError(s);
    expect(s.job.subject).toBe('repo:polysync/jobs:ref:refs/heads/main');
    expect(error.message).toContain(`Add a federated credential with subject 'repo:polysync/jobs:ref:refs/heads/main' (exactly)`);
    expect(error.message).toContain(`az ad app federated-credential create --id ${s.conn.clientId}`);
  });

  it('names the subject of an environment job and says when only letter case differs', async () => {
    const s = await scenario({ job: { environment: 'Prod' }, registeredSubject: (sub) => sub.toLowerCase() });
    const error = await signInError(s);
    expect(error.message).toContain(`subject 'repo:polysync/jobs:environment:Prod' (exactly)`);
    expect(error.message).toContain('only in letter case');
  });

  it('reports an unknown tenant against input tenant-id', async () => {
    const s = await scenario({ connection: { tenantId: randomUUID() } });
    const error = await signInError(s);
    expect(error.message).toContain(`Tenant '${s.conn.tenantId}' could not be resolved at ${world.info.authorityHost}`);
    expect(error.message).toContain("Check input 'tenant-id' (the Directory (tenant) ID) and 'azure-environment' (AzureCloud)");
  });

  it('reports an unknown client id against input client-id', async () => {
    const s = await scenario({ connection: { clientId: randomUUID() } });
    const error = await signInError(s);
    expect(error.message).toContain(`Application '${s.conn.clientId}' was not found in tenant`);
    expect(error.message).toContain("Check input 'client-id'");
  });

  it('reports an expired federated token (AADSTS700024)', async () => {
    const s = await scenario({ job: { lifetimeSeconds: -60 } });
    expect((await signInError(s)).message).toContain('outside its valid time range (AADSTS700024)');
  });

  it('reports a token source failure with the permission it needs', async () => {
    const s = await scenario();
    const error: unknown = await signInToAks(s.conn, () => Promise.reject(new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable')), () => {}, {
      endpoints: { authorityHost: world.info.authorityHost, resourceManager: world.info.armEndpoint }, extraCaPem: world.info.caPem,
    }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain("'permissions: id-token: write'");
  });

  it('reports an unknown cluster against the cluster inputs', async () => {
    const s = await scenario({ connection: { clusterName: 'aks-missing' } });
    // The role is on the cluster that exists; give one on the resource group so ARM gets to the 404.
    await world.assignRole({ principalId: s.objectId, role: ROLE.clusterUser, scope: `/subscriptions/${s.conn.subscriptionId}/resourceGroups/rg-jobs` });
    const error = await signInError(s);
    expect(error.message).toContain("AKS cluster 'aks-missing' (resource group 'rg-jobs'");
    expect(error.message).toContain("Check inputs 'subscription-id', 'resource-group' and 'cluster-name'");
  });

  it('names the role to assign when the identity may not list cluster credentials', async () => {
    const s = await scenario({ role: null });
    const error = await signInError(s);
    expect(error.message).toContain(
      `az role assignment create --assignee ${s.conn.clientId} --role "Azure Kubernetes Service Cluster User Role" --scope ${clusterResourceId(s.conn.subscriptionId, 'rg-jobs', 'aks-jobs')}`,
    );
  });

  it('tells admin users of a cluster without local accounts to use Kubernetes RBAC', async () => {
    const s = await scenario({ role: ROLE.clusterAdmin, cluster: { localAccountsDisabled: true }, connection: { admin: true } });
    const error = await signInError(s);
    expect(error.message).toContain("has local accounts disabled");
    expect(error.message).toContain("Set input 'admin' to false");
  });
});
