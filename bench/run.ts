/**
 * npm run bench: the action against the local control plane, with kubectl in the same run as the
 * yardstick. Not a test: it prints figures and writes bench/results.json; nothing asserts timings.
 *   (a) latency from the Job's Complete condition to the action's exit, median of BENCH_RUNS (≥ 20)
 *   (b) wall time of a short Job: the action vs `kubectl create job --from=cronjob/X` + `kubectl wait`
 *   (c) API requests the action makes during a BENCH_LONG_SECONDS (600) Job, counted by a proxy
 *   (d) start-up of dist/main to its first request to the cluster, and the bundle sizes
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ensureBuilt, startCluster } from '../scripts/localcluster.mjs';
import { ROOT, runnerFiles, startStep, readOutputs } from '../scripts/lib/runner.mjs';
import { startApiProxy } from '../test/support/api-proxy.js';
import { sourceCronJob } from '../test/support/sources.js';
import { watchCompletions } from './complete-watcher.js';
import { summarize } from './stats.js';
import { measureStartup, bundleSizes } from './startup.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WALL_RUNS = Number(process.env.BENCH_WALL_RUNS ?? 10);
const LONG_SECONDS = Number(process.env.BENCH_LONG_SECONDS ?? 600);
const NS = 'bench';
const run = promisify(execFile);

async function runAction(kubeconfig: string, inputs: Record<string, string>): Promise<{ ms: number; exitedAt: number; outputs: Record<string, string>; code: number | null }> {
  const files = runnerFiles();
  const t0 = performance.now();
  const step = startStep({ step: 'main', files, inputs: { namespace: NS, kubeconfig, ...inputs } });
  const result = await step.done;
  const exitedAt = performance.now();
  return { ms: exitedAt - t0, exitedAt, outputs: readOutputs(files), code: result.code };
}

async function main(): Promise<void> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const cluster = await startCluster({ kubeconfigPath });
  const results: Record<string, unknown> = { date: new Date().toISOString() };
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const kubeconfig = readFileSync(kubeconfigPath, 'utf8');
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedCronJob({ namespace: NS, body: sourceCronJob('short', { env: { SIM_DURATION: '500ms' } }) });
    await batch.createNamespacedCronJob({ namespace: NS, body: sourceCronJob('long', { env: { SIM_DURATION: `${LONG_SECONDS}s`, SIM_LOG: 'working', SIM_LOG_INTERVAL: '60s' } }) });

    // (a) Complete → exit
    const watcher = watchCompletions(kc, NS);
    const latencies: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await runAction(kubeconfig, { cronjob: 'short' });
      const done = watcher.finishedAt(r.outputs['run-id'] ?? '');
      if (r.code === 0 && done !== undefined) latencies.push(r.exitedAt - done);
    }
    watcher.stop();
    results.completeToExitMs = summarize(latencies);
    console.log(`(a) Complete → exit: ${JSON.stringify(results.completeToExitMs)}`);

    // (b) the action vs kubectl create --from + kubectl wait, interleaved
    const kubectl = join(ROOT, 'test/localcluster/bin/kubectl');
    const action: number[] = [];
    const viaKubectl: number[] = [];
    for (let i = 0; i < WALL_RUNS; i++) {
      action.push((await runAction(kubeconfig, { cronjob: 'short', 'follow-logs': 'false' })).ms);
      const name = `kubectl-${i}`;
      const t0 = performance.now();
      await run(kubectl, ['--kubeconfig', kubeconfigPath, '-n', NS, 'create', 'job', name, '--from=cronjob/short']);
      await run(kubectl, ['--kubeconfig', kubeconfigPath, '-n', NS, 'wait', '--for=condition=complete', `job/${name}`, '--timeout=120s']);
      viaKubectl.push(performance.now() - t0);
    }
    const a = summarize(action);
    const k = summarize(viaKubectl);
    results.wallTimeMs = { action: a, kubectl: k, ratio: a.median / k.median };
    console.log(`(b) wall time: action ${a.median.toFixed(0)} ms, kubectl ${k.median.toFixed(0)} ms, ratio ${(a.median / k.median).toFixed(2)}`);

    // (c) requests during a long Job, counted by a proxy in front of the API server
    const proxy = await startApiProxy(kc);
    const long = await runAction(proxy.kubeconfigText, { cronjob: 'long', timeout: `${LONG_SECONDS + 120}s` });
    await proxy.close();
    results.longJob = { seconds: LONG_SECONDS, status: long.outputs.status, requests: proxy.requests.length, byRequest: proxy.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`) };
    console.log(`(c) ${proxy.requests.length} API requests during a ${LONG_SECONDS} s Job (status ${long.outputs.status})`);

    // (d) start-up and bundle sizes
    results.startupMs = await measureStartup(10);
    results.bundleBytes = bundleSizes();
    console.log(`(d) start-up to first request: ${JSON.stringify(results.startupMs)}; bundles: ${JSON.stringify(results.bundleBytes)}`);
  } finally {
    await cluster.stop();
  }
  writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
}

await main();
