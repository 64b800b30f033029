/**
 * The identity parties (GitHub's ID-token service, Azure DevOps' OIDC token service, Entra ID, ARM) as
 * one "world".
 *
 * Why a world with an admin endpoint: the Kubernetes API server must trust the Entra fake's issuer for
 * the whole run, so the fakes start ONCE in vitest's global setup, before the control plane, in the main
 * process. Tests run in worker processes; each configures what it needs (a GitHub job, an app with
 * federated credentials and a token lifetime, ARM clusters, role assignments) through a small
 * authenticated HTTPS admin endpoint: `connectIdentityProviders(inject(...))` returns the same
 * `IdentityWorld` interface as the in-process handle. Every call creates fresh ids (request tokens,
 * client ids), so parallel tests never share state and nothing needs resetting.
 *
 * Global setup: `const idp = await startIdentityProviders(); provide('identityProviders', idp.info);`
 * then start the control plane with `controlPlaneJwtArgs(idp.info)`; `await idp.close()` on teardown.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import https from 'node:https';
import { startArm, type ClusterSpec, type RoleAssignmentSpec, type RunCommandRecord } from './arm.js';
import {
  serviceConnectionSubject, startAzureDevOpsOidc, type AzureDevOpsJob, type AzureDevOpsJobSpec, type OidcStats,
} from './azure-devops-oidc.js';
import { AKS_SERVER_APP_ID, startEntra, type App, type AppSpec, type EntraStats, type TrustedIssuerSpec } from './entra.js';
import { startImds, type ImdsRequest, type Vm, type VmSpec } from './imds.js';
import { startGitHubOidc, type GitHubJob, type GitHubJobSpec, type GitHubJobStats } from './github-oidc.js';
import { bearerToken, sendJson, startHttpsServer } from './https-server.js';
import { createTestCa } from './test-ca.js';

/** Everything a worker or the control plane needs; plain JSON so it can go through vitest's provide(). */
export interface IdentityProvidersInfo {
  /** PEM of the CA that signed every fake's certificate. */
  readonly caPem: string;
  /** The same PEM on disk: --jwt-ca-file, NODE_EXTRA_CA_CERTS for child processes. Removed by close(). */
  readonly caPemPath: string;
  readonly adminUrl: string;
  readonly adminToken: string;
  /** Give to the adapter as endpoints.authorityHost / env POLYSYNC_AZURE_AUTHORITY_HOST. */
  readonly authorityHost: string;
  /** Give to the adapter as endpoints.resourceManager / env POLYSYNC_ARM_ENDPOINT. */
  readonly armEndpoint: string;
  /** The IMDS fake (http on 127.0.0.1); each VM's own base URL comes from addVm. */
  readonly imdsUrl: string;
  readonly githubIssuer: string;
  /** The tenant whose issuer the API server trusts; register apps here for cluster tests. */
  readonly tenantId: string;
  /** --jwt-issuer-url: https://127.0.0.1:PORT/<tenantId>/v2.0 */
  readonly issuerUrl: string;
  /** --jwt-audience: the AKS Entra server app id. */
  readonly audience: string;
  /** --jwt-username-claim: the principal's object id, as AKS maps it. */
  readonly usernameClaim: 'oid';
}

export interface IdentityWorld {
  readonly info: IdentityProvidersInfo;
  addGitHubJob(spec: GitHubJobSpec): Promise<GitHubJob>;
  gitHubStats(requestToken: string): Promise<GitHubJobStats>;
  /** A pipeline job whose service connections' tokens Entra apps can trust (AzureDevOpsJob.issuer). */
  addAzureDevOpsJob(spec: AzureDevOpsJobSpec): Promise<AzureDevOpsJob>;
  azureDevOpsStats(accessToken: string): Promise<OidcStats>;
  registerApp(spec: AppSpec): Promise<App>;
  entraStats(clientId: string): Promise<EntraStats>;
  addCluster(spec: ClusterSpec): Promise<void>;
  assignRole(spec: RoleAssignmentSpec): Promise<void>;
  /** The runCommands ARM accepted on clusters of this subscription, in order. */
  runCommands(subscriptionId: string): Promise<readonly RunCommandRecord[]>;
  /** Entra trusts this issuer's keys as given (the local control plane's service-account issuer). */
  trustIssuer(spec: TrustedIssuerSpec): Promise<void>;
  /** A VM whose IMDS hands out tokens of these Entra apps (registerApp) as its managed identities. */
  addVm(spec: VmSpec): Promise<Vm>;
  imdsRequests(vmId: string): Promise<readonly ImdsRequest[]>;
}

export interface RunningIdentityProviders extends IdentityWorld {
  close(): Promise<void>;
}

/** Flags for test/localcluster so its API server trusts the Entra fake (see the control-plane notes). */
export function controlPlaneJwtArgs(info: IdentityProvidersInfo): string[] {
  return ['--jwt-issuer-url', info.issuerUrl, '--jwt-ca-file', info.caPemPath, '--jwt-audience', info.audience,
    '--jwt-username-claim', info.usernameClaim];
}

export async function startIdentityProviders(options: { tenantId?: string } = {}): Promise<RunningIdentityProviders> {
  const ca = createTestCa();
  const caFile = ca.writeCertFile();
  const tenantId = options.tenantId ?? randomUUID();
  const github = await startGitHubOidc(ca);
  const azureDevOps = await startAzureDevOpsOidc(ca);
  const entra = await startEntra(ca, [tenantId]);
  const arm = await startArm(ca, entra.authorityHost);
  const imds = await startImds((clientId, resource) => entra.managedIdentityToken(clientId, resource));
  const adminToken = randomBytes(24).toString('hex');

  const local = {
    addGitHubJob: (spec: GitHubJobSpec) => Promise.resolve(github.addJob(spec)),
    gitHubStats: (requestToken: string) => Promise.resolve(github.stats(requestToken)),
    addAzureDevOpsJob: (spec: AzureDevOpsJobSpec) => Promise.resolve(azureDevOps.addJob(spec)),
    azureDevOpsStats: (accessToken: string) => Promise.resolve(azureDevOps.stats(accessToken)),
    registerApp: (spec: AppSpec) => Promise.resolve(entra.registerApp(spec)),
    entraStats: (clientId: string) => Promise.resolve(entra.stats(clientId)),
    addCluster: (spec: ClusterSpec) => Promise.resolve(arm.addCluster(spec)),
    assignRole: (spec: RoleAssignmentSpec) => Promise.resolve(arm.assignRole(spec)),
    runCommands: (subscriptionId: string) => Promise.resolve(arm.runCommands().filter((r) => r.cluster.startsWith(`${subscriptionId.toLowerCase()}/`))),
    trustIssuer: (spec: TrustedIssuerSpec) => Promise.resolve(entra.trustIssuer(spec)),
    addVm: (spec: VmSpec) => Promise.resolve(imds.addVm(spec)),
    imdsRequests: (vmId: string) => Promise.resolve(imds.requests(vmId)),
  };
  const ops: Record<string, (arg: never) => Promise<unknown>> = local;

  const admin = await startHttpsServer(ca, async (req, res, url, body) => {
    if (bearerToken(req) !== adminToken) return sendJson(res, 401, { message: 'bad admin token' });
    const op = ops[url.pathname.slice(1)];
    if (req.method !== 'POST' || !op) return sendJson(res, 404, { message: `no admin op ${url.pathname}` });
    const result = await op(JSON.parse(body || 'null') as never);
    sendJson(res, 200, { result: result ?? null });
  });

  const info: IdentityProvidersInfo = {
    caPem: ca.certPem,
    caPemPath: caFile.path,
    adminUrl: admin.url,
    adminToken,
    authorityHost: entra.authorityHost,
    armEndpoint: arm.url,
    imdsUrl: imds.url,
    githubIssuer: github.issuer,
    tenantId,
    issuerUrl: entra.issuerFor(tenantId),
    audience: AKS_SERVER_APP_ID,
    usernameClaim: 'oid',
  };
  return {
    info,
    ...local,
    async close() {
      await Promise.all([admin.close(), arm.close(), entra.close(), github.close(), azureDevOps.close(), imds.close()]);
      caFile.remove();
    },
  };
}

/** The world as seen from a vitest worker: same interface, over the admin endpoint. */
export function connectIdentityProviders(info: IdentityProvidersInfo): IdentityWorld {
  const call = <T>(op: string, arg: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(arg);
      const req = https.request(`${info.adminUrl}/${op}`, {
        method: 'POST',
        ca: info.caPem,
        headers: { authorization: `Bearer ${info.adminToken}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`identity admin ${op}: ${res.statusCode} ${text}`));
          resolve((JSON.parse(text) as { result: T }).result);
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    info,
    addGitHubJob: (spec) => call('addGitHubJob', spec),
    gitHubStats: (t) => call('gitHubStats', t),
    // subjectFor does not survive JSON: rebuilt from the job's organization and project.
    addAzureDevOpsJob: async (spec) => {
      const job = await call<AzureDevOpsJob>('addAzureDevOpsJob', spec);
      return { ...job, subjectFor: (name: string) => serviceConnectionSubject(job.organization, job.project, name) };
    },
    azureDevOpsStats: (t) => call('azureDevOpsStats', t),
    registerApp: (spec) => call('registerApp', spec),
    entraStats: (c) => call('entraStats', c),
    addCluster: (spec) => call('addCluster', spec),
    assignRole: (spec) => call('assignRole', spec),
    runCommands: (subscriptionId) => call('runCommands', subscriptionId),
    trustIssuer: (spec) => call('trustIssuer', spec),
    addVm: (spec) => call('addVm', spec),
    imdsRequests: (vmId) => call('imdsRequests', vmId),
  };
}

// What the global setup hands workers when it started the providers: `project.provide('identityProviders', idp.info)`.
declare module 'vitest' {
  export interface ProvidedContext {
    identityProviders?: IdentityProvidersInfo;
  }
}
