// throwaway experiment (not committed): Entra fake ↔ real API server JWT authenticator
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { BatchV1Api, KubeConfig, RbacAuthorizationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { startIdentityProviders, controlPlaneJwtArgs } from './test/fakes/identity-providers.ts';
import { gitHubTokenSource } from './test/fakes/github-oidc.ts';
import { ROLE, clusterResourceId } from './test/fakes/arm.ts';
import { signInToAks } from './src/azure/sign-in.ts';

const idp = await startIdentityProviders();
const dir = mkdtempSync(join(tmpdir(), 'azure-e2e-'));
const kubeconfigPath = join(dir, 'admin.kubeconfig');
const args = ['--kubeconfig', kubeconfigPath, ...controlPlaneJwtArgs(idp.info)];
console.log('localcluster', args.join(' '));
const child = spawn('/tmp/azure-e2e/localcluster', args, { stdio: ['ignore', 'inherit', 'inherit'] });
try {
  for (let i = 0; i < 240 && !existsSync(kubeconfigPath); i++) await new Promise((r) => setTimeout(r, 500));
  const admin = new KubeConfig(); admin.loadFromFile(kubeconfigPath);
  for (let i = 0; i < 120; i++) { try { await admin.makeApiClient(CoreV1Api).readNamespace({ name: 'default' }); break; } catch { await new Promise((r) => setTimeout(r, 500)); } }
  const cluster = admin.getCurrentCluster()!;
  const caPem = Buffer.from(cluster.caData!, 'base64').toString();
  const job = await idp.addGitHubJob({ repository: 'polysync/jobs' });
  const app = await idp.registerApp({ tenantId: idp.info.tenantId, federatedCredentials: [{ issuer: job.issuer, subject: job.subject }], tokenLifetimeSeconds: 20 });
  const sub = 'sub-e2e';
  await idp.addCluster({ subscriptionId: sub, resourceGroup: 'rg', name: 'aks', server: cluster.server, caPem, entra: true, tenantId: idp.info.tenantId });
  await idp.assignRole({ principalId: app.objectId, role: ROLE.clusterUser, scope: clusterResourceId(sub, 'rg', 'aks') });
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({ namespace: 'default', body: { metadata: { name: 'jobs-reader' }, rules: [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['list', 'get', 'watch'] }] } });
  await rbac.createNamespacedRoleBinding({ namespace: 'default', body: { metadata: { name: 'jobs-reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'jobs-reader' }, subjects: [{ kind: 'User', name: app.objectId, apiGroup: 'rbac.authorization.k8s.io' }] } });
  const { kubeConfig } = await signInToAks({ kind: 'azure', clientId: app.clientId, tenantId: idp.info.tenantId, subscriptionId: sub, resourceGroup: 'rg', clusterName: 'aks', environment: 'AzureCloud', admin: false, audience: 'api://AzureADTokenExchange' },
    gitHubTokenSource(job, idp.info.caPem), () => {}, { endpoints: { authorityHost: idp.info.authorityHost, resourceManager: idp.info.armEndpoint }, extraCaPem: idp.info.caPem });
  const list = await kubeConfig.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: 'default' });
  console.log('LIST OK items', list.items.length);
  try { await kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' }); console.log('UNEXPECTED pods ok'); }
  catch (e) { console.log('PODS forbidden as expected:', (e as { code?: number }).code, String((e as { body?: string }).body).slice(0, 200)); }
  console.log('github requests', (await idp.gitHubStats(job.requestToken)).requests);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  await idp.close();
}
