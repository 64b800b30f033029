/**
 * `secret-params` against the real control plane: the pod sees the values, the Job object and
 * the workflow log do not, the Secret goes with the Job (TTL, cancel), and a Secret create that
 * fails leaves neither a Job nor a Secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, jobsFromSource, waitFor } from '../support/cluster.js';
import { limitedKubeConfig } from '../support/limited-identity.js';
import { readmeRole, readmeRoleWith } from '../support/readme-role.js';
import { runAction } from '../support/run-action.js';
import { kubeconfigText, leaksOf, runStep, stagedAction } from '../support/runner-steps.js';
import { sourceJob } from '../support/sources.js';

const SECRET = 'hunter2-Sup3r-s3cret';
let kc: KubeConfig;
let batch: BatchV1Api;
let core: CoreV1Api;
let ns: string;
const action = stagedAction();

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  core = kc.makeApiClient(CoreV1Api);
  ns = await createTestNamespace('secret');
});
afterAll(() => action.dispose());

const secretGone = (name: string) => async (): Promise<boolean> => core.readNamespacedSecret({ namespace: ns, name }).then(() => false, () => true);

describe('secret-params', () => {
  it('reaches the pod by secretKeyRef, never the Job, the log, outputs or summary (as the runner runs the step)', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('migrate', { env: { DB_PASSWORD: 'placeholder', MODE: 'dry' } }) });
    const run = await runStep('main', {
      root: action.root,
      inputs: { job: 'migrate', namespace: ns, kubeconfig: kubeconfigText(), params: '{"MODE":"full"}', 'secret-params': `{"DB_PASSWORD":"${SECRET}"}`, 'ttl-seconds-after-finished': '' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`::add-mask::${SECRET}`);
    expect(leaksOf(run, SECRET)).toEqual([]);
    const runId = run.outputs['run-id'] ?? '';
    // The simulated container prints its resolved env: the pod saw the value; the step log shows it redacted.
    const [pod] = (await core.listNamespacedPod({ namespace: ns, labelSelector: `batch.kubernetes.io/job-name=${runId}` })).items;
    expect(await core.readNamespacedPodLog({ namespace: ns, name: pod?.metadata?.name ?? '' })).toContain(`DB_PASSWORD=${SECRET}`);
    expect(run.stdout).toContain('DB_PASSWORD=***');
    expect(run.stdout).toContain('MODE=full');
    const job = await batch.readNamespacedJob({ namespace: ns, name: runId });
    expect(JSON.stringify(job)).not.toContain(SECRET);
    expect(job.spec?.template.spec?.containers[0]?.env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${runId}-params`, key: 'DB_PASSWORD' } } });
    const secret = await core.readNamespacedSecret({ namespace: ns, name: `${runId}-params` });
    expect(secret.metadata?.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: runId, uid: job.metadata?.uid, controller: true }]);
    expect(Buffer.from(secret.data?.DB_PASSWORD ?? '', 'base64').toString()).toBe(SECRET);
  });

  it('prints no value in the dry-run YAML and creates no Secret', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('dry', { env: { TOKEN: '' } }) });
    const { reporter, error } = await runAction(kc, { job: 'dry', namespace: ns, 'dry-run': 'true', 'secret-params': `{"TOKEN":"${SECRET}"}` });
    expect(error).toBeUndefined();
    expect(reporter.text()).toContain('secretKeyRef');
    expect(reporter.text()).not.toContain(SECRET);
    expect(reporter.secrets).toContain(SECRET);
    expect((await core.listNamespacedSecret({ namespace: ns, labelSelector: 'app.kubernetes.io/managed-by=polysync-aks-action' })).items
      .map((s) => s.metadata?.name)).not.toContainEqual(expect.stringMatching(/^dry-/));
  });

  it('is deleted with the Job by its TTL', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('ttl', { env: { TOKEN: '' } }) });
    const { reporter, error } = await runAction(kc, { job: 'ttl', namespace: ns, 'secret-params': `{"TOKEN":"${SECRET}"}`, 'ttl-seconds-after-finished': '1' });
    expect(error).toBeUndefined();
    // A pod fast enough to beat the Secret waits a moment for it (the kubelet retries); the action
    // does not report that moment as a container that cannot start.
    expect(reporter.text()).not.toContain('CreateContainerConfigError');
    expect(reporter.outputs.status).toBe('Success');
    const name = `${reporter.outputs['run-id'] ?? ''}-params`;
    await waitFor(secretGone(name), { what: `secrets/${ns}/${name} deleted after the TTL`, timeoutMs: 60_000 });
  });

  it('is deleted with the Job when the step is cancelled', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('cancel', { env: { TOKEN: '', SIM_DURATION: '60s' } }) });
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 1500);
    const { reporter } = await runAction(kc, { job: 'cancel', namespace: ns, 'secret-params': `{"TOKEN":"${SECRET}"}` }, { signal: controller.signal });
    expect(reporter.outputs.status).toBe('Cancelled');
    const name = `${reporter.outputs['run-id'] ?? ''}-params`;
    await waitFor(secretGone(name), { what: `secrets/${ns}/${name} deleted with its Job`, timeoutMs: 60_000 });
  });

  it('leaves neither Job nor Secret when the Secret cannot be created, and runs with the README rule', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('denied', { env: { TOKEN: '' } }) });
    const plain = await limitedKubeConfig(kc, ns, 'no-secrets', readmeRole());
    const refused = await runAction(plain, { job: 'denied', namespace: ns, 'secret-params': `{"TOKEN":"${SECRET}"}` });
    expect(refused.error?.message).toMatch(/Could not create secrets\/.*\(403 Forbidden\)/);
    expect(refused.error?.message).not.toContain(SECRET);
    await waitFor(async () => (await jobsFromSource(kc, ns, 'denied')).length === 0, { what: 'the run without its Secret deleted' });

    const allowed = await limitedKubeConfig(kc, ns, 'with-secrets', readmeRoleWith('secret-params'));
    const ok = await runAction(allowed, { job: 'denied', namespace: ns, 'secret-params': `{"TOKEN":"${SECRET}"}` });
    expect(ok.error).toBeUndefined();
    expect(ok.reporter.outputs.status).toBe('Success');
  });
});
