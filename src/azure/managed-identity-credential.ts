/**
 * Entra tokens from IMDS, the managed identity of an Azure VM or VMSS:
 * GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=<r>[&client_id=<id>]
 * with `Metadata: true`, retried as MSAL does (msal-node 7.2.1 Imds.ts, retry/ImdsRetryPolicy.ts:
 * 404/408/410/429/5xx; 3 retries after 1, 2, 4 s; a 410 up to 7 retries 10 s apart).
 *
 * Not @azure/identity's ManagedIdentityCredential (4.14.1), for three reasons read in its source:
 * - MSAL keeps the IMDS source, with the endpoint and HTTP client of the FIRST credential, in a static
 *   (ManagedIdentityClient.identitySource) and the token cache in another (ManagedIdentityApplication
 *   .nodeStorage), so a second credential in the process (the tests' fakes) talks to the first one's IMDS;
 * - the endpoint comes only from process.env AZURE_POD_IDENTITY_AUTHORITY_HOST;
 * - with AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE set it silently uses workload
 *   identity instead (tokenExchangeMsi), and IMDS's errors come back re-wrapped as CredentialUnavailableError.
 * The protocol is one GET; owning it gives the "several identities: set client-id" answer directly.
 */
import type { AccessToken } from '@azure/identity';
import { AuthError } from '../core/errors.js';
import { Input } from '../core/names.js';
import { cachedPerScope, type AccessTokenProvider } from './credential.js';
import type { Mask } from './federated-token.js';

/** IMDS's address on every Azure VM; POLYSYNC_IMDS_ENDPOINT replaces it in tests (environments.ts). */
export const IMDS_ENDPOINT = 'http://169.254.169.254';
const TOKEN_PATH = '/metadata/identity/oauth2/token';
const API_VERSION = '2018-02-01';

export interface ManagedIdentityOptions {
  /** A user-assigned identity's client id; undefined: the VM's system-assigned (or only) identity. */
  readonly clientId: string | undefined;
  readonly mask: Mask;
  /** Base URL, no path; defaults to IMDS_ENDPOINT. */
  readonly endpoint?: string;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const RETRIED = new Set([404, 408, 410, 429]);
const retried = (status: number): boolean => RETRIED.has(status) || (status >= 500 && status <= 599);
/** MSAL's ExponentialRetryStrategy(1000, 4000, 2000) and HTTP_STATUS_GONE_RETRY_AFTER_MS. */
const delayMs = (status: number, retry: number): number => (status === 410 ? 10_000 : Math.min(1000 * 2 ** retry, 4000));
const maxRetries = (firstStatus: number): number => (firstStatus === 410 ? 7 : 3);

interface ImdsToken {
  access_token?: string;
  expires_on?: string | number;
  expires_in?: string | number;
}

/** What to fix for an IMDS error answer (pure). */
export function describeImdsFailure(status: number, body: string, clientId: string | undefined, attempts: number): AuthError {
  let description = body.slice(0, 300);
  try {
    const parsed = JSON.parse(body) as { error?: string; error_description?: string };
    description = parsed.error_description ?? parsed.error ?? description;
  } catch {
    // not JSON: keep the text
  }
  const answer = `(IMDS ${status}: ${description})`;
  if (/multiple user assigned identities/i.test(description)) {
    return new AuthError(`This VM has several user-assigned managed identities and none was named: set input '${Input.clientId}' to the client id of the one to use ` +
      `(az vm identity show / az vmss identity show lists them). ${answer}`);
  }
  if (/identity not found/i.test(description)) {
    return new AuthError(clientId === undefined
      ? `This VM has no managed identity: enable its system-assigned identity, or assign a user-assigned one and set input '${Input.clientId}'. ${answer}`
      : `No managed identity with client id '${clientId}' is assigned to this VM: check input '${Input.clientId}', or assign it (az vm identity assign --identities <resource id>). ${answer}`);
  }
  if (retried(status)) return new AuthError(`IMDS was unavailable after ${attempts} attempts; run the step again later. ${answer}`);
  return new AuthError(`IMDS refused a managed identity token ${answer}.`);
}

/** Reads a 200 answer; expires_on is seconds since the epoch (a string on the wire). */
function toAccessToken(body: string, now: number): AccessToken {
  const t = JSON.parse(body) as ImdsToken;
  if (typeof t.access_token !== 'string' || t.access_token === '') throw new AuthError('IMDS answered without an access_token.');
  const expiresOn = t.expires_on !== undefined ? Number(t.expires_on) * 1000 : now + Number(t.expires_in ?? 0) * 1000;
  const lifetime = expiresOn - now;
  // As MSAL's BaseManagedIdentitySource: refresh at half the lifetime when it is over 2 hours.
  const refreshAfterTimestamp = lifetime > 7_200_000 ? now + lifetime / 2 : undefined;
  return { token: t.access_token, expiresOnTimestamp: expiresOn, tokenType: 'Bearer', ...(refreshAfterTimestamp === undefined ? {} : { refreshAfterTimestamp }) };
}

/** One credential per run: IMDS tokens per scope, cached until due, each masked. */
export function createManagedIdentityCredential(options: ManagedIdentityOptions): AccessTokenProvider {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const base = (options.endpoint ?? IMDS_ENDPOINT).replace(/\/+$/, '');

  const acquire = async (scope: string): Promise<AccessToken> => {
    const url = new URL(`${base}${TOKEN_PATH}`);
    url.searchParams.set('api-version', API_VERSION);
    url.searchParams.set('resource', scope.replace(/\/\.default$/, ''));
    if (options.clientId !== undefined) url.searchParams.set('client_id', options.clientId);
    let firstStatus: number | undefined;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(url, { headers: { Metadata: 'true' }, signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        throw new AuthError(`Could not reach IMDS at ${base}: ${error instanceof Error ? error.message : String(error)}. ` +
          `'${Input.authType}: managed-identity' works on an Azure VM or VMSS with a managed identity.`, { cause: error });
      }
      const body = await response.text();
      if (response.status === 200) {
        const token = toAccessToken(body, now());
        options.mask(token.token);
        return token;
      }
      firstStatus ??= response.status;
      if (!retried(response.status) || attempt > maxRetries(firstStatus)) {
        throw describeImdsFailure(response.status, body, options.clientId, attempt);
      }
      await sleep(delayMs(response.status, attempt - 1));
    }
  };
  return cachedPerScope(acquire, now);
}
