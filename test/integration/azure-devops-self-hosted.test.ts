/**
 * The Azure DevOps task on a self-hosted agent, its bundle (dist/) started as the agent starts it
 * (test/support/azure-devops-agent.ts), with no service connection: `connectionType: inCluster` as
 * the agent pod's service account (laid out as kubelet does, test/support/service-account-dir.ts),
 * and `connectionType: managedIdentity` as the agent VM's identity through the IMDS fake
 * (POLYSYNC_IMDS_ENDPOINT), the global setup's Entra and ARM fakes, and the local control plane that
 * trusts that Entra as AKS trusts Entra ID.
 */
import { randomUUID } from 'node:crypto';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { beforeAll, expect, it } from 'vitest';
import { ROLE, clusterResourceId } from '../fakes/arm.js';
import { type IdentityWorld } from '../fakes/identity-providers.js';
import { startTask, type TaskRun } from '../support/azure-devops-agent.js';
import { adminKubeConfig, createTestNamespace, jobsFromSource } from '../support/cluster.js';
import { limitedKubeConfig } from '../support/limited-identity.js';
import { readmeRole } from '../support/readme-role.js';
import { podEnv, serviceAccountDir, serviceAccountToken } from '../support/service-account-dir.js';
import { sourceCronJob, sourceJob } from '../support/sources.js';
import { bindRole, entraUser, localApiServer, sharedIdentityWorld } from '../support/cluster-identities.js';

let admin: KubeConfig;
let ns: string;

beforeAll(async () => {
  admin = adminKubeConfig();
  ns = await createTestNamespace('azdo-agent');
});

const log = (run: TaskRun): string => run.log.join('\n');
/** As if the main step had stopped watching: the post-job step must sign in to look at the Job. */
const unfinished = (run: TaskRun): Record<string, string> => ({ ...run.taskVariables, polysyncJobFinished: 'false' });
const echo = process.env.ECHO_TASK_LOG === '1' ? (l: string) => console.log(l) : undefined;

it("inCluster: runs a CronJob as the agent pod's service account with the README Role, and the post-job step signs in the same way", async () => {
  await admin.makeApiClient(BatchV1Api).createNamespacedCronJob({ namespace: ns, body: sourceCronJob('etl', { env: { SIM_LOG: 'hello from the agent pod' } }) });
  await limitedKubeConfig(admin, ns, 'agent', readmeRole());
  const token = await serviceAccountToken(admin, ns, 'agent');
  const sa = serviceAccountDir(admin, ns, token);
  try {
    const inputs = { connectionType: 'inCluster', cronJob: 'etl', namespace: ns };
    const env = { ...podEnv(admin, sa.dir) };
    const main = await startTask({ step: 'main', inputs, env, onLine: echo }).done;
    expect(main.issues.filter((i) => i.type === 'error')).toEqual([]);
    expect(main.result).toBe('Succeeded');
    expect(main.outputs).toMatchObject({ status: 'Success', runId: expect.stringMatching(/^etl-[a-z0-9]{5}$/) as string });
    expect(main.log).toContain('hello from the agent pod');
    expect(main.log).toContain(`API server https://127.0.0.1:${env.KUBERNETES_SERVICE_PORT}: as the agent pod's service account (${sa.dir}/token); connectionType inCluster.`);
    expect(main.secrets).toContain(token);
    expect(await jobsFromSource(admin, ns, 'etl')).toHaveLength(1);

    const post = await startTask({ step: 'post', inputs, env, taskVariables: unfinished(main) }).done;
    expect(post.result).toBe('Succeeded');
    expect(log(post)).toMatch(/jobs\/\S+ already finished \(Success\): left in place for its TTL\./);
  } finally {
    sa.remove();
  }
}, 120_000);

it('inCluster outside a pod: fails before connecting, naming what the agent lacks in the task\'s terms', async () => {
  const run = await startTask({ step: 'main', inputs: { connectionType: 'inCluster', job: 'x', namespace: ns }, env: { POLYSYNC_SERVICEACCOUNT_DIR: '/nonexistent' } }).done;
  expect(run.result).toBe('Failed');
  expect(run.issues.filter((i) => i.type === 'error').map((i) => i.message)).toEqual([
    expect.stringMatching(/^'connectionType: inCluster' needs variable KUBERNETES_SERVICE_HOST, variable KUBERNETES_SERVICE_PORT and a service-account token at \/nonexistent\/token\./) as string,
  ]);
});

it("managedIdentity: runs a Job as the agent VM's user-assigned identity through IMDS, with a portal link, and the post-job step signs in the same way", async () => {
  const world = sharedIdentityWorld();
  const app = await world.registerApp({ tenantId: world.info.tenantId, federatedCredentials: [] });
  const vm = await world.addVm({ userAssigned: [app.clientId] });
  const subscriptionId = await aksFor(world, app.objectId);
  await admin.makeApiClient(BatchV1Api).createNamespacedJob({ namespace: ns, body: sourceJob('mi-job', { env: { SIM_LOG: 'hello from the agent VM' } }) });

  const inputs = {
    connectionType: 'managedIdentity', job: 'mi-job', namespace: ns,
    azureSubscriptionId: subscriptionId, azureResourceGroup: 'rg', kubernetesCluster: 'aks', managedIdentityClientId: app.clientId,
  };
  const env = { NODE_EXTRA_CA_CERTS: world.info.caPemPath, POLYSYNC_IMDS_ENDPOINT: vm.endpoint, POLYSYNC_ARM_ENDPOINT: world.info.armEndpoint };
  const main = await startTask({ step: 'main', inputs, env, onLine: echo }).done;
  expect(main.issues.filter((i) => i.type === 'error')).toEqual([]);
  expect(main.result).toBe('Succeeded');
  expect(main.outputs).toMatchObject({ status: 'Success', monitorUrl: expect.stringContaining(`/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks`) as string });
  expect(main.log).toContain('hello from the agent VM');
  expect(log(main)).toContain(`: AKS cluster aks (resource group rg), signed in as application ${app.clientId} through the VM's managed identity (IMDS); connectionType managedIdentity.`);
  const served = await world.imdsRequests(vm.vmId);
  expect(served.length).toBeGreaterThan(0);
  expect(served.every((r) => r.status === 200 && r.metadataHeader === 'true' && r.clientId === app.clientId)).toBe(true);
  for (const token of (await world.entraStats(app.clientId)).issuedTokens) expect(main.secrets).toContain(token);

  const post = await startTask({ step: 'post', inputs, env, taskVariables: unfinished(main) }).done;
  expect(post.result).toBe('Succeeded');
  expect(log(post)).toMatch(/jobs\/\S+ already finished \(Success\): left in place for its TTL\./);
}, 120_000);

/** As azure-identities-cluster.test.ts: an AKS cluster in ARM that is the local API server, the identity allowed to list its credentials and bound to the README Role. */
async function aksFor(world: IdentityWorld, objectId: string): Promise<string> {
  const subscriptionId = randomUUID();
  await world.addCluster({ subscriptionId, resourceGroup: 'rg', name: 'aks', ...localApiServer(admin), entra: true, tenantId: world.info.tenantId });
  await world.assignRole({ principalId: objectId, role: ROLE.clusterUser, scope: clusterResourceId(subscriptionId, 'rg', 'aks') });
  await bindRole(admin, ns, `polysync-${objectId.slice(0, 8)}`, readmeRole(), entraUser(objectId));
  return subscriptionId;
}
