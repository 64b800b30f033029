import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/core/errors.js';
import {
  AKS_API_VERSION, clusterCredentialUrl, decodeCredentialResults, describeArmFailure, type ClusterCredentialRequest,
} from '../../src/azure/aks-credentials.js';

const user: ClusterCredentialRequest = { subscriptionId: 'sub-1', resourceGroup: 'rg 1', clusterName: 'aks-1', admin: false };
const admin: ClusterCredentialRequest = { ...user, admin: true };
const clusterId = '/subscriptions/sub-1/resourceGroups/rg 1/providers/Microsoft.ContainerService/managedClusters/aks-1';
const cloudError = (code: string, message: string): string => JSON.stringify({ error: { code, message } });

describe('clusterCredentialUrl', () => {
  it.each([
    [user, `https://management.azure.com/subscriptions/sub-1/resourceGroups/rg%201/providers/Microsoft.ContainerService/managedClusters/aks-1/listClusterUserCredential?api-version=${AKS_API_VERSION}`],
    [admin, `https://management.azure.com/subscriptions/sub-1/resourceGroups/rg%201/providers/Microsoft.ContainerService/managedClusters/aks-1/listClusterAdminCredential?api-version=${AKS_API_VERSION}`],
  ])('%j', (request, url) => {
    expect(clusterCredentialUrl('https://management.azure.com', request)).toBe(url);
  });
});

describe('decodeCredentialResults', () => {
  it('decodes the first kubeconfig', () => {
    const body = JSON.stringify({ kubeconfigs: [{ name: 'clusterUser', value: Buffer.from('apiVersion: v1\n').toString('base64') }] });
    expect(decodeCredentialResults(body, user)).toBe('apiVersion: v1\n');
  });
  it.each(['{}', '{"kubeconfigs":[]}', 'not json'])('refuses %s', (body) => {
    expect(() => decodeCredentialResults(body, user)).toThrow(new AuthError("ARM returned no kubeconfig for cluster 'aks-1'."));
  });
});

describe('describeArmFailure', () => {
  const cluster = "AKS cluster 'aks-1' (resource group 'rg 1', subscription 'sub-1')";
  it.each([
    [user, 404, cloudError('ResourceNotFound', "The Resource 'Microsoft.ContainerService/managedClusters/aks-1' under resource group 'rg 1' was not found."),
      `${cluster} was not found. Check inputs 'subscription-id', 'resource-group' and 'cluster-name'. (ARM 404 ResourceNotFound: The Resource 'Microsoft.ContainerService/managedClusters/aks-1' under resource group 'rg 1' was not found.)`],
    [user, 404, cloudError('ResourceGroupNotFound', "Resource group 'rg 1' could not be found."),
      "Resource group 'rg 1' was not found in subscription 'sub-1'. Check inputs 'resource-group' and 'subscription-id'. (ARM 404 ResourceGroupNotFound: Resource group 'rg 1' could not be found.)"],
    [user, 404, cloudError('SubscriptionNotFound', "The subscription 'sub-1' could not be found."),
      "Subscription 'sub-1' was not found. Check input 'subscription-id' and that the subscription belongs to input 'tenant-id'. (ARM 404 SubscriptionNotFound: The subscription 'sub-1' could not be found.)"],
    [user, 403, cloudError('AuthorizationFailed', 'The client does not have authorization.'),
      `Application 'client-1' may not list the user credentials of ${cluster}. Assign it the "Azure Kubernetes Service Cluster User Role" on the cluster: az role assignment create --assignee client-1 --role "Azure Kubernetes Service Cluster User Role" --scope ${clusterId} (ARM 403 AuthorizationFailed: The client does not have authorization.)`],
    [admin, 403, cloudError('AuthorizationFailed', 'The client does not have authorization.'),
      `Application 'client-1' may not list the admin credentials of ${cluster}. Assign it the "Azure Kubernetes Service Cluster Admin Role" on the cluster: az role assignment create --assignee client-1 --role "Azure Kubernetes Service Cluster Admin Role" --scope ${clusterId} (ARM 403 AuthorizationFailed: The client does not have authorization.)`],
    [admin, 400, cloudError('BadRequest', 'Getting static credential is not allowed because this cluster is set to disable local accounts.'),
      `${cluster} has local accounts disabled, so admin credentials cannot be listed. Set input 'admin' to false and grant the identity access with Kubernetes RBAC (a Role and RoleBinding for its object id) or Azure RBAC for Kubernetes. (ARM 400 BadRequest: Getting static credential is not allowed because this cluster is set to disable local accounts.)`],
    [user, 401, cloudError('InvalidAuthenticationTokenAudience', 'wrong audience'),
      `ARM refused the access token for ${cluster}. Check input 'azure-environment' and 'tenant-id'. (ARM 401 InvalidAuthenticationTokenAudience: wrong audience)`],
    [user, 503, 'Service Unavailable', `ARM is unavailable for ${cluster}; run the step again later. (ARM 503: Service Unavailable)`],
    [user, 409, cloudError('Conflict', 'busy'), `ARM could not list the credentials of ${cluster}. (ARM 409 Conflict: busy)`],
  ])('%j %i', (request, status, body, message) => {
    const error = describeArmFailure(status, body, request, { clientId: 'client-1' });
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(message);
  });
});
