/**
 * ARM `listClusterUserCredential` / `listClusterAdminCredential` → the cluster's kubeconfig.
 *
 * One REST call rather than `@azure/arm-containerservice` 25.5.0. Measured as minified ncc bundles on
 * Node 24 (median of 21 runs, from process start to the module evaluated):
 *   identity only 567 KB / 51.4 ms; identity + this call via core-rest-pipeline 568 KB / 52.6 ms;
 *   identity + arm-containerservice 835 KB (+47%, +35 KB gzipped) / 58.0 ms.
 * The SDK's generated client (and core-lro, @azure-rest/core-client) buys nothing for one POST. The
 * call goes through `@azure/core-rest-pipeline`, which @azure/identity already bundles, so it costs ~0.5 KB
 * and keeps what the SDK would give: retries with Retry-After on 429/5xx, HTTPS_PROXY, and TLS options
 * (the tests' CA; global fetch can only be told about a CA at process start).
 */
import { createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest } from '@azure/core-rest-pipeline';
import { AuthError } from '../core/errors.js';
import { Input } from '../core/names.js';
import { trustExtraCa } from './tls.js';

/** Stable api-version with listClusterUserCredential (azure-rest-api-specs, Microsoft.ContainerService). */
export const AKS_API_VERSION = '2025-10-01';

export interface ClusterCredentialRequest {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly admin: boolean;
}

/** Who asks, for messages that tell whom to grant what. */
export interface ArmCaller {
  readonly clientId: string;
}

export const clusterResourceId = (r: ClusterCredentialRequest): string =>
  `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${r.clusterName}`;

/** The POST URL (pure). Path segments are escaped; the ARM endpoint has no trailing slash. */
export function clusterCredentialUrl(resourceManager: string, r: ClusterCredentialRequest): string {
  const e = encodeURIComponent;
  const action = r.admin ? 'listClusterAdminCredential' : 'listClusterUserCredential';
  return `${resourceManager}/subscriptions/${e(r.subscriptionId)}/resourceGroups/${e(r.resourceGroup)}` +
    `/providers/Microsoft.ContainerService/managedClusters/${e(r.clusterName)}/${action}?api-version=${AKS_API_VERSION}`;
}

/** `{kubeconfigs:[{name,value:base64}]}` → kubeconfig YAML (pure). */
export function decodeCredentialResults(bodyText: string, r: ClusterCredentialRequest): string {
  let value: unknown;
  try {
    const body = JSON.parse(bodyText) as { kubeconfigs?: Array<{ name?: string; value?: unknown }> };
    value = body.kubeconfigs?.[0]?.value;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || value === '') {
    throw new AuthError(`ARM returned no kubeconfig for cluster '${r.clusterName}'.`);
  }
  return Buffer.from(value, 'base64').toString('utf8');
}

/** An ARM CloudError (`{"error":{"code","message"}}`) → what to fix (pure). */
export function describeArmFailure(status: number, bodyText: string, r: ClusterCredentialRequest, caller: ArmCaller): AuthError {
  let code = '';
  let message = bodyText.slice(0, 300);
  try {
    const err = (JSON.parse(bodyText) as { error?: { code?: string; message?: string } }).error;
    code = err?.code ?? '';
    message = err?.message ?? message;
  } catch {
    // not a CloudError: keep the raw text
  }
  const cluster = `AKS cluster '${r.clusterName}' (resource group '${r.resourceGroup}', subscription '${r.subscriptionId}')`;
  const fix = ((): string => {
    if (code === 'ResourceNotFound' || (status === 404 && code === '')) {
      return `${cluster} was not found. Check inputs '${Input.subscriptionId}', '${Input.resourceGroup}' and '${Input.clusterName}'.`;
    }
    if (code === 'ResourceGroupNotFound') {
      return `Resource group '${r.resourceGroup}' was not found in subscription '${r.subscriptionId}'. Check inputs '${Input.resourceGroup}' and '${Input.subscriptionId}'.`;
    }
    if (code === 'SubscriptionNotFound' || code === 'InvalidSubscriptionId') {
      return `Subscription '${r.subscriptionId}' was not found. Check input '${Input.subscriptionId}' and that the subscription belongs to input '${Input.tenantId}'.`;
    }
    if (code === 'AuthorizationFailed' || status === 403) {
      const role = r.admin ? 'Azure Kubernetes Service Cluster Admin Role' : 'Azure Kubernetes Service Cluster User Role';
      return `Application '${caller.clientId}' may not list the ${r.admin ? 'admin' : 'user'} credentials of ${cluster}. ` +
        `Assign it the "${role}" on the cluster: az role assignment create --assignee ${caller.clientId} --role "${role}" --scope ${clusterResourceId(r)}`;
    }
    if (status === 400 && /local accounts/i.test(message)) {
      return `${cluster} has local accounts disabled, so admin credentials cannot be listed. Set input '${Input.admin}' to false and grant the identity access with Kubernetes RBAC (a Role and RoleBinding for its object id) or Azure RBAC for Kubernetes.`;
    }
    if (status === 401) {
      return `ARM refused the access token for ${cluster}. Check input '${Input.azureEnvironment}' and '${Input.tenantId}'.`;
    }
    if (status === 429 || status >= 500) return `ARM is unavailable for ${cluster}; run the step again later.`;
    return `ARM could not list the credentials of ${cluster}.`;
  })();
  return new AuthError(`${fix} (ARM ${status}${code ? ` ${code}` : ''}: ${message})`);
}

export interface ListKubeconfigOptions {
  /** ARM base URL (AzureEndpoints.resourceManager). */
  readonly resourceManager: string;
  /** A masked ARM access token. */
  readonly accessToken: string;
  readonly caller: ArmCaller;
  /** Extra CA to trust (tests); see FederatedCredentialOptions.extraCaPem. */
  readonly extraCaPem?: string;
}

/** The one I/O function: POSTs the credential action and returns the kubeconfig YAML (never written to disk). */
export async function listClusterKubeconfig(r: ClusterCredentialRequest, options: ListKubeconfigOptions): Promise<string> {
  const pipeline = createPipelineFromOptions({
    userAgentOptions: { userAgentPrefix: 'polysync-aks-action' },
    ...trustExtraCa(options.extraCaPem),
  });
  const url = clusterCredentialUrl(options.resourceManager, r);
  const request = createPipelineRequest({
    url,
    method: 'POST',
    // ARM wants a Content-Length on POST, even an empty one.
    body: '',
    headers: createHttpHeaders({ authorization: `Bearer ${options.accessToken}`, accept: 'application/json' }),
  });
  let response;
  try {
    response = await pipeline.sendRequest(createDefaultHttpClient(), request);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new AuthError(`Could not reach ARM at ${options.resourceManager}: ${text}. Check input '${Input.azureEnvironment}' and the runner's network.`, { cause: error });
  }
  const body = response.bodyAsText ?? '';
  if (response.status !== 200) throw describeArmFailure(response.status, body, r, options.caller);
  return decodeCredentialResults(body, r);
}
