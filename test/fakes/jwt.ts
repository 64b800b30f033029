/**
 * RS256 JWTs and JWKS with node:crypto only (RFC 7515/7517), shared by the GitHub and Entra fakes,
 * and the verifier they use on what they receive (Entra on client assertions, ARM on bearer tokens).
 */
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import https from 'node:https';

export type Claims = Record<string, unknown>;

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The public half as a JWK with kid/use/alg, as /keys endpoints publish it. */
  readonly jwk: JsonWebKey;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' } };
}

export function signJwt(claims: Claims, key: SigningKey): string {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key.privateKey))}`;
}

export interface DecodedJwt {
  readonly header: Claims;
  readonly claims: Claims;
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** Splits and parses without verifying; undefined when it is not a JWS compact serialisation. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const [h = '', c = '', s = ''] = parts;
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return undefined;
    return { header: header as Claims, claims: claims as Claims, signingInput: `${h}.${c}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return undefined;
  }
}

/**
 * True when the signature verifies with the JWK whose kid the header names. RS256 (the fakes' own),
 * and ES256, which Kubernetes uses for service-account tokens signed with an EC key (RFC 7518 §3.4:
 * the signature is r || s, not DER).
 */
export function verifySignature(jwt: DecodedJwt, keys: readonly JsonWebKey[]): boolean {
  const alg = jwt.header['alg'];
  if (alg !== 'RS256' && alg !== 'ES256') return false;
  const jwk = keys.find((k) => k.kid === jwt.header['kid']);
  if (!jwk) return false;
  const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  const data = Buffer.from(jwt.signingInput);
  return alg === 'RS256'
    ? verify('sha256', data, publicKey, jwt.signature)
    : verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, jwt.signature);
}

/** GET JSON over HTTPS trusting only the test CA; refuses anything but loopback. */
export function getJson(url: string, caPem: string): Promise<unknown> {
  const u = new URL(url);
  if (u.protocol !== 'https:' || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    return Promise.reject(new Error(`refusing to fetch non-loopback URL ${url}`));
  }
  return new Promise((resolve, reject) => {
    https
      .get(u, { ca: caPem, headers: { accept: 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if ((res.statusCode ?? 0) !== 200) return reject(new Error(`GET ${url}: ${res.statusCode}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
      })
      .on('error', reject);
  });
}

/**
 * Fetches an issuer's signing keys the way OIDC relying parties do: discovery document first,
 * then its jwks_uri. Cached per issuer for the fake's lifetime (keys never rotate in a test run).
 */
export function createJwksResolver(caPem: string): (issuer: string) => Promise<JsonWebKey[]> {
  const cache = new Map<string, Promise<JsonWebKey[]>>();
  return (issuer) => {
    let keys = cache.get(issuer);
    if (!keys) {
      keys = (async () => {
        const discovery = (await getJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, caPem)) as {
          jwks_uri?: string;
        };
        if (!discovery.jwks_uri) throw new Error(`no jwks_uri in ${issuer}'s discovery document`);
        const jwks = (await getJson(discovery.jwks_uri, caPem)) as { keys?: JsonWebKey[] };
        return jwks.keys ?? [];
      })();
      keys.catch(() => cache.delete(issuer));
      cache.set(issuer, keys);
    }
    return keys;
  };
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
