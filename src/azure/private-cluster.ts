/**
 * Is the cluster's API server private? For `private-cluster: auto`: a private AKS cluster's
 * kubeconfig names `<dns>.privatelink.<region>.azmk8s.io` (AKS private clusters doc), and its
 * managedCluster says `properties.apiServerAccessProfile.enablePrivateCluster: true` (ARM GET, needs
 * Microsoft.ContainerService/managedClusters/read, which the Cluster User Role has). Whether the
 * runner can reach it anyway (a self-hosted runner in the VNet) is for the caller to try.
 */
import { AKS_API_VERSION } from './aks-credentials.js';
import type { ArmSend } from './arm-request.js';
import type { RunCommandCluster } from './run-command-errors.js';

export interface PrivateApiServerVerdict {
  readonly private: boolean;
  /** Why, for the Connect group's log line. */
  readonly reason: string;
}

/** The kubeconfig server's host is a private-link name (pure). */
export function isPrivateLinkServer(server: string): boolean {
  try {
    return /(^|\.)privatelink\./i.test(new URL(server).hostname);
  } catch {
    return false;
  }
}

/** The managedCluster GET URL (pure). */
export function managedClusterUrl(resourceManager: string, c: RunCommandCluster): string {
  const e = encodeURIComponent;
  return `${resourceManager}/subscriptions/${e(c.subscriptionId)}/resourceGroups/${e(c.resourceGroup)}` +
    `/providers/Microsoft.ContainerService/managedClusters/${e(c.clusterName)}?api-version=${AKS_API_VERSION}`;
}

/**
 * The kubeconfig's server name first (no request), then ARM's managedCluster. An ARM refusal is not
 * fatal: auto then decides from reachability alone, and the reason says what could not be read.
 */
export async function detectPrivateApiServer(
  server: string,
  cluster: RunCommandCluster,
  arm: { readonly resourceManager: string; readonly send: ArmSend },
  signal: AbortSignal,
): Promise<PrivateApiServerVerdict> {
  const host = ((): string => {
    try {
      return new URL(server).hostname;
    } catch {
      return server;
    }
  })();
  if (isPrivateLinkServer(server)) return { private: true, reason: `the kubeconfig's API server ${host} is a privatelink name` };
  let response;
  try {
    response = await arm.send('GET', managedClusterUrl(arm.resourceManager, cluster), undefined, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    return { private: false, reason: `ARM could not be asked whether the API server is private (${error instanceof Error ? error.message : String(error)})` };
  }
  if (response.status !== 200) {
    return { private: false, reason: `ARM did not say whether the API server is private (GET managedCluster answered ${response.status}; the identity needs Microsoft.ContainerService/managedClusters/read)` };
  }
  let enabled: unknown;
  try {
    enabled = (JSON.parse(response.bodyText) as { properties?: { apiServerAccessProfile?: { enablePrivateCluster?: unknown } } })
      .properties?.apiServerAccessProfile?.enablePrivateCluster;
  } catch {
    enabled = undefined;
  }
  return enabled === true
    ? { private: true, reason: `ARM says cluster '${cluster.clusterName}' is private (apiServerAccessProfile.enablePrivateCluster)` }
    : { private: false, reason: `ARM says cluster '${cluster.clusterName}' has a public API server` };
}
