/**
 * Entra ID (the v2.0 endpoints MSAL's client-credentials flow uses) for workload identity federation:
 * - GET /{tenant}/v2.0/.well-known/openid-configuration (unknown tenant → 400 AADSTS90002), and
 *   /{tenant}/discovery/v2.0/keys. The issuer https://127.0.0.1:PORT/{tenant}/v2.0 is also what the local
 *   Kubernetes API server's JWT authenticator trusts (it fetches this discovery document and JWKS).
 * - POST /{tenant}/oauth2/v2.0/token with grant_type=client_credentials and a jwt-bearer client_assertion.
 *   The assertion is checked as Entra does: signature against its issuer's JWKS (fetched through the
 *   issuer's discovery), time range, then (issuer, subject, audience) against the federated identity
 *   credentials of the app, in that order. Failures use Entra's JSON error shape and AADSTS codes
 *   (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 * Access tokens are RS256 JWTs: aud = scope without /.default, iss, tid, oid, appid, sub, idtyp.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, startHttpsServer, type RunningServer } from './https-server.js';
import { createJwksResolver, createSigningKey, decodeJwt, nowSeconds, signJwt, verifySignature } from './jwt.js';
import type { JsonWebKey } from 'node:crypto';
import type { TestCa } from './test-ca.js';

export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface FederatedCredentialSpec {
  readonly issuer: string;
  readonly subject: string;
  /** Defaults to ['api://AzureADTokenExchange']. */
  readonly audiences?: readonly string[];
}

export interface AppSpec {
  readonly tenantId: string;
  /** Defaults to a new GUID. */
  readonly clientId?: string;
  /** The service principal's object id (the `oid` claim); defaults to a new GUID. */
  readonly objectId?: string;
  readonly federatedCredentials: readonly FederatedCredentialSpec[];
  /** Lifetime of issued access tokens (expires_in); default 3599. Short values force MSAL to renew. */
  readonly tokenLifetimeSeconds?: number;
}

export interface App {
  readonly tenantId: string;
  readonly clientId: string;
  readonly objectId: string;
}

export interface EntraStats {
  /** Token requests that carried a client assertion for this client id (accepted or not). */
  readonly tokenRequests: number;
  readonly issuedTokens: readonly string[];
  /** The client assertions of accepted requests, in order (what a rotation test checks). */
  readonly assertions: readonly string[];
}

/**
 * An issuer whose keys Entra is given rather than discovers: the local control plane's service-account
 * issuer (https://kubernetes.default.svc.cluster.local) is not a URL anyone can fetch, whereas an AKS
 * cluster's OIDC issuer is public; the test reads the keys from the API server's /openid/v1/jwks.
 */
export interface TrustedIssuerSpec {
  readonly issuer: string;
  readonly keys: readonly JsonWebKey[];
}

export interface EntraFake extends RunningServer {
  /** What MSAL is given as authorityHost. */
  readonly authorityHost: string;
  issuerFor(tenantId: string): string;
  addTenant(tenantId: string): void;
  registerApp(spec: AppSpec): App;
  stats(clientId: string): EntraStats;
  trustIssuer(spec: TrustedIssuerSpec): void;
  /** An access token as Entra issues it to a managed identity (the IMDS fake hands it out); undefined for an unknown resource. */
  managedIdentityToken(clientId: string, resource: string): { accessToken: string; expiresIn: number } | undefined;
}

/** Resources the fake knows; any other scope → AADSTS500011 as for an app not in the tenant. */
const KNOWN_RESOURCES = new Set([
  AKS_SERVER_APP_ID,
  'https://management.azure.com',
  'https://management.usgovcloudapi.net',
  'https://management.chinacloudapi.cn',
  'https://management.core.windows.net',
]);

export async function startEntra(ca: TestCa, initialTenants: readonly string[] = []): Promise<EntraFake> {
  const key = createSigningKey();
  const tenants = new Set(initialTenants);
  const apps = new Map<string, {
    tenantId: string; clientId: string; objectId: string; tokenLifetimeSeconds: number;
    federatedCredentials: Array<{ issuer: string; subject: string; audiences: readonly string[] }>;
    counters: { tokenRequests: number; issued: string[]; assertions: string[] };
  }>();
  const discovered = createJwksResolver(ca.certPem);
  const trusted = new Map<string, readonly JsonWebKey[]>();
  const jwksOf = (issuer: string): Promise<readonly JsonWebKey[]> => {
    const keys = trusted.get(issuer);
    return keys ? Promise.resolve(keys) : discovered(issuer);
  };
  let base = '';
  const issuerFor = (tenant: string): string => `${base}/${tenant}/v2.0`;

  const fail = (res: ServerResponse, status: number, error: string, code: number, text: string): void => {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    sendJson(res, status, {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${base}/error?code=${code}`,
    });
  };
  const tenantNotFound = (res: ServerResponse, tenant: string): void =>
    fail(res, 400, 'invalid_tenant', 90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);

  async function token(res: ServerResponse, tenant: string, form: URLSearchParams): Promise<void> {
    if (!tenants.has(tenant)) return tenantNotFound(res, tenant);
    const clientId = form.get('client_id') ?? '';
    const app = apps.get(clientId);
    if (app) app.counters.tokenRequests += 1;
    if (form.get('grant_type') !== 'client_credentials') {
      return fail(res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.get('grant_type')}'.`);
    }
    if (!app || app.tenantId !== tenant) {
      return fail(res, 400, 'unauthorized_client', 700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    const assertion = decodeJwt(form.get('client_assertion') ?? '');
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE || !assertion) {
      return fail(res, 401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
    }
    const { iss, sub, aud, exp, nbf } = assertion.claims;
    const fics = app.federatedCredentials.filter((f) => f.issuer === iss);
    if (typeof iss !== 'string' || fics.length === 0) {
      return fail(res, 401, 'invalid_client', 700211,
        `No matching federated identity record found for presented assertion issuer '${String(iss)}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`);
    }
    const keys = await jwksOf(iss).catch(() => []);
    if (!verifySignature(assertion, keys)) {
      return fail(res, 401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    }
    const now = nowSeconds();
    if (typeof exp !== 'number' || exp <= now || (typeof nbf === 'number' && nbf > now)) {
      const iso = (s: unknown): string => (typeof s === 'number' ? new Date(s * 1000).toISOString() : 'unknown');
      return fail(res, 401, 'invalid_client', 700024,
        `Client assertion is not within its valid time range. Current time: ${iso(now)}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`);
    }
    const bySubject = fics.filter((f) => f.subject === sub);
    if (bySubject.length === 0) {
      // Since 2024 Entra matches case-sensitively and says so when only the case differs.
      const caseOnly = fics.some((f) => typeof sub === 'string' && f.subject.toLowerCase() === sub.toLowerCase());
      return caseOnly
        ? fail(res, 401, 'invalid_client', 7002138,
          `No matching federated identity record found for presented assertion subject '${String(sub)}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion.`)
        : fail(res, 401, 'invalid_client', 700213,
          `No matching federated identity record found for presented assertion subject '${String(sub)}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`);
    }
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!bySubject.some((f) => f.audiences.some((a) => audiences.includes(a)))) {
      return fail(res, 401, 'invalid_client', 700212,
        `No matching federated identity record found for presented assertion audience '${audiences.join(',')}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`);
    }
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const [scope] = scopes;
    if (scopes.length !== 1 || !scope?.endsWith('/.default')) {
      return fail(res, 400, 'invalid_scope', 1002012, `The provided value for scope ${form.get('scope') ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const resource = scope.slice(0, -'/.default'.length).replace(/\/$/, '');
    if (!KNOWN_RESOURCES.has(resource)) {
      return fail(res, 400, 'invalid_resource', 500011,
        `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
    }
    const lifetime = app.tokenLifetimeSeconds;
    const accessToken = mint(app, resource);
    app.counters.assertions.push(form.get('client_assertion') ?? '');
    sendJson(res, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken });
  }

  function mint(app: { tenantId: string; clientId: string; objectId: string; tokenLifetimeSeconds: number; counters: { issued: string[] } }, resource: string): string {
    const now = nowSeconds();
    const accessToken = signJwt(
      { aud: resource, iss: issuerFor(app.tenantId), iat: now, nbf: now, exp: now + app.tokenLifetimeSeconds, tid: app.tenantId, oid: app.objectId,
        sub: app.objectId, appid: app.clientId, azp: app.clientId, idtyp: 'app', ver: '2.0', uti: randomUUID() },
      key,
    );
    app.counters.issued.push(accessToken);
    return accessToken;
  }

  const server = await startHttpsServer(ca, async (req, res, url, body) => {
    const [, tenant = '', ...rest] = url.pathname.split('/');
    const path = rest.join('/');
    if (req.method === 'GET' && path === 'v2.0/.well-known/openid-configuration') {
      if (!tenants.has(tenant)) return tenantNotFound(res, tenant);
      return sendJson(res, 200, {
        issuer: issuerFor(tenant),
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        tenant_region_scope: 'NA',
      });
    }
    if (req.method === 'GET' && path === 'discovery/v2.0/keys') return sendJson(res, 200, { keys: [key.jwk] });
    if (req.method === 'POST' && path === 'oauth2/v2.0/token') return token(res, tenant, new URLSearchParams(body));
    sendJson(res, 404, { error: 'not_found' });
  });
  base = server.url;

  return {
    ...server,
    authorityHost: base,
    issuerFor,
    addTenant: (t) => void tenants.add(t),
    registerApp(spec) {
      tenants.add(spec.tenantId);
      const app = {
        tenantId: spec.tenantId,
        clientId: spec.clientId ?? randomUUID(),
        objectId: spec.objectId ?? randomUUID(),
        federatedCredentials: spec.federatedCredentials.map((f) => ({ ...f, audiences: f.audiences ?? ['api://AzureADTokenExchange'] })),
        tokenLifetimeSeconds: spec.tokenLifetimeSeconds ?? 3599,
        counters: { tokenRequests: 0, issued: [] as string[], assertions: [] as string[] },
      };
      apps.set(app.clientId, app);
      return { tenantId: app.tenantId, clientId: app.clientId, objectId: app.objectId };
    },
    stats(clientId) {
      const c = apps.get(clientId)?.counters;
      return { tokenRequests: c?.tokenRequests ?? 0, issuedTokens: [...(c?.issued ?? [])], assertions: [...(c?.assertions ?? [])] };
    },
    trustIssuer: (spec) => void trusted.set(spec.issuer, spec.keys),
    managedIdentityToken(clientId, resource) {
      const app = apps.get(clientId);
      const r = resource.replace(/\/$/, '');
      if (!app || !KNOWN_RESOURCES.has(r)) return undefined;
      return { accessToken: mint(app, r), expiresIn: app.tokenLifetimeSeconds };
    },
  };
}
