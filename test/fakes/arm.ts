/**
 * Azure Resource Manager, just what the action calls on AKS clusters, under
 * /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{name}:
 *   POST /listClusterUserCredential | /listClusterAdminCredential ?api-version=…[&format=exec|azure]
 *   GET  (the managedCluster itself: aadProfile, apiServerAccessProfile)
 *   POST /runCommand, GET /commandResults/{id} (arm-run-command.ts)
 * Checked in ARM's order: bearer token (signature against the Entra issuer's JWKS, audience, expiry →
 * 401 InvalidAuthenticationToken*), subscription (404 SubscriptionNotFound), role assignment on a scope
 * that contains the cluster (403 AuthorizationFailed, before existence, as ARM does), resource group and
 * cluster (404 ResourceGroupNotFound / ResourceNotFound), local accounts for admin (400 BadRequest).
 * Errors are CloudErrors: {"error":{"code","message"}}. The kubeconfig shapes follow what AKS returns:
 * Entra clusters get an exec-kubelogin user (or auth-provider azure with format=azure), local accounts a
 * client certificate and/or token (api-notes §4.2).
 */
import { stringify } from 'yaml';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, sendJson, startHttpsServer, type RunningServer } from './https-server.js';
import { createJwksResolver, decodeJwt, nowSeconds, verifySignature } from './jwt.js';
import { AKS_SERVER_APP_ID } from './entra.js';
import type { TestCa } from './test-ca.js';
import { createRunCommandService, type RunCommandBehaviour, type RunCommandRecord } from './arm-run-command.js';

export type { RunCommandBehaviour, RunCommandRecord } from './arm-run-command.js';

export const ROLE = {
  clusterUser: 'Azure Kubernetes Service Cluster User Role',
  clusterAdmin: 'Azure Kubernetes Service Cluster Admin Role',
  contributor: 'Contributor',
} as const;
export type RoleName = (typeof ROLE)[keyof typeof ROLE];

const ACTION_USER = 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action';
const ACTION_ADMIN = 'Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action';
export const ACTION = {
  read: 'Microsoft.ContainerService/managedClusters/read',
  runCommand: 'Microsoft.ContainerService/managedClusters/runcommand/action',
  commandResults: 'Microsoft.ContainerService/managedClusters/commandResults/read',
} as const;
// The built-in roles' actions (Azure built-in roles, Containers): Cluster User may list user
// credentials and read the cluster, and nothing else, so it cannot use runCommand; Cluster Admin adds
// admin credentials and runcommand/action (commandResults/read with it, as access-private-cluster.md
// lists both for runCommand); Contributor has `*`.
const ROLE_ACTIONS: Record<RoleName, readonly string[]> = {
  [ROLE.clusterUser]: [ACTION_USER, ACTION.read],
  [ROLE.clusterAdmin]: [ACTION_USER, ACTION_ADMIN, ACTION.read, ACTION.runCommand, ACTION.commandResults],
  [ROLE.contributor]: [ACTION_USER, ACTION_ADMIN, ACTION.read, ACTION.runCommand, ACTION.commandResults],
};

/** What listCluster*Credential hands out for a local (non-Entra) user. */
export interface LocalUserSpec {
  readonly token?: string;
  /** base64 PEM, as in a kubeconfig. */
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
}

export interface ClusterSpec {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  /** API server URL the kubeconfig points at, e.g. the local control plane. */
  readonly server: string;
  readonly caPem: string;
  /** Entra ID integration (AKS-managed AAD): user credentials are the exec-kubelogin shape. */
  readonly entra: boolean;
  readonly localAccountsDisabled?: boolean;
  /** Credentials for local-account kubeconfigs (user credentials on non-Entra clusters; admin ones). */
  readonly localUser?: LocalUserSpec;
  readonly tenantId?: string;
  /** apiServerAccessProfile.enablePrivateCluster in the managedCluster GET. */
  readonly privateCluster?: boolean;
  /** runCommand's behaviour on this cluster (disabled, injected failures, timing). */
  readonly runCommand?: RunCommandBehaviour;
}

export interface RoleAssignmentSpec {
  /** The principal's object id (the token's `oid`). */
  readonly principalId: string;
  readonly role: RoleName;
  /** /subscriptions/…, …/resourceGroups/…, or a cluster's resource id. */
  readonly scope: string;
}

export interface ArmFake extends RunningServer {
  addCluster(spec: ClusterSpec): void;
  assignRole(spec: RoleAssignmentSpec): void;
  /** Credential listings answered with 200 (what a test may count). */
  credentialRequests(): number;
  /** Every runCommand accepted, in order. */
  runCommands(): readonly RunCommandRecord[];
}

export const clusterResourceId = (sub: string, rg: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;

const ARM_AUDIENCES = new Set([
  'https://management.azure.com', 'https://management.azure.com/',
  'https://management.core.windows.net', 'https://management.core.windows.net/',
  'https://management.usgovcloudapi.net', 'https://management.usgovcloudapi.net/',
  'https://management.chinacloudapi.cn', 'https://management.chinacloudapi.cn/',
]);

function kubeconfigFor(c: ClusterSpec, admin: boolean, format: string | null): string {
  const userName = `${admin ? 'clusterAdmin' : 'clusterUser'}_${c.resourceGroup}_${c.name}`;
  let user: Record<string, unknown>;
  if (c.entra && !admin) {
    const tenant = c.tenantId ?? 'common';
    user = format === 'azure'
      ? { 'auth-provider': { name: 'azure', config: { 'apiserver-id': AKS_SERVER_APP_ID, 'client-id': '80faf920-1908-4b52-b5ef-a8e7bedfc67a', 'config-mode': '1', environment: 'AzurePublicCloud', 'tenant-id': tenant } } }
      : {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'kubelogin',
            args: ['get-token', '--environment', 'AzurePublicCloud', '--server-id', AKS_SERVER_APP_ID,
              '--client-id', '80faf920-1908-4b52-b5ef-a8e7bedfc67a', '--tenant-id', tenant, '--login', 'devicecode'],
            env: null,
            installHint: 'kubelogin is not installed which is required to connect to AAD enabled cluster.',
            provideClusterInfo: false,
          },
        };
  } else {
    const u = c.localUser ?? {};
    user = {
      ...(u.clientCertificateData ? { 'client-certificate-data': u.clientCertificateData } : {}),
      ...(u.clientKeyData ? { 'client-key-data': u.clientKeyData } : {}),
      ...(u.token ? { token: u.token } : {}),
    };
  }
  const context = admin ? `${c.name}-admin` : c.name;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: c.name, cluster: { server: c.server, 'certificate-authority-data': Buffer.from(c.caPem).toString('base64') } }],
    contexts: [{ name: context, context: { cluster: c.name, user: userName } }],
    'current-context': context,
    preferences: {},
    users: [{ name: userName, user }],
  });
}

/** The managedCluster resource as ARM's GET returns it, with the fields the action reads. */
function managedClusterBody(c: ClusterSpec, id: string): unknown {
  const fqdn = `${c.name}-dns-${c.resourceGroup.toLowerCase()}.hcp.eastus.azmk8s.io`;
  return {
    id, name: c.name, type: 'Microsoft.ContainerService/ManagedClusters', location: 'eastus',
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      ...(c.privateCluster ? { privateFQDN: fqdn.replace('.hcp.', '.privatelink.') } : { fqdn }),
      enableRBAC: true,
      ...(c.entra ? { aadProfile: { managed: true, enableAzureRBAC: false, tenantID: c.tenantId ?? '' } } : {}),
      disableLocalAccounts: c.localAccountsDisabled ?? false,
      apiServerAccessProfile: { enablePrivateCluster: c.privateCluster ?? false, disableRunCommand: c.runCommand?.disabled ?? false },
    },
  };
}

export async function startArm(ca: TestCa, trustedAuthorityHost: string): Promise<ArmFake> {
  const clusters = new Map<string, ClusterSpec>();
  const assignments: RoleAssignmentSpec[] = [];
  const jwksOf = createJwksResolver(ca.certPem);
  let served = 0;
  const cloudError = (res: ServerResponse, status: number, code: string, message: string): void =>
    sendJson(res, status, { error: { code, message } }, { 'x-ms-failure-cause': 'gateway' });

  const runCommand = createRunCommandService();

  /**
   * ARM's checks before the resource provider sees the request, in ARM's order; sends the CloudError
   * and returns undefined when one fails.
   */
  const authorize = async (req: IncomingMessage, res: ServerResponse, url: URL, sub: string, rg: string, name: string, needed: string) => {
    const raw = bearerToken(req);
    if (!raw) return void cloudError(res, 401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
    const jwt = decodeJwt(raw);
    const iss = jwt?.claims['iss'];
    const trusted = typeof iss === 'string' && iss.startsWith(`${trustedAuthorityHost}/`);
    if (!jwt || !trusted || !verifySignature(jwt, await jwksOf(iss).catch(() => []))) {
      return void cloudError(res, 401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    }
    const { aud, exp, oid, appid } = jwt.claims;
    if (typeof aud !== 'string' || !ARM_AUDIENCES.has(aud)) {
      return void cloudError(res, 401, 'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${String(aud)}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`);
    }
    if (typeof exp !== 'number' || exp <= nowSeconds()) {
      return void cloudError(res, 401, 'ExpiredAuthenticationToken', "The access token expiry UTC time is earlier than current UTC time.");
    }
    if (!url.searchParams.get('api-version')) {
      return void cloudError(res, 400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (![...clusters.values()].some((c) => c.subscriptionId === sub)) {
      return void cloudError(res, 404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
    }
    const id = clusterResourceId(sub, rg, name);
    const allowed = assignments.some((a) => a.principalId === oid && id.toLowerCase().startsWith(a.scope.toLowerCase()) && ROLE_ACTIONS[a.role].includes(needed));
    if (!allowed) {
      return void cloudError(res, 403, 'AuthorizationFailed',
        `The client '${String(appid)}' with object id '${String(oid)}' does not have authorization to perform action '${needed}' over scope '${id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
    }
    if (![...clusters.values()].some((c) => c.subscriptionId === sub && c.resourceGroup.toLowerCase() === rg.toLowerCase())) {
      return void cloudError(res, 404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    }
    const cluster = clusters.get(id.toLowerCase());
    if (!cluster) {
      return void cloudError(res, 404, 'ResourceNotFound',
        `The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
    }
    return { cluster, id };
  };

  const server = await startHttpsServer(ca, async (req, res, url, body) => {
    const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)(?:\/(listClusterUserCredential|listClusterAdminCredential|runCommand|commandResults\/[^/]+))?$/i.exec(url.pathname);
    const [, sub = '', rg = '', name = '', rest] = m ?? [];
    const op = rest === undefined ? 'get' : rest.toLowerCase().startsWith('commandresults/') ? 'commandResults' : rest.toLowerCase();
    const method = { get: 'GET', commandResults: 'GET' }[op] ?? 'POST';
    if (!m || req.method !== method) return cloudError(res, 404, 'NotFound', `No route for ${req.method} ${url.pathname}`);

    const needed = { get: ACTION.read, runcommand: ACTION.runCommand, commandResults: ACTION.commandResults, listclusteradmincredential: ACTION_ADMIN }[op] ?? ACTION_USER;
    const target = await authorize(req, res, url, sub, rg, name, needed);
    if (!target) return;
    const { cluster, id } = target;
    if (op === 'get') return sendJson(res, 200, managedClusterBody(cluster, id));
    if (op === 'runcommand') return runCommand.submit(req, res, url, body, cluster);
    if (op === 'commandResults') return runCommand.result(req, res, url, cluster, decodeURIComponent(rest?.slice('commandResults/'.length) ?? ''));

    const admin = op === 'listclusteradmincredential';
    if (admin && cluster.localAccountsDisabled) {
      return cloudError(res, 400, 'BadRequest', 'Getting static credential is not allowed because this cluster is set to disable local accounts.');
    }
    served += 1;
    const value = Buffer.from(kubeconfigFor(cluster, admin, url.searchParams.get('format'))).toString('base64');
    sendJson(res, 200, { kubeconfigs: [{ name: admin ? 'clusterAdmin' : 'clusterUser', value }] });
  });

  return {
    ...server,
    addCluster: (c) => void clusters.set(clusterResourceId(c.subscriptionId, c.resourceGroup, c.name).toLowerCase(), c),
    assignRole: (a) => void assignments.push(a),
    credentialRequests: () => served,
    runCommands: () => runCommand.records(),
  };
}
