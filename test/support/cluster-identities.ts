/**
 * Who may do what on the local control plane: a Role bound to a subject (an Entra object id, as
 * AKS takes the username from `oid`, or a ServiceAccount), and the local API server registered in
 * the ARM fake as an AKS cluster.
 */
import { RbacAuthorizationV1Api, type KubeConfig, type RbacV1Subject, type V1Role } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { connectIdentityProviders, type IdentityProvidersInfo, type IdentityWorld } from '../fakes/identity-providers.js';
import type { GitHubJob } from '../fakes/github-oidc.js';

/** A Role named `name` with `role`'s rules, bound to `subject` in `namespace`. */
export async function bindRole(admin: KubeConfig, namespace: string, name: string, role: V1Role, subject: RbacV1Subject): Promise<void> {
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({ namespace, body: { ...role, metadata: { ...role.metadata, name } } });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [subject] },
  });
}

/** The subject for an Entra identity: AKS (and this API server) takes the username from `oid`. */
export function entraUser(objectId: string): RbacV1Subject {
  return { kind: 'User', name: objectId, apiGroup: 'rbac.authorization.k8s.io' };
}

/** The local API server as an AKS cluster's `server` and CA, for the ARM fake's addCluster. */
export function localApiServer(admin: KubeConfig): { server: string; caPem: string } {
  const cluster = admin.getCurrentCluster();
  return { server: cluster?.server ?? '', caPem: Buffer.from(cluster?.caData ?? '', 'base64').toString('utf8') };
}

/** The Entra, ARM and GitHub fakes the integration global setup started (the control plane trusts their issuer). */
export function sharedIdentityWorld(): IdentityWorld {
  const shared = inject('identityProviders');
  if (!shared) throw new Error('the integration global setup provides the identity world the control plane trusts');
  return connectIdentityProviders(shared);
}

/**
 * The environment a GitHub runner gives an OIDC step, aimed at the fakes: the ID-token request
 * URL and token of `job`, NODE_EXTRA_CA_CERTS for the fakes' CA (read only at process start), and
 * the endpoint overrides the entry reads.
 */
export function oidcRunnerEnv(job: Pick<GitHubJob, 'requestUrl' | 'requestToken'>, info: IdentityProvidersInfo): Record<string, string> {
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: job.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: job.requestToken,
    NODE_EXTRA_CA_CERTS: info.caPemPath,
    POLYSYNC_AZURE_AUTHORITY_HOST: info.authorityHost,
    POLYSYNC_ARM_ENDPOINT: info.armEndpoint,
  };
}
