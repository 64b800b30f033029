import { describe, expect, it } from 'vitest';
import { monitorUrl } from '../../src/core/monitor-url.js';
import type { AzureConnection, AzureEnvironmentName } from '../../src/core/settings.js';

function azure(environment: AzureEnvironmentName, resourceGroup = 'rg-prod'): AzureConnection {
  return {
    kind: 'azure', signIn: { kind: 'oidc' }, clientId: 'c', tenantId: 't', subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup, clusterName: 'aks-1',
    environment, admin: false, audience: 'api://AzureADTokenExchange', privateCluster: 'false',
  };
}
const PATH = '/#resource/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-1/workloads';

describe('monitorUrl', () => {
  it.each<[AzureEnvironmentName, string]>([
    ['AzureCloud', `https://portal.azure.com${PATH}`],
    ['AzureUSGovernment', `https://portal.azure.us${PATH}`],
    ['AzureChinaCloud', `https://portal.azure.cn${PATH}`],
  ])('%s', (environment, url) => {
    expect(monitorUrl(azure(environment))).toBe(url);
  });

  it('encodes characters a resource group may hold that a URL path may not', () => {
    expect(monitorUrl(azure('AzureCloud', 'rg prod/é'))).toBe(
      'https://portal.azure.com/#resource/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg%20prod%2F%C3%A9/providers/Microsoft.ContainerService/managedClusters/aks-1/workloads',
    );
  });

  it('is unknown for a kubeconfig connection', () => {
    expect(monitorUrl({ kind: 'kubeconfig', kubeconfig: undefined })).toBeUndefined();
  });
});
