/** Reaches the cluster as the settings say: Azure sign-in (OIDC federation) or a kubeconfig. */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ConnectionSettings } from './core/settings.js';
import { endpointOverridesFromEnv, signInToAks, type FederatedTokenSource } from './azure/sign-in.js';
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
  return signInToAks(c, federatedToken, mask, { endpoints: endpointOverridesFromEnv(env) });
}
