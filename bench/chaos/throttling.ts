/**
 * Throttling: the API server answers 429 with Retry-After (as API Priority and Fairness does) on
 * watches, lists, log follows and the create. The run still reports its real end with its whole
 * log, the same request is never repeated before its Retry-After has passed, and the number of
 * requests stays bounded.
 */
import { startApiServerFaultProxy, type LoggedRequest, type ProxiedRequest } from '../../test/support/fault-proxy.js';
import { prng } from '../../test/support/prng.js';
import { runAction } from '../../test/support/run-action.js';
import { createSource, isJobCreate, jobEnd, numberedLines, runProblems, runsOf, type Campaign, type ChaosWorld, type TrialResult } from './world.js';

type Kind = 'watch' | 'list' | 'log' | 'create';

function kindOf(r: ProxiedRequest): Kind | undefined {
  if (isJobCreate(r)) return 'create';
  if (r.method !== 'GET') return undefined;
  if (/\/log\?/.test(r.path)) return 'log';
  if (/[?&]watch=true/.test(r.path)) return 'watch';
  if (/\/(jobs|pods)\?/.test(r.path)) return 'list';
  return undefined;
}

/** The same request again: method, path, watch or not, selectors and container (not sinceTime or resourceVersion). */
export function requestKey(r: ProxiedRequest): string {
  const url = new URL(r.path, 'https://x');
  const keep = ['watch', 'labelSelector', 'fieldSelector', 'container'].map((k) => `${k}=${url.searchParams.get(k) ?? ''}`);
  return `${r.method} ${url.pathname} ${keep.join('&')}`;
}

/** Repeats of a throttled request that came before its Retry-After passed. */
export function earlyRetries(log: readonly LoggedRequest[], slackMs = 50): string[] {
  const early: string[] = [];
  log.forEach((r, i) => {
    if (r.fault?.kind !== 'status' || r.fault.retryAfterSeconds === undefined) return;
    const key = requestKey(r);
    const next = log.slice(i + 1).find((n) => requestKey(n) === key);
    const waited = next === undefined ? Infinity : next.at - r.at;
    if (waited < r.fault.retryAfterSeconds * 1000 - slackMs) early.push(`${key.split(' ').slice(0, 2).join(' ')} again after ${waited} ms (Retry-After ${r.fault.retryAfterSeconds} s)`);
  });
  return early;
}

/** Requests a 10 s Job with 8 log lines takes unthrottled is about 15; each 429 may add a few. */
const REQUEST_BOUND_BASE = 40;
const REQUESTS_PER_THROTTLE = 3;

export async function throttlingTrial(w: ChaosWorld, seed: number): Promise<TrialResult> {
  const r = prng(seed);
  const kinds: Kind[] = ['watch', 'list', 'log', 'create'];
  const targeted = kinds.filter(() => r.chance(0.6));
  if (targeted.length === 0) targeted.push(r.pick(kinds));
  const p = r.pick([0.3, 0.5, 0.8]);
  const budget = r.int(3, 8);
  const retryAfter = r.int(1, 3);
  const drawn = `429 on ${targeted.join('+')}, p ${p}, up to ${budget}, Retry-After ${retryAfter} s`;
  const source = `throttle-${seed.toString(36)}`;
  const lines = numberedLines('tick', 8);
  await createSource(w, source, { SIM_DURATION: '10s', SIM_LOG: lines.join('|'), SIM_LOG_INTERVAL: '1s' });
  let throttled = 0;
  const proxy = await startApiServerFaultProxy(w.admin, (req) => {
    const kind = kindOf(req);
    if (kind === undefined || !targeted.includes(kind) || throttled >= budget || !r.chance(p)) return undefined;
    throttled++;
    return { kind: 'status', code: 429, retryAfterSeconds: retryAfter };
  });
  try {
    const run = await runAction(proxy.kubeConfig, { job: source, namespace: w.namespace, timeout: '5m' });
    const jobs = await runsOf(w, source);
    const problems = runProblems(run, jobs, lines);
    // These sources always complete: a Failed end would be the fault's doing.
    if (jobEnd(jobs[0]) !== 'Complete') problems.push(`real end ${jobEnd(jobs[0])}, not Complete`);
    const early = earlyRetries(proxy.log);
    if (early.length > 0) problems.push(`did not wait as told: ${early.slice(0, 3).join('; ')}${early.length > 3 ? ` (+${early.length - 3})` : ''}`);
    const bound = REQUEST_BOUND_BASE + REQUESTS_PER_THROTTLE * throttled;
    if (proxy.log.length > bound) problems.push(`${proxy.log.length} requests (bound ${bound})`);
    return { ok: problems.length === 0, detail: `${drawn}: ${throttled} throttled, ${proxy.log.length} requests${problems.length ? `; ${problems.join('; ')}` : ''}` };
  } finally {
    await proxy.close();
  }
}

export const throttling = (trials: number): Campaign => ({
  name: 'throttling',
  promise: 'waits Retry-After, bounded requests, real end, each log line once',
  trials,
  concurrency: 3,
  run: throttlingTrial,
});
