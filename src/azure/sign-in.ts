/**
 * Signs in to AKS the way AKS users do, with nothing on the runner but this action:
 * platform OIDC token, workload identity token file or IMDS → Entra ID → ARM token → list cluster
 * credentials → a KubeConfig whose Entra user fetches a fresh AKS token on every request. Used by the main step and,
 * identically, by the post step that cancels the Job.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { monitorUrl as portalMonitorUrl } from '../core/monitor-url.js';
import type { AzureConnection } from '../core/settings.js';
import { listClusterKubeconfig } from './aks-credentials.js';
import { createFederatedCredential, type AccessTokenProvider } from './credential.js';
import { createManagedIdentityCredential } from './managed-identity-credential.js';
import { workloadIdentityTokenSource } from './workload-identity-token.js';
import { azureEndpoints, type EndpointOverrides } from './environments.js';
import type { FederatedTokenSource, Mask } from './federated-token.js';
import { buildAksKubeConfig } from './kubeconfig.js';
import { createArmSend } from './arm-request.js';
import { detectPrivateApiServer, type PrivateApiServerVerdict } from './private-cluster.js';
import { ArmRunCommandRunner, type RunCommandTiming } from './run-command.js';

export type { FederatedTokenSource, Mask } from './federated-token.js';
export { endpointOverridesFromEnv, ENDPOINT_ENV, type EndpointOverrides } from './environments.js';

export interface SignInOptions {
  /** Explicit authority host / ARM endpoint (tests; see environments.ts ENDPOINT_ENV). */
  readonly endpoints?: EndpointOverrides;
  /**
   * A CA (PEM) trusted for Entra ID and ARM in addition to the default store. For in-process tests
   * against the fakes: NODE_EXTRA_CA_CERTS is only read at process start. The API server's CA always
   * comes from the kubeconfig (certificate-authority-data).
   */
  readonly extraCaPem?: string;
}

export interface AksSignIn {
  readonly kubeConfig: KubeConfig;
  /** Seed 000's portal link (Workloads blade) in the connection's cloud. */
  readonly monitorUrl: string;
  /**
   * A runner of commands in the cluster through ARM runCommand, with this sign-in's credentials:
   * ARM tokens, and for an Entra cluster the AKS token as `clusterToken` (both cached and renewed).
   */
  createCommandRunner(timing?: Partial<RunCommandTiming>): ArmRunCommandRunner;
  /** For `private-cluster: auto`: a privatelink server name, or ARM's enablePrivateCluster. */
  detectPrivateApiServer(signal: AbortSignal): Promise<PrivateApiServerVerdict>;
}

/**
 * Signs in and returns the KubeConfig. Errors are AuthError with what to fix (AADSTS codes, ARM
 * CloudErrors). For an Entra cluster one AKS token is fetched here, so a refusal for the cluster's
 * resource surfaces at sign-in rather than on the first Kubernetes call.
 */
export async function signInToAks(
  conn: AzureConnection,
  tokenSource: FederatedTokenSource,
  mask: Mask,
  options: SignInOptions = {},
): Promise<AksSignIn> {
  const endpoints = azureEndpoints(conn.environment, options.endpoints);
  const tls = options.extraCaPem === undefined ? {} : { extraCaPem: options.extraCaPem };
  const accessToken = credentialFor(conn, tokenSource, mask, options, endpoints.authorityHost);

  const armToken = await accessToken(endpoints.resourceManagerScope);
  const yaml = await listClusterKubeconfig(conn, {
    resourceManager: endpoints.resourceManager,
    accessToken: armToken,
    caller: { clientId: conn.clientId === '' ? 'the system-assigned managed identity' : conn.clientId },
    ...tls,
  });
  const { kubeConfig, user } = buildAksKubeConfig(yaml, accessToken, mask);
  if (user.kind === 'entra') await accessToken(`${user.serverId}/.default`);

  const cluster = { subscriptionId: conn.subscriptionId, resourceGroup: conn.resourceGroup, clusterName: conn.clusterName };
  const freshArmToken = (): Promise<string> => accessToken(endpoints.resourceManagerScope);
  return {
    kubeConfig,
    monitorUrl: portalMonitorUrl(conn) ?? '',
    createCommandRunner: (timing) => new ArmRunCommandRunner({
      cluster, resourceManager: endpoints.resourceManager, armToken: freshArmToken,
      clusterToken: user.kind === 'entra' ? () => accessToken(`${user.serverId}/.default`) : undefined,
      caller: { clientId: conn.clientId === '' ? 'the system-assigned managed identity' : conn.clientId },
      ...tls, ...(timing === undefined ? {} : { timing }),
    }),
    detectPrivateApiServer: (signal) => detectPrivateApiServer(kubeConfig.getCurrentCluster()?.server ?? '', cluster, {
      resourceManager: endpoints.resourceManager,
      send: createArmSend({ accessToken: freshArmToken, requestTimeoutMs: 30_000, maxRetries: 2, retryDelayMs: 1_000, ...tls }),
    }, signal),
  };
}

/**
 * The one step that differs between the Azure ways: where the first Entra token comes from. Workload
 * identity is OIDC federation with the projected token as the assertion; its authority is the
 * webhook's AZURE_AUTHORITY_HOST unless an explicit override (tests) says otherwise.
 */
function credentialFor(conn: AzureConnection, tokenSource: FederatedTokenSource, mask: Mask, options: SignInOptions, authorityHost: string): AccessTokenProvider {
  const tls = options.extraCaPem === undefined ? {} : { extraCaPem: options.extraCaPem };
  const federated = (source: FederatedTokenSource, host: string): AccessTokenProvider => createFederatedCredential({
    tenantId: conn.tenantId, clientId: conn.clientId, audience: conn.audience, authorityHost: host,
    environment: conn.environment, tokenSource: source, mask, ...tls,
  });
  const s = conn.signIn;
  switch (s.kind) {
    case 'oidc':
      return federated(tokenSource, authorityHost);
    case 'workload-identity':
      return federated(workloadIdentityTokenSource(s.tokenFile), options.endpoints?.authorityHost ?? s.authorityHost ?? authorityHost);
    case 'managed-identity':
      return createManagedIdentityCredential({
        clientId: conn.clientId === '' ? undefined : conn.clientId, mask,
        ...(options.endpoints?.imds === undefined ? {} : { endpoint: options.endpoints.imds }),
      });
  }
}
