/**
 * Entra ID's AADSTS codes turned into what to fix (codes and texts from
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes and the replies quoted in
 * Azure/login#482, #515, #517). The federated-credential mismatches name the exact subject to register,
 * which is the single most common set-up mistake (Azure/login#379).
 */
import { AuthError } from '../core/errors.js';
import { Input } from '../core/names.js';
import type { AzureEnvironmentName } from '../core/settings.js';
import type { FederatedClaims } from './federated-token.js';

export interface EntraFailureContext {
  readonly tenantId: string;
  readonly clientId: string;
  readonly audience: string;
  readonly authorityHost: string;
  readonly environment: AzureEnvironmentName;
  /** The `<resource>/.default` being requested. */
  readonly scope: string;
  /** iss/sub/aud of the last federated token sent, when one was. */
  readonly federated: FederatedClaims | undefined;
}

/** The AADSTS code in an error message (identity puts Entra's error_description there), if any. */
export function aadstsCode(text: string): number | undefined {
  const m = /AADSTS(\d+)/.exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** Entra's description up to "Trace ID:" (the rest is per-request noise). */
function entraReason(text: string): string {
  const m = /AADSTS\d+:[^\n]*?(?=\s*Trace ID:|\n|$)/.exec(text);
  return (m?.[0] ?? text.split('\n')[0] ?? text).trim().replace(/\.$/, '');
}

const q = (v: string | undefined): string => `'${v ?? 'unknown'}'`;

function federatedCredentialFix(code: number, ctx: EntraFailureContext): string {
  const f = ctx.federated;
  const issuer = f?.issuer ?? 'https://token.actions.githubusercontent.com';
  const subject = f?.subject ?? 'unknown';
  const audience = f?.audience ?? ctx.audience;
  const which =
    code === 700211 ? `its issuer ${q(issuer)}`
      : code === 700212 ? `its audience ${q(audience)} (input '${Input.audience}')`
        : code === 7002138 ? `its subject ${q(subject)}, which differs from a registered one only in letter case (matching is case-sensitive)`
          : `its subject ${q(subject)}`;
  const params = JSON.stringify({ name: 'polysync-aks', issuer, subject, audiences: [audience] });
  return (
    `No federated credential of application ${q(ctx.clientId)} in tenant ${q(ctx.tenantId)} matches this run's OIDC token (AADSTS${code}): ` +
    `no record for ${which}. Add a federated credential with subject '${subject}' (exactly), issuer '${issuer}' ` +
    `and audience '${audience}': az ad app federated-credential create --id ${ctx.clientId} --parameters '${params}' ` +
    `(for a user-assigned managed identity: az identity federated-credential create --identity-name <identity> ` +
    `--resource-group <group> --name polysync-aks --issuer ${issuer} --subject '${subject}' --audiences ${audience}).`
  );
}

function messageFor(code: number | undefined, ctx: EntraFailureContext, reason: string): string {
  const resource = ctx.scope.replace(/\/\.default$/, '');
  switch (code) {
    case 70021:
    case 700211:
    case 700212:
    case 700213:
    case 7002138:
      return federatedCredentialFix(code, ctx);
    case 90002:
      return `Tenant ${q(ctx.tenantId)} was not found at ${ctx.authorityHost} (AADSTS90002). Check input '${Input.tenantId}' (the Directory (tenant) ID) and '${Input.azureEnvironment}' (${ctx.environment}): a tenant exists only in its own cloud.`;
    case 700016:
      return `Application ${q(ctx.clientId)} was not found in tenant ${q(ctx.tenantId)} (AADSTS700016). Check input '${Input.clientId}' (the Application (client) ID of the app registration, or the client ID of the user-assigned managed identity) and '${Input.tenantId}'.`;
    case 700024:
      return `Entra ID received an OIDC token outside its valid time range (AADSTS700024). The action asks for a new token each time Entra ID needs one, so check the runner's clock and that the token source returns fresh tokens (${reason}).`;
    case 50027:
    case 700027:
      return `Entra ID rejected the OIDC token as malformed or wrongly signed (${reason}). Check that the token comes from the platform's OIDC issuer for audience '${ctx.audience}'.`;
    case 500011:
      return `Tenant ${q(ctx.tenantId)} does not know the resource '${resource}' (AADSTS500011). ${
        resource.startsWith('https://') ? `Check input '${Input.azureEnvironment}' (${ctx.environment}).` : 'The cluster must use AKS-managed Entra ID integration for this resource id.'
      }`;
    case 7000112:
      return `Application ${q(ctx.clientId)} is disabled in tenant ${q(ctx.tenantId)} (AADSTS7000112): enable its service principal.`;
    default:
      return `Entra ID refused to sign in application ${q(ctx.clientId)} in tenant ${q(ctx.tenantId)} for '${resource}': ${reason}`;
  }
}

/** Maps whatever ClientAssertionCredential threw to an AuthError that says what to fix. */
export function describeEntraFailure(error: unknown, ctx: EntraFailureContext): AuthError {
  if (error instanceof AuthError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const code = aadstsCode(text);
  if (code === undefined && /endpoints_resolution_error/.test(text)) {
    // MSAL reads /{tenant}/v2.0/.well-known/openid-configuration first and drops Entra's AADSTS90002
    // reply; that document is missing when the tenant does not exist in this cloud.
    return new AuthError(
      `Tenant ${q(ctx.tenantId)} could not be resolved at ${ctx.authorityHost}: Entra ID has no OpenID configuration for it (or the host is unreachable). ` +
        `Check input '${Input.tenantId}' (the Directory (tenant) ID) and '${Input.azureEnvironment}' (${ctx.environment}): a tenant exists only in its own cloud.`,
      { cause: error },
    );
  }
  if (code === undefined) {
    return new AuthError(
      `Could not get an Entra ID token from ${ctx.authorityHost} for tenant ${q(ctx.tenantId)}: ${text.split('\n')[0] ?? text}. ` +
        `Check that the runner can reach ${ctx.authorityHost}.`,
      { cause: error },
    );
  }
  return new AuthError(messageFor(code, ctx, entraReason(text)), { cause: error });
}

/** The platform could not give us an OIDC token (GitHub: missing `permissions: id-token: write`). */
export function describeTokenSourceFailure(error: unknown, audience: string): AuthError {
  if (error instanceof AuthError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new AuthError(
    `Could not get the workflow's OIDC token for audience '${audience}': ${text}. On GitHub the job needs 'permissions: id-token: write'; on Azure DevOps a workload identity federation service connection.`,
    { cause: error },
  );
}
