/** Reaches the cluster as the settings say: Azure sign-in (OIDC federation) or a kubeconfig. */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Connection, ConnectionSettings } from './core/settings.js';
import type { FederatedTokenSource } from './azure/sign-in.js';
import { loadKubeConfig } from './kubernetes/kubeconfig.js';

export interface Connected {
  readonly kubeConfig: KubeConfig;
  /** Seed 000's portal link; only known for Azure sign-in. */
  readonly monitorUrl: string | undefined;
}

export async function connect(
  settings: ConnectionSettings,
  federatedToken: FederatedTokenSource,
  mask: (secret: string) => void,
  env: NodeJS.ProcessEnv,
): Promise<Connected> {
  const c = settings.connection;
  if (c.kind === 'kubeconfig') return { kubeConfig: loadKubeConfig(c.kubeconfig, env, mask), monitorUrl: undefined };
  // POLYSYNC_AZURE_AUTHORITY_HOST / POLYSYNC_ARM_ENDPOINT: for sovereign or private endpoints, and the tests' fakes.
  // Loaded only for Azure sign-in: @azure/identity and MSAL are a quarter of the bundle, and
  // parsing them at start-up delays the first request of every kubeconfig-mode run (bench/startup.ts).
  const { endpointOverridesFromEnv, signInToAks } = await import('./azure/sign-in.js');
  return signInToAks(c, federatedToken, mask, { endpoints: endpointOverridesFromEnv(env) });
}

/** One line for the Connect group: which API server, reached how (never a credential). */
export function describeConnection(c: Connection, server: string | undefined): string {
  const where = `API server ${server ?? '(unknown)'}`;
  if (c.kind === 'azure') {
    return `${where}: AKS cluster ${c.clusterName} (resource group ${c.resourceGroup}), signed in as application ${c.clientId} through OIDC federation${c.admin ? ', admin credentials' : ''}.`;
  }
  return `${where}: from ${c.kubeconfig === undefined ? 'the KUBECONFIG file' : "input 'kubeconfig'"}.`;
}
