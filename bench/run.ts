/**
 * npm run bench: the action against the local control plane, with kubectl (or bare node) in the
 * same run as the anchor. Not a test: it prints one table and writes bench/results.json; nothing
 * asserts timings. Each bench is one function returning its figures under its results key.
 *   complete  latency from the Job's Complete condition to the action's exit, median of BENCH_RUNS (20)
 *   short     wall time of a short Job, the action (logs on) vs `kubectl create job --from` + `kubectl wait`,
 *             BENCH_WALL_RUNS (20) interleaved pairs
 *   requests  API requests during a BENCH_LONG_SECONDS (600) Job, counted by a proxy
 *   wide, chatty, discovery   see bench/wide.ts, bench/chatty.ts, bench/discovery.ts
 *   startup   dist/main start to its first request vs bare `node -e ''`, and the bundle sizes
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api, KubeConfig } from '@kubernetes/client-node';
import { ensureBuilt, startCluster } from '../scripts/localcluster.mjs';
import { ROOT } from '../scripts/lib/runner.mjs';
import { startApiProxy } from '../test/support/api-proxy.js';
import { sourceCronJob } from '../test/support/sources.js';
import { runAction } from './action.js';
import { benchChatty } from './chatty.js';
import { watchCompletions } from './complete-watcher.js';
import { createNamespace, kubectlRun, type BenchContext } from './context.js';
import { benchDiscovery } from './discovery.js';
import { summarize, percentile } from './stats.js';
import { bundleSizes, measureStartup } from './startup.js';
import { benchWide } from './wide.js';
import { benchRunCommand } from './run-command.js';
import { formatTable, mb, ms, type Row } from './table.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WALL_RUNS = Number(process.env.BENCH_WALL_RUNS ?? 20);
const LONG_SECONDS = Number(process.env.BENCH_LONG_SECONDS ?? 600);
const NS = 'bench';

async function benchComplete(ctx: BenchContext) {
  const watcher = watchCompletions(ctx.kc, NS);
  const latencies: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await runAction({ namespace: NS, kubeconfig: ctx.kubeconfig, cronjob: 'short' });
    const done = watcher.finishedAt(r.outputs['run-id'] ?? '');
    if (r.code === 0 && done !== undefined) latencies.push(r.exitedAt - done);
  }
  watcher.stop();
  return summarize(latencies);
}

async function benchShort(ctx: BenchContext) {
  const action: number[] = [];
  const viaKubectl: number[] = [];
  for (let i = 0; i < WALL_RUNS; i++) {
    action.push((await runAction({ namespace: NS, kubeconfig: ctx.kubeconfig, cronjob: 'short' })).ms);
    viaKubectl.push(await kubectlRun(ctx, NS, 'short', `kubectl-${i}`, 120));
  }
  const a = summarize(action);
  const k = summarize(viaKubectl);
  const pairs = action.map((x, i) => x / (viaKubectl[i] ?? NaN));
  return { action: a, kubectl: k, ratio: a.median / k.median, pairRatio: { p10: percentile(pairs, 10), median: summarize(pairs).median, p90: percentile(pairs, 90) } };
}

async function benchRequests(ctx: BenchContext) {
  const proxy = await startApiProxy(ctx.kc);
  const long = await runAction({ namespace: NS, kubeconfig: proxy.kubeconfigText, cronjob: 'long', timeout: `${LONG_SECONDS + 120}s` });
  await proxy.close();
  return { seconds: LONG_SECONDS, status: long.outputs.status, requests: proxy.requests.length, byRequest: proxy.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`) };
}

interface Results {
  complete: Awaited<ReturnType<typeof benchComplete>>;
  short: Awaited<ReturnType<typeof benchShort>>;
  requests: Awaited<ReturnType<typeof benchRequests>>;
  wide: Awaited<ReturnType<typeof benchWide>>;
  chatty: Awaited<ReturnType<typeof benchChatty>>;
  discovery: Awaited<ReturnType<typeof benchDiscovery>>;
  startup: Awaited<ReturnType<typeof measureStartup>> & { bundleBytes: ReturnType<typeof bundleSizes> };
  runCommand?: Awaited<ReturnType<typeof benchRunCommand>>;
}

function rows(r: Results): Row[] {
  const s = r.startup.toFirstRequestMs.median / r.startup.bareNodeMs.median;
  return [
    { what: 'start-up to first request (median)', figure: `${ms(r.startup.toFirstRequestMs.median)} (${s.toFixed(1)}× node)`, target: '≤ 5× bare node', anchor: `bare node ${ms(r.startup.bareNodeMs.median)}` },
    { what: `short Job wall time (median of ${r.short.action.n} pairs)`, figure: `${ms(r.short.action.median)}, ratio ${r.short.ratio.toFixed(2)} (pairs p10–p90 ${r.short.pairRatio.p10.toFixed(2)}–${r.short.pairRatio.p90.toFixed(2)})`, target: 'ratio ≤ 1.05', anchor: `kubectl ${ms(r.short.kubectl.median)}` },
    { what: 'Complete → exit (median)', figure: `${ms(r.complete.median)} (p90 ${ms(r.complete.p90)})`, target: '≤ 50 ms', anchor: '—' },
    { what: `requests during a ${r.requests.seconds} s Job`, figure: `${r.requests.requests}`, target: '≤ 15 per 10 min', anchor: '—' },
    { what: 'wide: 300 pods × 5 lines, wall time', figure: `${ms(r.wide.actionMs)}, ratio ${r.wide.ratio.toFixed(2)}`, target: '—', anchor: `kubectl ${ms(r.wide.kubectlMs)}` },
    { what: 'wide: CPU, peak RSS, requests', figure: `${ms(r.wide.cpuMs)} CPU, ${mb(r.wide.maxRssMb)}, ${r.wide.requests} requests`, target: '—', anchor: '—' },
    { what: 'wide: lines printed / written', figure: `${r.wide.linesPrinted} / ${r.wide.linesWritten}, ${r.wide.linesPrintedTwice} twice`, target: 'all, once', anchor: '—' },
    { what: 'chatty: 50 000 lines printed', figure: `${r.chatty.linesPrinted}, ${r.chatty.allOnceInOrder ? 'all once, in order' : 'NOT all once in order'}`, target: 'all, once, in order', anchor: '—' },
    { what: 'chatty: CPU, peak RSS, last-line delay', figure: `${ms(r.chatty.cpuMs)} CPU, ${mb(r.chatty.maxRssMb)}, ${ms(r.chatty.lastLineDelayMs)}`, target: 'RSS bounded', anchor: '—' },
    { what: 'main bundle: loaded at start / all code', figure: `${((r.startup.bundleBytes.main?.loadedAtStartBytes ?? 0) / 1e6).toFixed(2)} MB / ${((r.startup.bundleBytes.main?.jsBytes ?? 0) / 1e6).toFixed(2)} MB`, target: 'shrink', anchor: 'ncc before: 5.74 MB at start' },
    { what: 'discovery: 5 000 Jobs + 200 CronJobs', figure: `${ms(r.discovery.actionMs)}, ${mb(r.discovery.maxRssMb)}, ${r.discovery.pages} pages`, target: '—', anchor: '—' },
    ...(r.runCommand === undefined ? [] : [{
      what: `runCommand: a ${r.runCommand.jobSeconds} s Job through ARM`,
      figure: `${r.runCommand.commands} commands (${r.runCommand.commandsPerJobHour} per job-hour), ${r.runCommand.armRequests} ARM requests (${r.runCommand.armRequestsPerCommand} per command), ` +
        `line delay median ${r.runCommand.lineDelaySeconds.median.toFixed(0)} s, p90 ${r.runCommand.lineDelaySeconds.p90.toFixed(0)} s, ${r.runCommand.linesPrinted} / ${r.runCommand.linesWritten} lines`,
      target: '≤ 40 commands per job-hour', anchor: '—',
    }]),
  ];
}

async function main(): Promise<void> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const cluster = await startCluster({ kubeconfigPath });
  const machine: Record<string, unknown> = { cpus: availableParallelism(), model: cpus()[0]?.model, loadAverageAtStart: loadavg() };
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine };
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const ctx: BenchContext = { kc, kubeconfigPath, kubeconfig: readFileSync(kubeconfigPath, 'utf8'), kubectlPath: join(ROOT, 'test/localcluster/bin/kubectl') };
    await createNamespace(ctx, NS);
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedCronJob({ namespace: NS, body: sourceCronJob('short', { env: { SIM_DURATION: '500ms' } }) });
    await batch.createNamespacedCronJob({ namespace: NS, body: sourceCronJob('long', { env: { SIM_DURATION: `${LONG_SECONDS}s`, SIM_LOG: 'working', SIM_LOG_INTERVAL: '60s' } }) });

    const only = process.env.BENCH_ONLY?.split(',');
    const benches: Array<[string, () => Promise<unknown>]> = [
      ['complete', () => benchComplete(ctx)],
      ['short', () => benchShort(ctx)],
      ['requests', () => benchRequests(ctx)],
      ['wide', () => benchWide(ctx)],
      ['chatty', () => benchChatty(ctx)],
      ['discovery', () => benchDiscovery(ctx)],
      ['startup', async () => ({ ...(await measureStartup(20)), bundleBytes: bundleSizes() })],
      ['runCommand', () => benchRunCommand()],
    ];
    for (const [key, bench] of benches) {
      if (only && !only.includes(key)) continue;
      results[key] = await bench();
      console.log(`${key}: ${JSON.stringify(results[key], (k: string, v: unknown) => (k === 'byRequest' ? undefined : v))}`);
    }
    machine.loadAverageAtEnd = loadavg();
  } finally {
    await cluster.stop();
  }
  if (!process.env.BENCH_ONLY) {
    console.log(`\n${formatTable(rows(results as unknown as Results))}`);
    writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  }
}

await main();
