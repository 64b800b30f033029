/**
 * Jobs as platform teams shape them (issue 11): several containers, the one that matters, sidecars
 * (Kueue queues: kueue.test.ts).
 * Against the real local control plane; assertions are what users see (the Job, outputs, log lines).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api, type KubeConfig, type V1Container, type V1Job } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, jobsFromSource, podsOfJob, waitFor } from '../support/cluster.js';
import { runAction } from '../support/run-action.js';
import { shapedJob, simContainer } from '../support/sources.js';

let kc: KubeConfig;
let batch: BatchV1Api;
let ns: string;

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  ns = await createTestNamespace('shapes');
});



describe('input container', () => {
  it('gives params and image to the named second container; exit-code, result and labelled lines come from it', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: shapedJob('two-containers', [
      simContainer('helper', { SIM_LOG: 'helper says hi', SIM_TERMINATION_MESSAGE: 'not the result' }),
      simContainer('worker', { RUN_DATE: 'yesterday', SIM_DURATION: '500ms', SIM_TERMINATION_MESSAGE: '{"rows":42}' }),
    ]) });
    const { reporter, error } = await runAction(kc, {
      job: 'two-containers', namespace: ns, container: 'worker', params: '{"RUN_DATE":"2026-12-07"}', image: 'registry.example.com/worker:2',
    });
    expect(error).toBeUndefined();
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.outputs.result).toBe('{"rows":42}');
    expect(reporter.lines).toContain(
      "App container: 'worker' (input 'container') of helper, worker. Params and image go to it; exit-code and result come from it.");
    // Both containers streamed, each line labelled with its container; the overlay reached the worker only.
    expect(reporter.lines).toContain('[worker] RUN_DATE=2026-12-07');
    expect(reporter.lines).toContain('[helper] helper says hi');
    const [job] = await jobsFromSource(kc, ns, 'two-containers');
    const spec = job?.spec?.template.spec;
    expect(spec?.containers.map((c) => [c.name, c.image, c.env?.find((e) => e.name === 'RUN_DATE')?.value])).toEqual([
      ['helper', 'registry.example.com/helper:1', undefined],
      ['worker', 'registry.example.com/worker:2', '2026-12-07'],
    ]);
    expect(job?.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/default-container']).toBe('worker');
  });

  it("reports the app container's exit code, not that of a container that failed later", async () => {
    await batch.createNamespacedJob({ namespace: ns, body: shapedJob('app-fails', [
      simContainer('cloud-sql-proxy', { SIM_DURATION: '1500ms', SIM_EXIT_CODE: '137' }),
      simContainer('etl', { SIM_EXIT_CODE: '4' }),
    ]) });
    const { reporter, error } = await runAction(kc, { job: 'app-fails', namespace: ns });
    expect(error?.message).toContain('ended Failed');
    expect(reporter.outputs['exit-code']).toBe('4');
    expect(reporter.lines).toContain(
      "App container: 'etl' (the first that is not a known sidecar; skipped 'cloud-sql-proxy') of cloud-sql-proxy, etl. Params and image go to it; exit-code and result come from it.");
  });

  it('fails before creating anything when the name is no container, listing them', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: shapedJob('typo', [simContainer('app', {})]) });
    const { error } = await runAction(kc, { job: 'typo', namespace: ns, container: 'ap' });
    expect(error?.message).toBe(`Input 'container' names container 'ap', which the pod template of jobs/${ns}/typo does not have among its containers. Containers: app.`);
    expect(await jobsFromSource(kc, ns, 'typo')).toEqual([]);
  });
});

describe('native sidecars (initContainers with restartPolicy Always)', () => {
  const mesh = (): V1Container => simContainer('mesh', { SIM_DURATION: '1h', SIM_LOG: 'mesh up|mesh serving', SIM_LOG_INTERVAL: '100ms' }, { restartPolicy: 'Always' });

  it('streams the sidecar labelled, ends when the app ends although the sidecar would run an hour, and ignores its exit 143', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: shapedJob('with-mesh', [
      simContainer('etl', { SIM_LOG: 'etl working|etl done', SIM_LOG_INTERVAL: '300ms', SIM_TERMINATION_MESSAGE: 'rows=9' }),
    ], [mesh()]) });
    const started = Date.now();
    const { reporter, error } = await runAction(kc, { job: 'with-mesh', namespace: ns, timeout: '60s' });
    expect(error).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.outputs['exit-code']).toBe('');
    expect(reporter.outputs.result).toBe('rows=9');
    expect(reporter.lines).toEqual(expect.arrayContaining(['[mesh] mesh up', '[mesh] mesh serving', '[etl] etl working', '[etl] etl done']));
    // The simulated kubelet stopped the sidecar when the app ended, as a kubelet does.
    const [job] = await jobsFromSource(kc, ns, 'with-mesh');
    const [p] = await podsOfJob(kc, ns, job?.metadata?.uid);
    expect(p?.status?.phase).toBe('Succeeded');
    expect(p?.status?.initContainerStatuses?.[0]?.state?.terminated?.exitCode).toBe(143);
  });

  it("reports the app's exit code, never the sidecar's", async () => {
    await batch.createNamespacedJob({ namespace: ns, body: shapedJob('mesh-app-fails', [simContainer('etl', { SIM_EXIT_CODE: '3', SIM_DURATION: '500ms' })], [mesh()]) });
    const { reporter, error } = await runAction(kc, { job: 'mesh-app-fails', namespace: ns, timeout: '60s' });
    expect(error?.message).toContain('ended Failed');
    expect(reporter.outputs['exit-code']).toBe('3');
    expect(error?.message).toContain('Last failed container exited with code 3.');
  });
});

describe('legacy sidecars (a regular container that never exits)', () => {
  it('warns once, naming the sidecar, when the app has ended but the proxy keeps the Job running', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: shapedJob('legacy-proxy', [
      simContainer('etl', { SIM_DURATION: '300ms' }),
      simContainer('cloud-sql-proxy', { SIM_DURATION: '1h' }),
    ]) });
    const { reporter, error } = await runAction(kc, { job: 'legacy-proxy', namespace: ns, timeout: '6s' });
    expect(reporter.outputs.status).toBe('Cancelled');
    expect(error?.message).toContain('timeout');
    const warnings = reporter.annotations.filter((a) => a.title === 'Sidecar keeps the Job running');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/^Container 'etl' of pod legacy-proxy-[a-z0-9]{5}-[a-z0-9]{5} exited with code 0, but container 'cloud-sql-proxy' is still running: /);
  });
});

describe('legacy sidecars with ignore-sidecars', () => {
  const legacy = (name: string, etl: Record<string, string>): V1Job => shapedJob(name, [
    simContainer('etl', { SIM_DURATION: '300ms', ...etl }),
    simContainer('cloud-sql-proxy', { SIM_DURATION: '1h', SIM_LOG: 'proxy ready' }),
  ]);
  const gone = (name: string) => waitFor(async () => batch.readNamespacedJob({ namespace: ns, name }).then((j) => j.metadata?.deletionTimestamp !== undefined, () => true), { what: `jobs/${ns}/${name} deleted` });

  it('ends Success when the app exited 0, with its result, and deletes the Job so the proxy stops', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: legacy('ignore-ok', { SIM_TERMINATION_MESSAGE: 'rows=5' }) });
    const started = Date.now();
    const { reporter, error } = await runAction(kc, { job: 'ignore-ok', namespace: ns, 'ignore-sidecars': 'true', timeout: '60s' });
    expect(error).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(20_000);
    const name = reporter.outputs['run-id'] ?? '';
    expect(reporter.outputs.status).toBe('Success');
    expect(reporter.outputs.result).toBe('rows=5');
    expect(reporter.annotations).toContainEqual({ level: 'notice', title: 'Sidecars ignored', message:
      `Input 'ignore-sidecars': container 'etl' exited 0 in 1 pod and failed 0 times while other containers still ran, so the run ended Success; ` +
      `jobs/${ns}/${name} was deleted so they stop (the Job itself never reached a Complete or Failed condition).` });
    expect(reporter.annotations.some((a) => a.title === 'Sidecar keeps the Job running')).toBe(false);
    await gone(name);
  });

  it("ends Failed with the app's exit code when it failed (backoffLimit 0)", async () => {
    await batch.createNamespacedJob({ namespace: ns, body: legacy('ignore-fail', { SIM_EXIT_CODE: '3' }) });
    const { reporter, error } = await runAction(kc, { job: 'ignore-fail', namespace: ns, 'ignore-sidecars': 'true', timeout: '60s' });
    const name = reporter.outputs['run-id'] ?? '';
    expect(reporter.outputs.status).toBe('Failed');
    expect(reporter.outputs.reason).toBe('BackoffLimitExceeded');
    expect(reporter.outputs['exit-code']).toBe('3');
    expect(error?.message).toContain(`container 'etl' exited 0 in 0 pods and failed 1 time while other containers still ran, so the run ended Failed; jobs/${ns}/${name} was deleted`);
    await gone(name);
  });
});
