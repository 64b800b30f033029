/**
 * The bundled Azure DevOps task (azure-devops/run-aks-job/dist), started as the agent starts it
 * (test/support/azure-devops-agent.ts), against the local control plane and HTTPS fakes of Azure
 * DevOps' OIDC token service, Entra ID and ARM on 127.0.0.1. Assertions read what the agent reads:
 * the ##vso commands on stdout (task.complete, output variables, task variables, issues) and the
 * cluster's state.
 *
 * Most Azure scenarios use fakes of this file and ARM's local-account kubeconfig shape (a token of a
 * ServiceAccount bound to the README's Role). The Entra-cluster scenario uses the global setup's
 * identity world instead (identity-providers.ts), whose Entra fake the control plane trusts as AKS
 * trusts Entra ID: Azure DevOps OIDC → Entra ID → ARM's exec-kubelogin kubeconfig, replaced by the
 * task's own AKS-token user → the API server authenticates the app's oid, bound to the README's Role.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArm, ROLE, clusterResourceId, type ArmFake } from '../fakes/arm.js';
import { startAzureDevOpsOidc, type AzureDevOpsJob, type AzureDevOpsOidcFake } from '../fakes/azure-devops-oidc.js';
import { startEntra, type EntraFake } from '../fakes/entra.js';
import { createTestCa } from '../fakes/test-ca.js';
import { startTask, type ServiceEndpoint, type TaskRun } from '../support/azure-devops-agent.js';
import { startApiProxy } from '../support/api-proxy.js';
import { adminKubeConfig, createTestNamespace, jobsFromSource, podsOfJob, waitFor } from '../support/cluster.js';
import { limitedKubeConfig } from '../support/limited-identity.js';
import { readmeRole } from '../support/readme-role.js';
import { sourceCronJob, sourceJob } from '../support/sources.js';
import { bindRole, entraUser, localApiServer, sharedIdentityWorld } from '../support/cluster-identities.js';

const ca = createTestCa('azure devops test CA');
const caFile = ca.writeCertFile();
const tenantId = randomUUID();
let ado: AzureDevOpsOidcFake;
let entra: EntraFake;
let arm: ArmFake;
let admin: KubeConfig;
let batch: BatchV1Api;
let ns: string;
/** The README Role's ServiceAccount: what a Kubernetes service connection would hold. */
let limited: KubeConfig;
/** The pipeline job every task run belongs to (SYSTEM_* variables, System.AccessToken). */
let pipelineJob: AzureDevOpsJob;

beforeAll(async () => {
  ado = await startAzureDevOpsOidc(ca);
  entra = await startEntra(ca, [tenantId]);
  arm = await startArm(ca, entra.authorityHost);
  admin = adminKubeConfig();
  batch = admin.makeApiClient(BatchV1Api);
  ns = await createTestNamespace('azdo');
  limited = await limitedKubeConfig(admin, ns, 'azdo-task', readmeRole());
  pipelineJob = ado.addJob({ organization: 'contoso', project: 'data', serviceConnections: [] });
});
afterAll(async () => {
  await Promise.all([ado?.close(), entra?.close(), arm?.close()]);
  caFile.remove();
});

const SC_K8S = 'b3c5a1f0-4d7e-4c55-9a0e-7d1f2e3a4b01';
const runsOf = (source: string) => jobsFromSource(admin, ns, source);
const podsOf = (uid: string) => podsOfJob(admin, ns, uid);

/** A Kubernetes service connection (authorization type Kubeconfig) for the README Role's identity. */
function kubernetesConnection(kubeConfig: KubeConfig = limited): ServiceEndpoint {
  return { id: SC_K8S, url: kubeConfig.getCurrentCluster()?.server ?? '', scheme: 'Kubernetes', authParameters: { kubeconfig: kubeConfig.exportConfig() }, data: { authorizationType: 'Kubeconfig' } };
}

function viaKubernetesConnection(inputs: Record<string, string>, kubeConfig?: KubeConfig) {
  return {
    job: pipelineJob,
    inputs: { connectionType: 'kubernetesServiceConnection', kubernetesServiceConnection: SC_K8S, namespace: ns, ...inputs },
    endpoints: [kubernetesConnection(kubeConfig)],
    onLine: process.env.ECHO_TASK_LOG === '1' ? (l: string) => console.log(l) : undefined,
  };
}

const log = (run: TaskRun): string => run.log.join('\n');

describe('with a Kubernetes service connection', () => {
  it('runs a CronJob with params: Succeeded, output variables, logs in groups, a summary, and a post-job step with nothing to do', async () => {
    await batch.createNamespacedCronJob({
      namespace: ns,
      body: sourceCronJob('nightly-etl', { env: { RUN_DATE: 'yesterday', DRY_RUN: 'true', SIM_TERMINATION_MESSAGE: '{"rows":1234}' } }),
    });
    const main = await startTask({ step: 'main', ...viaKubernetesConnection({ cronJob: 'nightly-etl', params: '{"RUN_DATE":"2026-11-21","DRY_RUN":false}' }) }).done;

    expect(main.result).toBe('Succeeded');
    expect(main.outputs).toMatchObject({ status: 'Success', result: '{"rows":1234}', succeeded: '1', runId: expect.stringMatching(/^nightly-etl-[a-z0-9]{5}$/) as string });
    expect(main.taskVariables).toMatchObject({ polysyncJobNamespace: ns, polysyncJobName: main.outputs['runId'], polysyncJobFinished: 'true' });
    expect(main.log).toContain('RUN_DATE=2026-11-21');
    expect(main.log).toContain('DRY_RUN=false');
    expect(main.log.filter((l) => l.startsWith('##[group]')).map((l) => l.replace(/ .*/, ''))).toEqual(['##[group]Connect', '##[group]Prepare', '##[group]Submit', '##[group]Follow', '##[group]Report']);
    expect(main.log.filter((l) => l === '##[endgroup]')).toHaveLength(5);
    const [summary] = main.commands.filter((c) => c.command === 'task.uploadsummary');
    expect(readFileSync(summary?.message ?? '', 'utf8')).toContain(`\`${main.outputs['runId']}\``);
    // The kubeconfig's token was masked before anything could print it.
    expect(main.secrets).toContain(limited.getCurrentUser()?.token);
    const [job] = await runsOf('nightly-etl');
    expect(job?.metadata?.annotations?.['polysync.dev/run-url']).toMatch(/\/_build\/results\?buildId=\d+$/);

    const post = await startTask({ step: 'post', ...viaKubernetesConnection({ cronJob: 'nightly-etl' }), taskVariables: main.taskVariables }).done;
    expect(post.result).toBe('Succeeded');
    expect(log(post)).toMatch(/The main step saw jobs\/\S+ to its end: nothing to clean up/);
    expect(await runsOf('nightly-etl')).toHaveLength(1);
  });

  it('fails the task when the Job fails, with the reason, the exit code and the last log lines', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('crashes', { env: { SIM_EXIT_CODE: '3', SIM_LOG: 'connecting to db|db refused connection' } }) });
    const run = await startTask({ step: 'main', ...viaKubernetesConnection({ job: 'crashes' }) }).done;
    expect(run.result).toBe('Failed');
    expect(run.outputs).toMatchObject({ status: 'Failed', reason: 'BackoffLimitExceeded', exitCode: '3' });
    const [error] = run.issues.filter((i) => i.type === 'error');
    expect(error?.message).toContain(`jobs/${ns}/${run.outputs['runId']}`);
    expect(error?.message).toContain('BackoffLimitExceeded');
    expect(error?.message).toContain('db refused connection');
  });

  it('is Canceled when the agent cancels it, in a task.complete the agent accepts, and deletes the Job and its pods', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('long-etl', { env: { SIM_DURATION: '300s' } }) });
    const task = startTask({ step: 'main', ...viaKubernetesConnection({ job: 'long-etl' }) });
    await waitFor(async () => (await runsOf('long-etl')).some((j) => (j.status?.active ?? 0) > 0), { timeoutMs: 60_000, what: 'the Job to run' });
    const [job] = await runsOf('long-etl');
    const run = await task.cancel();

    expect(run.rejected).toEqual([]);
    expect(run.commands.filter((c) => c.command === 'task.complete')).toEqual([
      { command: 'task.complete', properties: { result: 'Canceled' }, message: expect.stringMatching(/ended Cancelled \(PipelineCancelled\)\. The pipeline was cancelled \(SIGINT\); jobs\/\S+ was deleted\./) as string },
    ]);
    expect(run.result).toBe('Canceled');
    expect(run.issues.filter((i) => i.type === 'error')).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'Cancelled', reason: 'PipelineCancelled' });
    expect(log(run)).not.toMatch(/workflow|runner/i);
    await waitFor(async () => (await runsOf('long-etl')).length === 0 && (await podsOf(job?.metadata?.uid ?? '')).length === 0, { timeoutMs: 60_000, what: 'no Job and no pods' });

    const post = await startTask({ step: 'post', ...viaKubernetesConnection({ job: 'long-etl' }), taskVariables: run.taskVariables }).done;
    expect(post.result).toBe('Succeeded');
  });

  it('keeps trying the delete within the agent\'s grace period when the API server is briefly unreachable on cancel', async () => {
    const proxy = await startApiProxy(limited);
    try {
      await batch.createNamespacedJob({ namespace: ns, body: sourceJob('outage-etl', { env: { SIM_DURATION: '300s' } }) });
      const task = startTask({ step: 'main', ...viaKubernetesConnection({ job: 'outage-etl' }, proxy.kubeConfig) });
      await waitFor(async () => (await runsOf('outage-etl')).some((j) => (j.status?.active ?? 0) > 0), { timeoutMs: 60_000, what: 'the Job to run' });
      proxy.unreachableFor(3000);
      const run = await task.cancel();

      expect(proxy.dropped.some((r) => r.startsWith('DELETE /apis/batch/v1/namespaces/'))).toBe(true);
      expect(run.rejected).toEqual([]);
      expect(run.result).toBe('Canceled');
      expect(run.resultMessage).toMatch(/ended Cancelled \(PipelineCancelled\)\. The pipeline was cancelled \(SIGINT\); jobs\/\S+ was deleted\./);
      expect(log(run)).toMatch(/Delete of jobs\/\S+ failed \(.*\); retrying in \d+ ms\./);
      // Deleted by the main step itself: the post-job step has nothing left to do.
      expect(run.taskVariables).toMatchObject({ polysyncJobFinished: 'true' });
      await waitFor(async () => (await runsOf('outage-etl')).length === 0, { timeoutMs: 30_000, what: 'the Job to be deleted' });
    } finally {
      await proxy.close();
    }
  });

  it('fails on the task timeout (Failed, not Cancelled) and deletes the Job', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('slow-report', { env: { SIM_DURATION: '300s' } }) });
    const run = await startTask({ step: 'main', ...viaKubernetesConnection({ job: 'slow-report', timeout: '5s' }) }).done;
    expect(run.result).toBe('Failed');
    expect(run.outputs).toMatchObject({ status: 'Cancelled', reason: 'Timeout' });
    await waitFor(async () => (await runsOf('slow-report')).length === 0, { timeoutMs: 30_000, what: 'the Job to be deleted' });
  });

  it('leaves an unfinished Job to the post-job step when the agent kills the task, which deletes it with a warning', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('orphan', { env: { SIM_DURATION: '300s' } }) });
    const task = startTask({ step: 'main', ...viaKubernetesConnection({ job: 'orphan' }) });
    await waitFor(async () => (await runsOf('orphan')).length === 1, { timeoutMs: 60_000, what: 'the Job' });
    task.child.kill('SIGKILL');
    const saved = { ...(await task.done).taskVariables };
    expect(saved).toMatchObject({ polysyncJobNamespace: ns, polysyncJobName: expect.stringMatching(/^orphan-/) as string });
    expect(saved).not.toHaveProperty('polysyncJobFinished');

    const post = await startTask({ step: 'post', ...viaKubernetesConnection({ job: 'orphan' }), taskVariables: saved }).done;
    expect(post.result).toBe('SucceededWithIssues');
    expect(post.issues).toEqual([{ type: 'warning', message: expect.stringMatching(/^Unfinished Job deleted: Deleted jobs\/.*\/orphan-/) as string }]);
    await waitFor(async () => (await runsOf('orphan')).length === 0, { timeoutMs: 30_000, what: 'the Job to be deleted' });
  });

  it('reports bad inputs with the task\'s names and creates nothing', async () => {
    const run = await startTask({ step: 'main', ...viaKubernetesConnection({ job: 'a', cronJob: 'b', allowNewParams: 'yes' }) }).done;
    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toMatch(/Inputs 'job' and 'cronJob' exclude each other/);
    expect(run.resultMessage).toMatch(/Input 'allowNewParams' must be 'true' or 'false'; got 'yes'/);
  });
});

interface AzureScenario {
  readonly job: AzureDevOpsJob;
  readonly connection: ServiceEndpoint;
  readonly objectId: string;
  readonly subscriptionId: string;
}

/**
 * One Azure DevOps job with a WIF service connection, an Entra app trusting it (or a wrong subject),
 * a role assignment and a local-account cluster in ARM on the control plane.
 */
async function azureScenario(o: { registeredSubject?: string; connectionName?: string } = {}): Promise<AzureScenario> {
  const name = o.connectionName ?? 'aks-jobs';
  const job = ado.addJob({ organization: 'contoso', project: 'data', serviceConnections: [{ name }] });
  const app = entra.registerApp({ tenantId, federatedCredentials: [{ issuer: job.issuer, subject: o.registeredSubject ?? job.subjectFor(name) }] });
  const subscriptionId = randomUUID();
  const server = limited.getCurrentCluster()?.server ?? '';
  const caPem = Buffer.from(limited.getCurrentCluster()?.caData ?? '', 'base64').toString('utf8');
  arm.addCluster({
    subscriptionId, resourceGroup: 'rg-data', name: 'aks-data', tenantId, server, entra: false, caPem,
    localUser: { token: limited.getCurrentUser()?.token ?? '' },
  });
  arm.assignRole({ principalId: app.objectId, role: ROLE.clusterUser, scope: clusterResourceId(subscriptionId, 'rg-data', 'aks-data') });
  const connection: ServiceEndpoint = {
    id: job.serviceConnectionIds[name] ?? '',
    url: `${arm.url}/`,
    scheme: 'WorkloadIdentityFederation',
    authParameters: { tenantid: tenantId, serviceprincipalid: app.clientId, workloadIdentityFederationSubject: job.subjectFor(name), workloadIdentityFederationIssuer: job.issuer },
    data: { subscriptionId, subscriptionName: 'Data', environment: 'AzureCloud', scopeLevel: 'Subscription', activeDirectoryAuthority: `${entra.authorityHost}/`, creationMode: 'Manual' },
  };
  return { job, connection, objectId: app.objectId, subscriptionId };
}

function viaAzure(s: AzureScenario, inputs: Record<string, string>) {
  return {
    job: s.job,
    endpoints: [s.connection],
    env: { NODE_EXTRA_CA_CERTS: caFile.path },
    inputs: { connectionType: 'azureResourceManager', azureSubscription: s.connection.id, azureResourceGroup: 'rg-data', kubernetesCluster: 'aks-data', namespace: ns, ...inputs },
  };
}

describe('with an Azure Resource Manager service connection (workload identity federation)', () => {
  it('signs in with Azure DevOps OIDC → Entra ID → ARM and runs the Job: Succeeded, with monitorUrl', async () => {
    const s = await azureScenario();
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('wif-report', { env: { REPORT: 'daily', SIM_TERMINATION_MESSAGE: 'ok' } }) });
    const run = await startTask({ step: 'main', ...viaAzure(s, { job: 'wif-report', params: '{"REPORT":"weekly"}' }) }).done;

    expect(run.stderr).toBe('');
    expect(run.result).toBe('Succeeded');
    expect(run.outputs).toMatchObject({ status: 'Success', result: 'ok' });
    expect(run.outputs['monitorUrl']).toBe(`https://portal.azure.com/#resource${clusterResourceId(s.subscriptionId, 'rg-data', 'aks-data')}/workloads`);
    expect(run.log).toContain('REPORT=weekly');
    const issued = ado.stats(s.job.accessToken).issued;
    expect(issued.length).toBeGreaterThanOrEqual(1);
    expect(issued.every((t) => t.serviceConnectionId === s.connection.id)).toBe(true);
    // Every token the task handled was masked.
    for (const t of issued) expect(run.secrets).toContain(t.token);
    // ...and appears on stdout only in the ##vso[task.setsecret] that masks it.
    expect(run.stdout.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]')).join('\n')).not.toContain(issued[0]?.token);
  });

  it('runs a Job end to end on an Entra cluster (the local control plane), signed in as the app through workload identity federation', async () => {
    const world = sharedIdentityWorld();
    const { info } = world;
    const job = await world.addAzureDevOpsJob({ organization: 'contoso', project: 'data', serviceConnections: [{ name: 'aks-entra' }] });
    const app = await world.registerApp({ tenantId: info.tenantId, federatedCredentials: [{ issuer: job.issuer, subject: job.subjectFor('aks-entra') }] });
    const subscriptionId = randomUUID();
    await world.addCluster({ subscriptionId, resourceGroup: 'rg-data', name: 'aks-entra', tenantId: info.tenantId, entra: true, ...localApiServer(admin) });
    await world.assignRole({ principalId: app.objectId, role: ROLE.clusterUser, scope: clusterResourceId(subscriptionId, 'rg-data', 'aks-entra') });
    // The README's Role, bound to the app's object id: the username AKS (and this API server) takes from `oid`.
    await bindRole(admin, ns, `azdo-entra-${app.objectId.slice(0, 8)}`, readmeRole(), entraUser(app.objectId));
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('entra-report', { env: { REPORT: 'daily', SIM_TERMINATION_MESSAGE: 'ok' } }) });
    const connectionId = job.serviceConnectionIds['aks-entra'] ?? '';
    const connection: ServiceEndpoint = {
      id: connectionId,
      url: `${info.armEndpoint}/`,
      scheme: 'WorkloadIdentityFederation',
      authParameters: { tenantid: info.tenantId, serviceprincipalid: app.clientId, workloadIdentityFederationSubject: job.subjectFor('aks-entra'), workloadIdentityFederationIssuer: job.issuer },
      data: { subscriptionId, subscriptionName: 'Data', environment: 'AzureCloud', scopeLevel: 'Subscription', activeDirectoryAuthority: `${info.authorityHost}/`, creationMode: 'Manual' },
    };

    const run = await startTask({
      step: 'main',
      job,
      endpoints: [connection],
      env: { NODE_EXTRA_CA_CERTS: info.caPemPath },
      inputs: { connectionType: 'azureResourceManager', azureSubscription: connectionId, azureResourceGroup: 'rg-data', kubernetesCluster: 'aks-entra', namespace: ns, job: 'entra-report', params: '{"REPORT":"weekly"}' },
    }).done;

    expect(run.rejected).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.result).toBe('Succeeded');
    expect(run.outputs).toMatchObject({ status: 'Success', result: 'ok' });
    expect(run.log).toContain('REPORT=weekly');
    // Created by the app's identity: the run had no credential but the AKS token Entra issued for
    // it, and only the app's oid is bound to a Role here besides the Kubernetes connection's account.
    const [created] = await runsOf('entra-report');
    expect(created?.metadata?.name).toBe(run.outputs['runId']);
    const issued = (await world.azureDevOpsStats(job.accessToken)).issued;
    expect(issued.length).toBeGreaterThanOrEqual(1);
    expect(issued.every((t) => t.serviceConnectionId === connectionId)).toBe(true);
    expect((await world.entraStats(app.clientId)).issuedTokens.length).toBeGreaterThanOrEqual(1);
    for (const t of issued) expect(run.secrets).toContain(t.token);
  });

  it('says which subject to add when the federated credential does not match the service connection', async () => {
    const s = await azureScenario({ registeredSubject: 'sc://contoso/data/other-connection' });
    const run = await startTask({ step: 'main', ...viaAzure(s, { job: 'never-runs' }) }).done;
    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toContain("subject 'sc://contoso/data/aks-jobs'");
    expect(run.resultMessage).toContain(`issuer '${s.job.issuer}'`);
    expect(await runsOf('never-runs')).toHaveLength(0);
  });

  it('refuses a service connection that does not use workload identity federation, before anything else', async () => {
    const s = await azureScenario();
    const secret: ServiceEndpoint = { ...s.connection, scheme: 'ServicePrincipal', authParameters: { ...s.connection.authParameters, serviceprincipalkey: 'p@ss' } };
    const run = await startTask({ step: 'main', ...viaAzure(s, { job: 'never-runs' }), endpoints: [secret] }).done;
    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toMatch(/^Service connection '.*' \(input 'azureSubscription'\) authenticates with a client secret or certificate \(scheme ServicePrincipal\); this task signs in only with workload identity federation/);
    expect(ado.stats(s.job.accessToken).issued).toHaveLength(0);
  });

  it('explains a service connection Azure DevOps will not issue a token for', async () => {
    const s = await azureScenario();
    const unknown: ServiceEndpoint = { ...s.connection, id: randomUUID() };
    const run = await startTask({ step: 'main', ...viaAzure(s, { job: 'never-runs', azureSubscription: unknown.id }), endpoints: [unknown] }).done;
    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toContain(`Azure DevOps did not issue an OIDC token for service connection '${unknown.id}' (HTTP 404: Service connection with id`);
    expect(ado.stats(s.job.accessToken).refused).toEqual([404]);
  });
});
