/**
 * The platform's OIDC token, the one thing each platform supplies: on GitHub `core.getIDToken(audience)`,
 * on Azure DevOps the service connection's oidctoken endpoint. No `@actions/*` import here, so the Azure
 * DevOps task reuses this adapter.
 */

/** Returns a NEW federated token (JWT) for the audience on every call: callers rely on its freshness. */
export type FederatedTokenSource = (audience: string) => Promise<string>;

/** Hides a secret from logs (core.setSecret / task-lib setSecret). Called before anything could print it. */
export type Mask = (secret: string) => void;

/** The claims that decide whether Entra ID accepts a federated token. */
export interface FederatedClaims {
  readonly issuer: string | undefined;
  readonly subject: string | undefined;
  readonly audience: string | undefined;
}

/**
 * Reads iss/sub/aud from a JWT's payload without verifying it: only to say in an error message which
 * subject Entra ID was shown (Azure/login prints the same three values). Undefined for a non-JWT.
 */
export function readFederatedClaims(jwt: string): FederatedClaims | undefined {
  const payload = jwt.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const aud = Array.isArray(claims['aud']) ? str(claims['aud'][0]) : str(claims['aud']);
    return { issuer: str(claims['iss']), subject: str(claims['sub']), audience: aud };
  } catch {
    return undefined;
  }
}
