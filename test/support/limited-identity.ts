/**
 * A ServiceAccount bound to a Role, and a kubeconfig that signs in as it with a token from the
 * TokenRequest API: an identity that can do exactly what its Role allows, as a real cluster enforces it.
 */
import { CoreV1Api, KubeConfig, type V1Role } from '@kubernetes/client-node';
import { bindRole } from './cluster-identities.js';

export async function limitedKubeConfig(admin: KubeConfig, namespace: string, name: string, role: V1Role): Promise<KubeConfig> {
  const core = admin.makeApiClient(CoreV1Api);
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  await bindRole(admin, namespace, name, role, { kind: 'ServiceAccount', name, namespace });
  const token = await core.createNamespacedServiceAccountToken({ namespace, name, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const cluster = admin.getCurrentCluster();
  if (!cluster || !token.status?.token) throw new Error('no cluster or token');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name, token: token.status.token }],
    contexts: [{ name, cluster: cluster.name, user: name, namespace }],
    currentContext: name,
  });
  return kc;
}
