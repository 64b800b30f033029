/**
 * npm run chaos: fault campaigns against the local control plane and the identity fakes, on
 * loopback only. Each trial draws its faults and moments from its own seed, printed with its
 * outcome; CHAOS_REPLAY=<campaign>:<seed> runs that one trial again.
 *
 *   CHAOS_SCALE=0.1        scale every campaign's trial count (default 1: the issue's counts)
 *   CHAOS_ONLY=a,b         run only these campaigns
 *   CHAOS_SEED=n           the campaigns' base seed (default: time-based, printed)
 *   CHAOS_OUTAGE_MAX_S=n   longest API outage (default 90; shorter for quick runs)
 *   CHAOS_BUDGET_MIN=n     stop starting trials after n minutes (default 60), so the run is bounded
 *
 * Ends with one table (campaign, trials, failures, seeds of failures) and writes bench/chaos.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ensureBuilt, startCluster } from '../../scripts/localcluster.mjs';
import { ROOT, stageBundle } from '../../scripts/lib/runner.mjs';
import { controlPlaneJwtArgs, startIdentityProviders } from '../../test/fakes/identity-providers.js';
import { trialSeed } from '../../test/support/prng.js';
import { azureFaults } from './azure.js';
import { cancellation } from './cancellation.js';
import { lossyCreates } from './lossy-creates.js';
import { outages } from './outages.js';
import { startup } from './startup.js';
import { throttling } from './throttling.js';
import type { Campaign, ChaosWorld } from './world.js';

const scale = Number(process.env.CHAOS_SCALE ?? 1);
const count = (n: number): number => Math.max(1, Math.round(n * scale));
const CAMPAIGNS: Campaign[] = [
  lossyCreates(count(100)),
  outages(count(20)),
  throttling(count(20)),
  azureFaults(count(30)),
  cancellation(count(200)),
  startup(count(12)),
];
const only = process.env.CHAOS_ONLY?.split(',').filter(Boolean);
const replay = /^([\w-]+):(\d+)$/.exec(process.env.CHAOS_REPLAY ?? '');
const baseSeed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000_000);
const budgetMs = Number(process.env.CHAOS_BUDGET_MIN ?? 60) * 60_000;

interface Outcome {
  readonly campaign: string;
  readonly seed: number;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail: string;
}

async function runCampaign(c: Campaign, world: ChaosWorld, deadline: number, seeds: number[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < seeds.length && Date.now() < deadline) {
      const seed = seeds[next++] as number;
      const t0 = Date.now();
      const result = await c.run(world, seed).catch((e: unknown) => ({ ok: false, detail: `trial threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}` }));
      const o = { campaign: c.name, seed, ok: result.ok, ms: Date.now() - t0, detail: result.detail };
      outcomes.push(o);
      console.log(`[${c.name} ${outcomes.length}/${seeds.length} seed ${seed}] ${o.ok ? 'ok  ' : 'FAIL'} ${(o.ms / 1000).toFixed(1)} s  ${o.detail}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(c.concurrency, seeds.length) }, worker));
  return outcomes;
}

async function main(): Promise<void> {
  const started = Date.now();
  ensureBuilt();
  const identity = await startIdentityProviders();
  const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const cluster = await startCluster({ kubeconfigPath, extraArgs: ['--pod-failure-backoff=1s', ...controlPlaneJwtArgs(identity.info)] });
  const bundleRoot = stageBundle();
  const results: Array<{ campaign: string; promise: string; trials: number; failures: number; failedSeeds: number[]; seconds: number; outcomes: Outcome[] }> = [];
  try {
    const admin = new KubeConfig();
    admin.loadFromFile(kubeconfigPath);
    const namespace = 'chaos';
    await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    const world: ChaosWorld = {
      admin, kubeconfigText: readFileSync(kubeconfigPath, 'utf8'), namespace, identity, bundleRoot,
      outageMaxSeconds: Number(process.env.CHAOS_OUTAGE_MAX_S ?? 90),
    };
    // The default service account must exist before pods are admitted.
    for (let i = 0; i < 100; i++) {
      if (await admin.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ namespace, name: 'default' }).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const deadline = started + budgetMs;
    console.log(`chaos: base seed ${baseSeed}, scale ${scale}, outages up to ${world.outageMaxSeconds} s, budget ${budgetMs / 60_000} min`);
    for (const c of CAMPAIGNS) {
      if (replay && replay[1] !== c.name) continue;
      if (!replay && only && !only.includes(c.name)) continue;
      const seeds = replay ? [Number(replay[2])] : Array.from({ length: c.trials }, (_, i) => trialSeed(baseSeed ^ hash(c.name), i));
      const t0 = Date.now();
      const outcomes = await runCampaign(c, world, replay ? Infinity : deadline, seeds);
      const failed = outcomes.filter((o) => !o.ok);
      results.push({ campaign: c.name, promise: c.promise, trials: outcomes.length, failures: failed.length, failedSeeds: failed.map((o) => o.seed), seconds: Math.round((Date.now() - t0) / 1000), outcomes });
    }
  } finally {
    await cluster.stop();
    await identity.close();
    rmSync(bundleRoot, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(results);
  const totalSeconds = Math.round((Date.now() - started) / 1000);
  console.log(`total ${totalSeconds} s`);
  if (!replay) {
    // Every trial's seed, outcome and time; what was drawn and went wrong only for failures (the log has the rest).
    const campaigns = results.map(({ outcomes, ...r }) => ({
      ...r,
      failed: outcomes.filter((o) => !o.ok).map((o) => ({ seed: o.seed, detail: o.detail })),
      trialsRun: outcomes.map((o) => [o.seed, o.ok ? 1 : 0, o.ms]),
    }));
    const summary = { date: new Date().toISOString(), baseSeed, scale, outageMaxSeconds: Number(process.env.CHAOS_OUTAGE_MAX_S ?? 90), totalSeconds, campaigns };
    writeFileSync(join(ROOT, 'bench', 'chaos.json'), JSON.stringify(summary, null, 2) + '\n');
  }
  if (results.some((r) => r.failures > 0)) process.exitCode = 1;
}

function hash(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

function printTable(rows: ReadonlyArray<{ campaign: string; trials: number; failures: number; failedSeeds: number[]; seconds: number }>): void {
  const head = ['campaign', 'trials', 'failures', 'time', 'seeds of failures'];
  const body = rows.map((r) => [r.campaign, String(r.trials), String(r.failures), `${r.seconds} s`, r.failedSeeds.join(' ') || '-']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(['', line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n'));
}

await main();
