/**
 * Start-up against an API server that is unreachable (connections refused), a black hole (TLS
 * accepted, nothing answered), slow, or back after a few seconds: a bounded number of retries over
 * a bounded time, then an error that names the server and what to check; never a hang. A server
 * that is only slow, or back soon, still runs the Job.
 */
import { startApiServerFaultProxy } from '../../test/support/fault-proxy.js';
import { prng } from '../../test/support/prng.js';
import { runAction } from '../../test/support/run-action.js';
import { createSource, jobEnd, runsOf, sleep, type Campaign, type ChaosWorld, type TrialResult } from './world.js';

const SCENARIOS = ['refused', 'black-hole', 'slow', 'back-soon'] as const;
/** Longest a start-up may take before it gives up on a server that never answers. */
export const STARTUP_BOUND_MS = 100_000;

export async function startupTrial(w: ChaosWorld, seed: number): Promise<TrialResult> {
  const r = prng(seed);
  const scenario = r.pick(SCENARIOS);
  const slowMs = r.int(500, 4000);
  const backAfterMs = r.int(2000, 10_000);
  const source = `startup-${seed.toString(36)}`;
  await createSource(w, source, { SIM_DURATION: '2s', SIM_LOG: 'started' });
  const proxy = await startApiServerFaultProxy(w.admin, scenario === 'black-hole' ? () => ({ kind: 'delay', ms: 600_000 }) : scenario === 'slow' ? () => ({ kind: 'delay', ms: slowMs }) : undefined);
  const drawn = scenario === 'slow' ? `slow (${slowMs} ms per answer)` : scenario === 'back-soon' ? `refused for ${backAfterMs} ms` : scenario;
  try {
    if (scenario !== 'slow' && scenario !== 'black-hole') await proxy.setDown(true);
    if (scenario === 'back-soon') void sleep(backAfterMs).then(() => proxy.setDown(false));
    const t0 = Date.now();
    const run = await Promise.race([
      runAction(proxy.kubeConfig, { job: source, namespace: w.namespace, timeout: '5m' }),
      sleep(STARTUP_BOUND_MS + 60_000).then(() => 'hang' as const),
    ]);
    const took = Date.now() - t0;
    if (run === 'hang') return { ok: false, detail: `${drawn}: no end after ${took} ms` };
    const problems: string[] = [];
    if (scenario === 'slow' || scenario === 'back-soon') {
      const jobs = await runsOf(w, source);
      if (run.error) problems.push(`step failed: ${run.error.message}`);
      if (jobs.length !== 1 || jobEnd(jobs[0]) !== 'Complete' || run.reporter.outputs.status !== 'Success') problems.push(`${jobs.length} Jobs, reported ${run.reporter.outputs.status}`);
    } else {
      const message = run.error?.message ?? '';
      if (!run.error) problems.push('no error');
      if (!message.includes(proxy.url)) problems.push(`error does not name ${proxy.url}`);
      if (!/check/i.test(message)) problems.push('error does not say what to check');
      if (took > STARTUP_BOUND_MS) problems.push(`gave up after ${took} ms (bound ${STARTUP_BOUND_MS})`);
      if (problems.length > 0) problems.push(`said: ${message.slice(0, 240)}`);
    }
    return { ok: problems.length === 0, detail: `${drawn}: ended after ${took} ms, ${proxy.log.length} requests${problems.length ? `; ${problems.join('; ')}` : ''}` };
  } finally {
    await proxy.close();
  }
}

export const startup = (trials: number): Campaign => ({
  name: 'startup',
  promise: 'bounded retries and time, error names the server and what to check',
  trials,
  concurrency: 3,
  run: startupTrial,
});
