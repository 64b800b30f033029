/**
 * Entra ID tokens through workload identity federation, refreshed for jobs that run for hours.
 *
 * Azure/login hands the GitHub token to `az` once and dies with AADSTS700024 when it expires
 * (Azure/login#180, #372). Here ClientAssertionCredential's assertion callback asks the platform for a
 * FRESH federated token whenever Entra ID must be asked for an access token.
 *
 * Two things msal-node 7.2.1 does that we correct (ConfidentialClientApplication.acquireTokenByClientCredential):
 * - it calls the assertion callback BEFORE its cache lookup, so every getToken, cached or not, would
 *   fetch a GitHub token: with one getToken per Kubernetes request that is thousands per long Job.
 *   We keep our own per-scope cache with MSAL's renewal rule (renew 5 minutes before expiry, or at
 *   refresh_in) and call the credential only when a token is due.
 * - on a renewal it calls the callback twice (cache lookup, then the token request): one acquisition
 *   shares one federated token.
 */
import { ClientAssertionCredential, type AccessToken } from '@azure/identity';
import { AuthError } from '../core/errors.js';
import { describeEntraFailure, describeTokenSourceFailure } from './entra-errors.js';
import { trustExtraCa } from './tls.js';
import { readFederatedClaims, type FederatedClaims, type FederatedTokenSource, type Mask } from './federated-token.js';
import type { AzureEnvironmentName } from '../core/settings.js';

/** Returns an access token (bearer value) for one `<resource>/.default` scope; masked before returning. */
export type AccessTokenProvider = (scope: string) => Promise<string>;

/** msal-common DEFAULT_TOKEN_RENEWAL_OFFSET_SEC: tokens are renewed this long before they expire. */
export const TOKEN_RENEWAL_MARGIN_MS = 300_000;

export interface FederatedCredentialOptions {
  readonly tenantId: string;
  readonly clientId: string;
  /** Audience of the federated token (input 'audience', default api://AzureADTokenExchange). */
  readonly audience: string;
  readonly authorityHost: string;
  readonly environment: AzureEnvironmentName;
  readonly tokenSource: FederatedTokenSource;
  readonly mask: Mask;
  /**
   * A CA (PEM) to trust in addition to the default store. NODE_EXTRA_CA_CERTS is read only at process
   * start, so in-process tests pass the fakes' CA here; production leaves it unset.
   */
  readonly extraCaPem?: string;
  /** Clock for the cache (tests); defaults to Date.now. */
  readonly now?: () => number;
}

/** True while a cached token may still be used (pure; the rule MSAL applies to its own cache). */
export function isTokenFresh(token: Pick<AccessToken, 'expiresOnTimestamp' | 'refreshAfterTimestamp'>, now: number): boolean {
  const renewAt = Math.min(token.expiresOnTimestamp - TOKEN_RENEWAL_MARGIN_MS, token.refreshAfterTimestamp ?? Infinity);
  return now < renewAt;
}

/**
 * Builds the credential once per run (MSAL's state lives in the instance). Every federated token and
 * access token goes through `mask` before anything can log it; nothing is written to disk (no
 * persistence options, no token files).
 */
export function createFederatedCredential(options: FederatedCredentialOptions): AccessTokenProvider {
  const now = options.now ?? Date.now;
  let lastClaims: FederatedClaims | undefined;
  // Errors the token source threw during the current acquisition (MSAL wraps them in its own).
  const sourceErrors: AuthError[] = [];
  let assertion: Promise<string> | undefined;

  const fetchAssertion = async (): Promise<string> => {
    let jwt: string;
    try {
      jwt = await options.tokenSource(options.audience);
    } catch (error) {
      const described = describeTokenSourceFailure(error, options.audience);
      sourceErrors.push(described);
      throw described;
    }
    options.mask(jwt);
    lastClaims = readFederatedClaims(jwt);
    return jwt;
  };

  const credential = new ClientAssertionCredential(options.tenantId, options.clientId, () => (assertion ??= fetchAssertion()), {
    authorityHost: options.authorityHost,
    // Skips MSAL's instance-discovery call to login.microsoftonline.com: the authority is known
    // (sovereign clouds, and the 127.0.0.1 fakes, would otherwise fail validation).
    disableInstanceDiscovery: true,
    ...trustExtraCa(options.extraCaPem),
  });

  const acquire = async (scope: string): Promise<AccessToken> => {
    assertion = undefined;
    sourceErrors.length = 0;
    try {
      const token = await credential.getToken(scope);
      options.mask(token.token);
      return token;
    } catch (error) {
      const [sourceError] = sourceErrors;
      if (sourceError) throw sourceError;
      throw describeEntraFailure(error, {
        tenantId: options.tenantId,
        clientId: options.clientId,
        audience: options.audience,
        authorityHost: options.authorityHost,
        environment: options.environment,
        scope,
        federated: lastClaims,
      });
    } finally {
      assertion = undefined;
    }
  };

  return cachedPerScope(acquire, now);
}

/**
 * Our per-scope cache (see the top of this file) around any way of acquiring a token: MSAL's renewal
 * rule, and concurrent requests (API calls, watches, log streams) for one scope share one acquisition.
 */
export function cachedPerScope(acquire: (scope: string) => Promise<AccessToken>, now: () => number = Date.now): AccessTokenProvider {
  const cache = new Map<string, AccessToken>();
  const inFlight = new Map<string, Promise<AccessToken>>();
  return async (scope) => {
    const cached = cache.get(scope);
    if (cached && isTokenFresh(cached, now())) return cached.token;
    let pending = inFlight.get(scope);
    if (!pending) {
      pending = acquire(scope).finally(() => inFlight.delete(scope));
      inFlight.set(scope, pending);
    }
    const token = await pending;
    cache.set(scope, token);
    return token.token;
  };
}
