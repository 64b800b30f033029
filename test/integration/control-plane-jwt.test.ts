// The control plane trusts a JWT issuer given at start-up (--jwt-* flags -> structured
// AuthenticationConfiguration), the way AKS trusts Entra ID: a token from a tiny issuer in this
// test signs in as its `oid` claim, and RBAC then applies to that user. Runs its own cluster,
// because the issuer must exist before the API server starts.
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException, AuthenticationV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type StartedCluster } from '../../scripts/localcluster.mjs';
import { waitFor } from '../support/cluster.js';
import { createTestCa } from '../fakes/test-ca.js';

const audience = '6dae42f8-4368-4678-94ff-3960e28e3630';
const oid = randomUUID();
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dir = mkdtempSync(join(tmpdir(), 'localcluster-jwt-'));
let issuer: Server;
let issuerUrl: string;
let cluster: StartedCluster;
let admin: KubeConfig;

const ca = createTestCa('jwt issuer CA');
const caFile = ca.writeCertFile();

/** Serve OIDC discovery and JWKS over HTTPS with a throw-away certificate for 127.0.0.1. */
async function startIssuer(): Promise<void> {
  const cert = ca.issueServerCertificate();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
  issuer = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    const body =
      req.url === '/.well-known/openid-configuration'
        ? { issuer: issuerUrl, jwks_uri: `${issuerUrl}/keys`, id_token_signing_alg_values_supported: ['RS256'] }
        : req.url === '/keys' ? { keys: [jwk] } : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
  issuerUrl = `https://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
}

function token(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64({ iss: issuerUrl, aud: audience, oid, iat: now, nbf: now, exp: now + 600, ...claims })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey, 'base64url')}`;
}

function kubeConfigWithToken(bearer: string): KubeConfig {
  const kc = new KubeConfig();
  const server = admin.getCurrentCluster();
  if (!server) throw new Error('admin kubeconfig has no cluster');
  kc.loadFromOptions({
    clusters: [server],
    users: [{ name: 'jwt', token: bearer }],
    contexts: [{ name: 'jwt', cluster: server.name, user: 'jwt' }],
    currentContext: 'jwt',
  });
  return kc;
}

const statusOf = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof ApiException ? e.code : -1));

beforeAll(async () => {
  await startIssuer();
  cluster = await startCluster({
    kubeconfigPath: join(dir, 'kubeconfig'),
    extraArgs: ['--jwt-issuer-url', issuerUrl, '--jwt-ca-file', caFile.path, '--jwt-audience', audience, '--jwt-username-claim', 'oid'],
  });
  admin = new KubeConfig();
  admin.loadFromFile(cluster.kubeconfigPath);
});

afterAll(async () => {
  await cluster?.stop();
  caFile.remove();
  issuer?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('signs in as the oid claim and is then subject to RBAC', async () => {
  const user = kubeConfigWithToken(token({}));
  // The JWT authenticator fetches discovery in the background; until then tokens get 401.
  await waitFor(async () => (await statusOf(user.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' }))) !== 401, {
    timeoutMs: 60_000, what: 'the JWT authenticator to accept the token',
  });
  const review = await user.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
  expect(review.status?.userInfo?.username).toBe(oid);

  expect(await statusOf(user.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' }))).toBe(403);
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({
    namespace: 'default',
    body: { metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: 'default',
    body: {
      metadata: { name: 'pod-reader' },
      subjects: [{ kind: 'User', name: oid, apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' },
    },
  });
  await waitFor(async () => (await statusOf(user.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' }))) === 200, {
    what: 'the RoleBinding to take effect',
  });
});

it('rejects a token for another audience with 401', async () => {
  const other = kubeConfigWithToken(token({ aud: 'someone-else' }));
  expect(await statusOf(other.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' }))).toBe(401);
});
