/**
 * Lossy creates: the Job create (the one request that must not be repeated blindly) is lost,
 * reset, answered after the client's deadline, or answered 500/503/429, once to three times in a
 * row, sometimes after the API server made the Job. 0 duplicate Jobs, 0 runs that fail although
 * their Job ran, and every run reports the real end.
 */
import type { Fault } from '../../test/support/fault-proxy.js';
import { startApiServerFaultProxy } from '../../test/support/fault-proxy.js';
import { prng, type Prng } from '../../test/support/prng.js';
import { runAction } from '../../test/support/run-action.js';
import { REQUEST_TIMEOUT_MS } from '../../src/kubernetes/job-cluster.js';
import { createSource, isJobCreate, numberedLines, runProblems, runsOf, type Campaign, type ChaosWorld, type TrialResult } from './world.js';

function createFault(r: Prng, allowDelay: boolean): Fault {
  const kinds = ['drop', 'reset', 'lose-answer', 'status-500', 'status-503', 'status-429', 'status-500-after', 'status-503-after'] as const;
  if (allowDelay && r.chance(0.08)) return { kind: 'delay', ms: REQUEST_TIMEOUT_MS + 1000 };
  const kind = r.pick(kinds);
  switch (kind) {
    case 'drop':
    case 'reset':
    case 'lose-answer':
      return { kind };
    case 'status-429':
      return { kind: 'status', code: 429, retryAfterSeconds: r.int(1, 3) };
    default: {
      const code = kind.startsWith('status-500') ? 500 : 503;
      return { kind: 'status', code, afterUpstream: kind.endsWith('-after'), ...(code === 503 && r.chance(0.5) ? { retryAfterSeconds: r.int(1, 2) } : {}) };
    }
  }
}

export function describeFault(f: Fault): string {
  if (f.kind === 'status') return `${f.code}${f.afterUpstream ? '-after-create' : ''}${f.retryAfterSeconds === undefined ? '' : `/Retry-After ${f.retryAfterSeconds}`}`;
  if (f.kind === 'delay') return `delay ${f.ms} ms`;
  if (f.kind === 'cut') return `cut after ${f.afterMs} ms`;
  return f.kind;
}

export async function lossyCreateTrial(w: ChaosWorld, seed: number): Promise<TrialResult> {
  const r = prng(seed);
  const faults: Fault[] = [];
  const n = r.int(1, 3);
  for (let i = 0; i < n; i++) faults.push(createFault(r, !faults.some((f) => f.kind === 'delay')));
  const drawn = faults.map(describeFault).join(', ');
  const source = `lossy-${seed.toString(36)}`;
  const lines = numberedLines('out', 3);
  await createSource(w, source, { SIM_DURATION: '1s', SIM_LOG: lines.join('|'), SIM_LOG_INTERVAL: '200ms' });
  let creates = 0;
  const proxy = await startApiServerFaultProxy(w.admin, (req) => (isJobCreate(req) ? faults[creates++] : undefined));
  try {
    const run = await runAction(proxy.kubeConfig, { job: source, namespace: w.namespace, timeout: '4m' });
    const jobs = await runsOf(w, source);
    const problems = runProblems(run, jobs, lines);
    const job = jobs[0];
    if (job && run.reporter.outputs['run-id'] !== job.metadata?.name) problems.push(`reported run-id ${run.reporter.outputs['run-id']}, Job ${job.metadata?.name}`);
    return { ok: problems.length === 0, detail: `create faults: ${drawn}${problems.length ? `; ${problems.join('; ')}` : ''}` };
  } finally {
    await proxy.close();
  }
}

export const lossyCreates = (trials: number): Campaign => ({
  name: 'lossy-creates',
  promise: '0 duplicate Jobs, 0 failed runs whose Job ran, real end reported',
  trials,
  concurrency: 3,
  run: lossyCreateTrial,
});
