/**
 * Seed 000's "Monitor URL": the Azure portal's Workloads blade of the cluster (drill into the
 * namespace from there). Only Azure sign-in knows the cluster's Azure identity.
 */
import type { AzureEnvironmentName, Connection } from './settings.js';

/** Portal host per cloud (learn.microsoft.com: Azure Government / Azure China portal addresses). */
export const PORTAL_HOST: Readonly<Record<AzureEnvironmentName, string>> = {
  AzureCloud: 'portal.azure.com',
  AzureUSGovernment: 'portal.azure.us',
  AzureChinaCloud: 'portal.azure.cn',
};

/**
 * `https://<portal>/#resource/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{cluster}/workloads`,
 * or undefined for a kubeconfig connection (the cluster's Azure identity is unknown).
 */
export function monitorUrl(connection: Connection): string | undefined {
  if (connection.kind !== 'azure') return undefined;
  const segment = encodeURIComponent;
  return (
    `https://${PORTAL_HOST[connection.environment]}/#resource/subscriptions/${segment(connection.subscriptionId)}` +
    `/resourceGroups/${segment(connection.resourceGroup)}/providers/Microsoft.ContainerService/managedClusters/` +
    `${segment(connection.clusterName)}/workloads`
  );
}
