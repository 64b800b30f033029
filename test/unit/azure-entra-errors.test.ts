import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/core/errors.js';
import { aadstsCode, describeEntraFailure, describeTokenSourceFailure, type EntraFailureContext } from '../../src/azure/entra-errors.js';

const ctx: EntraFailureContext = {
  tenantId: 'tenant-1',
  clientId: 'client-1',
  audience: 'api://AzureADTokenExchange',
  authorityHost: 'https://login.microsoftonline.com',
  environment: 'AzureCloud',
  scope: 'https://management.azure.com/.default',
  federated: { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:o/r:environment:prod', audience: 'api://AzureADTokenExchange' },
};
const entra = (code: number): Error =>
  new Error(`AADSTS${code}: Text from Entra. Trace ID: 1 Correlation ID: 2 Timestamp: 2026-11-22 10:00:00Z`);
const fix =
  "Add a federated credential with subject 'repo:o/r:environment:prod' (exactly), issuer 'https://token.actions.githubusercontent.com' and audience 'api://AzureADTokenExchange': " +
  `az ad app federated-credential create --id client-1 --parameters '{"name":"polysync-aks","issuer":"https://token.actions.githubusercontent.com","subject":"repo:o/r:environment:prod","audiences":["api://AzureADTokenExchange"]}' ` +
  '(for a user-assigned managed identity: az identity federated-credential create --identity-name <identity> --resource-group <group> --name polysync-aks ' +
  "--issuer https://token.actions.githubusercontent.com --subject 'repo:o/r:environment:prod' --audiences api://AzureADTokenExchange).";
const noRecord = (code: number, what: string): string =>
  `No federated credential of application 'client-1' in tenant 'tenant-1' matches this run's OIDC token (AADSTS${code}): no record for ${what}. ${fix}`;

describe('describeEntraFailure', () => {
  it.each([
    [700213, noRecord(700213, "its subject 'repo:o/r:environment:prod'")],
    [70021, noRecord(70021, "its subject 'repo:o/r:environment:prod'")],
    [7002138, noRecord(7002138, "its subject 'repo:o/r:environment:prod', which differs from a registered one only in letter case (matching is case-sensitive)")],
    [700211, noRecord(700211, "its issuer 'https://token.actions.githubusercontent.com'")],
    [700212, noRecord(700212, "its audience 'api://AzureADTokenExchange' (input 'audience')")],
    [90002, "Tenant 'tenant-1' was not found at https://login.microsoftonline.com (AADSTS90002). Check input 'tenant-id' (the Directory (tenant) ID) and 'azure-environment' (AzureCloud): a tenant exists only in its own cloud."],
    [700016, "Application 'client-1' was not found in tenant 'tenant-1' (AADSTS700016). Check input 'client-id' (the Application (client) ID of the app registration, or the client ID of the user-assigned managed identity) and 'tenant-id'."],
    [700024, "Entra ID received an OIDC token outside its valid time range (AADSTS700024). The action asks for a new token each time Entra ID needs one, so check the runner's clock and that the token source returns fresh tokens (AADSTS700024: Text from Entra)."],
    [700027, "Entra ID rejected the OIDC token as malformed or wrongly signed (AADSTS700027: Text from Entra). Check that the token comes from the platform's OIDC issuer for audience 'api://AzureADTokenExchange'."],
    [500011, "Tenant 'tenant-1' does not know the resource 'https://management.azure.com' (AADSTS500011). Check input 'azure-environment' (AzureCloud)."],
    [7000112, "Application 'client-1' is disabled in tenant 'tenant-1' (AADSTS7000112): enable its service principal."],
    [50000, "Entra ID refused to sign in application 'client-1' in tenant 'tenant-1' for 'https://management.azure.com': AADSTS50000: Text from Entra"],
  ])('AADSTS%i', (code, message) => {
    const cause = entra(code);
    const error = describeEntraFailure(cause, ctx);
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(message);
    expect(error.cause).toBe(cause);
  });

  it('says which resource is unknown for the AKS server app', () => {
    expect(describeEntraFailure(entra(500011), { ...ctx, scope: '6dae42f8-4368-4678-94ff-3960e28e3630/.default' }).message).toBe(
      "Tenant 'tenant-1' does not know the resource '6dae42f8-4368-4678-94ff-3960e28e3630' (AADSTS500011). The cluster must use AKS-managed Entra ID integration for this resource id.",
    );
  });

  it('still names a subject when no federated token was decoded', () => {
    expect(describeEntraFailure(entra(700213), { ...ctx, federated: undefined }).message).toContain("no record for its subject 'unknown'");
  });

  it('reads an unresolvable tenant from MSAL\'s endpoints_resolution_error', () => {
    expect(describeEntraFailure(new Error('endpoints_resolution_error: See https://aka.ms/msal.js.errors#endpoints_resolution_error for details'), ctx).message).toBe(
      "Tenant 'tenant-1' could not be resolved at https://login.microsoftonline.com: Entra ID has no OpenID configuration for it (or the host is unreachable). Check input 'tenant-id' (the Directory (tenant) ID) and 'azure-environment' (AzureCloud): a tenant exists only in its own cloud.",
    );
  });

  it('reports a network failure without an AADSTS code', () => {
    expect(describeEntraFailure(new Error('connect ECONNREFUSED 1.2.3.4:443\nstack'), ctx).message).toBe(
      "Could not get an Entra ID token from https://login.microsoftonline.com for tenant 'tenant-1': connect ECONNREFUSED 1.2.3.4:443. Check that the runner can reach https://login.microsoftonline.com.",
    );
  });

  it('passes an AuthError through unchanged', () => {
    const already = new AuthError('already described');
    expect(describeEntraFailure(already, ctx)).toBe(already);
  });
});

describe('describeTokenSourceFailure', () => {
  it('names the permission the job needs', () => {
    expect(describeTokenSourceFailure(new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable'), 'api://AzureADTokenExchange').message).toBe(
      "Could not get the workflow's OIDC token for audience 'api://AzureADTokenExchange': Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable. On GitHub the job needs 'permissions: id-token: write'; on Azure DevOps a workload identity federation service connection.",
    );
  });
});

describe('aadstsCode', () => {
  it.each([
    ['AADSTS700213: No matching…', 700213],
    ['invalid_client: AADSTS7002138: …', 7002138],
    ['no code', undefined],
  ])('%s', (text, code) => {
    expect(aadstsCode(text)).toBe(code);
  });
});
