/** Reaches the cluster as the settings say: Azure sign-in (OIDC, workload or managed identity), the pod's service account, or a kubeconfig. */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterCommandRunner } from './core/cluster-commands.js';
import type { AzureConnection, ConnectionSettings } from './core/settings.js';
import { chooseRoute, type RouteSignIn } from './cluster-route.js';
import type { FederatedTokenSource } from './azure/sign-in.js';
import { loadInClusterKubeConfig } from './kubernetes/in-cluster.js';
import { loadKubeConfig } from './kubernetes/kubeconfig.js';

export interface Connected {
  readonly kubeConfig: KubeConfig;
  /** Seed 000's portal link; only known for Azure sign-in. */
  readonly monitorUrl: string | undefined;
  /** Set when the cluster is reached through AKS runCommand (`private-cluster`): clusterFor uses it. */
  readonly runCommand?: ClusterCommandRunner | undefined;
  /** Why the cluster is reached the way it is (`private-cluster`), for the Connect group. */
  readonly route?: string | undefined;
}

/** An Azure sign-in, routed as `private-cluster` says (the action's and the Azure DevOps task's). */
export async function routed(c: AzureConnection, signIn: RouteSignIn & { readonly monitorUrl: string }): Promise<Connected> {
  const route = await chooseRoute(c.privateCluster, signIn);
  return { kubeConfig: signIn.kubeConfig, monitorUrl: signIn.monitorUrl, runCommand: route.runner, route: route.why };
}

export async function connect(
  settings: ConnectionSettings,
  federatedToken: FederatedTokenSource,
  mask: (secret: string) => void,
  env: NodeJS.ProcessEnv,
): Promise<Connected> {
  const c = settings.connection;
  if (c.kind === 'kubeconfig') return { kubeConfig: loadKubeConfig(c.kubeconfig, env, mask), monitorUrl: undefined };
  if (c.kind === 'in-cluster') return { kubeConfig: await loadInClusterKubeConfig(c, mask), monitorUrl: undefined };
  // POLYSYNC_AZURE_AUTHORITY_HOST / POLYSYNC_ARM_ENDPOINT / POLYSYNC_IMDS_ENDPOINT: for sovereign or private endpoints, and the tests' fakes.
  // Loaded only for Azure sign-in: @azure/identity and MSAL are a quarter of the bundle, and
  // parsing them at start-up delays the first request of every kubeconfig-mode run (bench/startup.ts).
  const { endpointOverridesFromEnv, signInToAks } = await import('./azure/sign-in.js');
  return routed(c, await signInToAks(c, federatedToken, mask, { endpoints: endpointOverridesFromEnv(env) }));
}

const AZURE_WAY = {
  oidc: 'OIDC federation',
  'workload-identity': 'workload identity (AZURE_FEDERATED_TOKEN_FILE)',
  'managed-identity': 'the VM\'s managed identity (IMDS)',
} as const;

/**
 * One line for the Connect group: which API server, reached how, and why that way (never a credential).
 * @param why what chose the way, when not auth-type (the Azure DevOps task's connectionType)
 */
export function describeConnection(settings: ConnectionSettings, server: string | undefined, why = authTypeWhy(settings)): string {
  const c = settings.connection;
  const where = `API server ${server ?? '(unknown)'}`;
  if (c.kind === 'azure') {
    const who = c.clientId === '' ? 'the system-assigned managed identity' : `application ${c.clientId}`;
    return `${where}: AKS cluster ${c.clusterName} (resource group ${c.resourceGroup}), signed in as ${who} through ${AZURE_WAY[c.signIn.kind]}${c.admin ? ', admin credentials' : ''}; ${why}`;
  }
  if (c.kind === 'in-cluster') return `${where}: as the runner pod's service account (${c.serviceAccountDir}/token); ${why}`;
  return `${where}: from ${c.kubeconfig === undefined ? 'the KUBECONFIG file' : "input 'kubeconfig'"}; ${why}`;
}

function authTypeWhy(settings: ConnectionSettings): string {
  return `auth-type ${settings.auth.reason === undefined ? settings.auth.type : `auto chose ${settings.auth.type}: ${settings.auth.reason}`}.`;
}
