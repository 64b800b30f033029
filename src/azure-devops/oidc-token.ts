/**
 * The federated token of an Azure Resource Manager service connection, from Azure DevOps' OIDC
 * endpoint (learn.microsoft.com rest/api/azure/devops/distributedtask/oidctoken/create; the same
 * request as @azure/identity's AzurePipelinesCredential):
 *   POST $(System.OidcRequestUri)?api-version=7.1&serviceConnectionId=<id>
 *   Authorization: Bearer $(System.AccessToken)      → 200 {"oidcToken": "<JWT>"}
 * A new token on every call: MSAL asks for one only when it needs a new Entra token, and Azure
 * DevOps' tokens live ~10 minutes, shorter than a long Job.
 */
import { AuthError } from '../core/errors.js';
import type { FederatedTokenSource, Mask } from '../azure/sign-in.js';

export interface OidcRequest {
  /** System.OidcRequestUri. */
  readonly requestUri: string;
  /** System.AccessToken (or the SystemVssConnection's AccessToken). */
  readonly accessToken: string;
  readonly serviceConnectionId: string;
}

/** The subset of fetch the source needs; tests pass their own. */
export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

const TIMEOUT_MS = 30_000;

/** What to do for a refused request, by status. */
function advice(status: number): string {
  if (status === 401 || status === 203) {
    return "System.AccessToken was refused: make it available to the task (YAML jobs have it; in classic pipelines enable 'Allow scripts to access the OAuth token').";
  }
  if (status === 403) return 'The pipeline may not use this service connection: authorize it for the pipeline (service connection → Security → Pipeline permissions).';
  if (status === 404 || status === 400) return 'Check that the service connection exists in this project and uses workload identity federation.';
  return 'Azure DevOps could not issue the token; run the pipeline again.';
}

/**
 * A FederatedTokenSource for the connection. The audience argument is ignored: Azure DevOps issues
 * its tokens for api://AzureADTokenExchange, the audience Entra ID's federated credentials expect.
 */
export function createOidcTokenSource(request: OidcRequest, mask: Mask, fetchImpl: Fetch = fetch): FederatedTokenSource {
  if (!request.requestUri) {
    throw new AuthError('System.OidcRequestUri is not set: workload identity federation needs agent 3.220.5 or later on Azure DevOps Services.');
  }
  if (!request.accessToken) {
    throw new AuthError(advice(401));
  }
  const url = new URL(request.requestUri);
  url.searchParams.set('api-version', '7.1');
  url.searchParams.set('serviceConnectionId', request.serviceConnectionId);
  return async () => {
    let status: number;
    let text: string;
    try {
      const res = await fetchImpl(url.toString(), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${request.accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
          // Without it an expired token gets a 203 and a sign-in page instead of a 401.
          'x-tfs-fedauthredirect': 'Suppress',
        },
        body: '{}',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw new AuthError(`Could not reach Azure DevOps' OIDC endpoint ${url.origin}${url.pathname}: ${(err as Error).message}.`, { cause: err });
    }
    let token: unknown;
    try {
      token = status === 200 ? (JSON.parse(text) as { oidcToken?: unknown }).oidcToken : undefined;
    } catch {
      token = undefined;
    }
    if (typeof token === 'string' && token !== '') {
      mask(token);
      return token;
    }
    const detail = status === 200 ? 'the response has no oidcToken' : `HTTP ${status}${serverMessage(text)}`;
    throw new AuthError(`Azure DevOps did not issue an OIDC token for service connection '${request.serviceConnectionId}' (${detail}). ${advice(status)}`);
  };
}

/** The `message` of an Azure DevOps error body ({"$id","message","typeKey",...}), if any. */
function serverMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === 'string' && message !== '' ? `: ${message}` : '';
  } catch {
    return '';
  }
}
