/**
 * Azure Workload Identity's federated token: the projected service-account token the webhook mounts
 * and names in AZURE_FEDERATED_TOKEN_FILE (its path differs between webhook versions, so it is never
 * hard-coded). It plugs into createFederatedCredential exactly where the platform's OIDC token does.
 *
 * Not @azure/identity's WorkloadIdentityCredential: it is the same ClientAssertionCredential with a
 * file callback, but that callback keeps the file's content for 5 minutes (readFileContents in
 * 4.14.1 workloadIdentityCredential.js), and a kubelet-rotated token would be missed meanwhile; it
 * would also bypass the per-scope cache and the AADSTS explanations of credential.ts. Here the file
 * is read again for every Entra token request: createFederatedCredential asks only when one is due.
 */
import { readFile } from 'node:fs/promises';
import { AuthError } from '../core/errors.js';
import type { FederatedTokenSource } from './federated-token.js';

export function workloadIdentityTokenSource(tokenFile: string): FederatedTokenSource {
  return async () => {
    let token: string;
    try {
      token = (await readFile(tokenFile, 'utf8')).trim();
    } catch (error) {
      throw new AuthError(
        `Could not read the workload identity token AZURE_FEDERATED_TOKEN_FILE=${tokenFile}: ${error instanceof Error ? error.message : String(error)}. ` +
          'The Azure Workload Identity webhook mounts it in pods labelled azure.workload.identity/use: "true".',
        { cause: error },
      );
    }
    if (token === '') throw new AuthError(`The workload identity token file AZURE_FEDERATED_TOKEN_FILE=${tokenFile} is empty.`);
    return token;
  };
}
