/**
 * Issue 11's sidecar flows through the shipped artifact, started as the GitHub runner starts it
 * (runner-steps.ts): a native sidecar that would run an hour next to the container that matters,
 * and a legacy proxy container with `ignore-sidecars`. Asserted is what the runner reads back:
 * exit code, stdout lines, annotations, outputs, and the cluster afterwards. (Kueue's bundled run
 * is in kueue.test.ts, on its Kueue-enabled control plane.)
 */
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, createTestNamespace, jobsFromSource, podsOfJob, waitFor } from '../support/cluster.js';
import { annotationsOf, kubeconfigText, runStep, stagedAction } from '../support/runner-steps.js';
import { shapedJob, simContainer } from '../support/sources.js';

let kc: KubeConfig;
let batch: BatchV1Api;
let ns: string;
let kubeconfig: string;
let action: ReturnType<typeof stagedAction>;

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  ns = await createTestNamespace('runner-shapes');
  kubeconfig = kubeconfigText();
  action = stagedAction();
});
afterAll(() => action?.dispose());



describe('the bundled action with sidecars, as the runner runs it', () => {
  it('native sidecar: streamed labelled, never the failure; params and result from the named container', async () => {
    const mesh = simContainer('mesh', { SIM_DURATION: '1h', SIM_LOG: 'mesh up', SIM_LOG_INTERVAL: '100ms' }, { restartPolicy: 'Always' });
    await batch.createNamespacedJob({ namespace: ns, body: shapedJob('meshed', [
      simContainer('istio-helper', { SIM_DURATION: '200ms' }),
      simContainer('etl', { SIM_LOG: 'etl working', SIM_TERMINATION_MESSAGE: 'rows=7', RUN_DATE: 'unset' }),
    ], [mesh]) });
    const main = await runStep('main', {
      root: action.root,
      inputs: { job: 'meshed', namespace: ns, kubeconfig, container: 'etl', params: '{"RUN_DATE":"2026-12-08"}', timeout: '2m' },
    });

    expect(main.code).toBe(0);
    expect(main.outputs).toMatchObject({ status: 'Success', result: 'rows=7' });
    const lines = main.stdout.split('\n');
    expect(lines).toContain('[mesh] mesh up');
    expect(lines).toContain('[etl] etl working');
    expect(annotationsOf(main.commands).filter((a) => a.level === 'error')).toEqual([]);
    const [job] = await jobsFromSource(kc, ns, 'meshed');
    const env = job?.spec?.template.spec?.containers.find((c) => c.name === 'etl')?.env ?? [];
    expect(env).toContainEqual({ name: 'RUN_DATE', value: '2026-12-08' });
    // The sidecar was stopped by the (simulated) kubelet with 143; that is not the run's result.
    const [pod] = await podsOfJob(kc, ns, job?.metadata?.uid);
    expect(pod?.status?.initContainerStatuses?.[0]?.state?.terminated?.exitCode).toBe(143);

    const post = await runStep('post', { root: action.root, inputs: { kubeconfig }, files: main.files });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('to its end');
  });

  it("legacy proxy with ignore-sidecars: the app's exit code fails the step, and the Job is deleted so the proxy stops", async () => {
    await batch.createNamespacedJob({ namespace: ns, body: shapedJob('proxied', [
      simContainer('etl', { SIM_DURATION: '300ms', SIM_EXIT_CODE: '4' }),
      simContainer('cloud-sql-proxy', { SIM_DURATION: '1h', SIM_LOG: 'proxy ready' }),
    ]) });
    const main = await runStep('main', { root: action.root, inputs: { job: 'proxied', namespace: ns, kubeconfig, 'ignore-sidecars': 'true', timeout: '2m' } });

    expect(main.code).toBe(1);
    expect(main.outputs).toMatchObject({ status: 'Failed', 'exit-code': '4' });
    const errors = annotationsOf(main.commands).filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("container 'etl' exited 0 in 0 pods and failed 1 time while other containers still ran, so the run ended Failed");
    const name = main.outputs['run-id'] ?? '';
    await waitFor(async () => batch.readNamespacedJob({ namespace: ns, name }).then((j) => j.metadata?.deletionTimestamp !== undefined, () => true),
      { what: `jobs/${ns}/${name} deleted so its proxy stops` });

    const post = await runStep('post', { root: action.root, inputs: { kubeconfig }, files: main.files });
    expect(post.code).toBe(0);
    expect(annotationsOf(post.commands)).toEqual([]);
  });
});
