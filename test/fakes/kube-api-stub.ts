/**
 * A stand-in for the Kubernetes API server's authentication step, for the sign-in tests that run
 * without the local control plane: it authenticates bearer tokens as the API server's JWT
 * authenticator does for AKS (signature through the issuer's discovery + JWKS, issuer, audience
 * 6dae42f8-…, expiry; username from `oid`) or a static local-account token, answers 401 Status
 * otherwise, and serves just enough for a generated API call (GET namespace), a Watch and a Log request.
 * Tests that involve Jobs use the real control plane; this only proves which token each request carried.
 */
import { bearerToken, sendJson, startHttpsServer, type RunningServer } from './https-server.js';
import { createJwksResolver, decodeJwt, nowSeconds, verifySignature } from './jwt.js';
import { AKS_SERVER_APP_ID } from './entra.js';
import type { TestCa } from './test-ca.js';

export interface AuthenticatedRequest {
  readonly path: string;
  /** `oid` of the Entra token, or 'local:<token>' for a static token. */
  readonly username: string;
  readonly token: string;
}

export interface KubeApiStub extends RunningServer {
  readonly requests: AuthenticatedRequest[];
  /** Static tokens accepted as local accounts (token → username). */
  addStaticToken(token: string, username: string): void;
}

/**
 * `ca` signs the stub's own certificate (the cluster CA the kubeconfig carries); `issuerCaPem` is the CA
 * the identity fakes' certificates chain to (to fetch the issuer's discovery document and JWKS).
 */
export async function startKubeApiStub(ca: TestCa, trustedIssuer: string, issuerCaPem: string): Promise<KubeApiStub> {
  const requests: AuthenticatedRequest[] = [];
  const staticTokens = new Map<string, string>();
  const jwksOf = createJwksResolver(issuerCaPem);
  const unauthorized = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

  const authenticate = async (token: string): Promise<string | undefined> => {
    const local = staticTokens.get(token);
    if (local) return local;
    const jwt = decodeJwt(token);
    if (!jwt || jwt.claims['iss'] !== trustedIssuer) return undefined;
    if (!verifySignature(jwt, await jwksOf(trustedIssuer).catch(() => []))) return undefined;
    const { aud, exp, oid } = jwt.claims;
    if (aud !== AKS_SERVER_APP_ID || typeof exp !== 'number' || exp <= nowSeconds() || typeof oid !== 'string') return undefined;
    return oid;
  };

  const server = await startHttpsServer(ca, async (req, res, url) => {
    const token = bearerToken(req) ?? '';
    const username = await authenticate(token);
    if (!username) return sendJson(res, 401, unauthorized);
    requests.push({ path: url.pathname, username, token });
    const ns = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(url.pathname);
    if (ns) return sendJson(res, 200, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: ns[1] } });
    if (/^\/apis\/batch\/v1\/namespaces\/[^/]+\/jobs$/.test(url.pathname) && url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ADDED', object: { kind: 'Job', apiVersion: 'batch/v1', metadata: { name: 'job-1' } } })}\n`);
      return;
    }
    if (/^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/log$/.test(url.pathname)) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello from the pod\n');
      return;
    }
    sendJson(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  });

  return { ...server, requests, addStaticToken: (t, u) => void staticTokens.set(t, u) };
}
