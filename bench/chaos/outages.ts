/**
 * API outages mid-run: the API server becomes unreachable (connections refused, open ones cut) for
 * a random 5–90 s at a random moment of the run: while the pod runs, during a burst of log lines,
 * or around the moment the Job completes. The real end is reported every time, every log line is
 * printed exactly once, and no step fails because of the outage alone.
 */
import { startApiServerFaultProxy } from '../../test/support/fault-proxy.js';
import { prng } from '../../test/support/prng.js';
import { runAction } from '../../test/support/run-action.js';
import { WatchingReporter } from './watching-reporter.js';
import { createSource, jobEnd, notOnce, numberedLines, runsOf, sleep, type Campaign, type ChaosWorld, type TrialResult } from './world.js';

const MOMENTS = ['mid-run', 'log-burst', 'at-completion'] as const;

export async function outageTrial(w: ChaosWorld, seed: number): Promise<TrialResult> {
  const r = prng(seed);
  const moment = r.pick(MOMENTS);
  const outageS = r.int(5, Math.max(5, w.outageMaxSeconds));
  const durationS = r.int(8, 25);
  const fail = r.chance(0.3);
  const burst = moment === 'log-burst';
  const lines = numberedLines('line', burst ? 300 : 20);
  const interval = burst ? '10ms' : `${Math.floor((durationS * 1000) / 21)}ms`;
  const source = `outage-${seed.toString(36)}`;
  await createSource(w, source, { SIM_DURATION: `${durationS}s`, SIM_LOG: lines.join('|'), SIM_LOG_INTERVAL: interval, ...(fail ? { SIM_EXIT_CODE: '3' } : {}) });
  const proxy = await startApiServerFaultProxy(w.admin);
  const reporter = new WatchingReporter();
  let outageAt = -1;
  const drawn = `${moment}, outage ${outageS} s, Job ${durationS} s${fail ? ' exit 3' : ''}`;
  const outage = (async () => {
    await reporter.printed(/→ Running/);
    const t0 = Date.now();
    if (moment === 'mid-run') await sleep(r.int(0, durationS * 1000));
    else if (moment === 'log-burst') await reporter.printed(/^line-0[0-9][0-9]$/).then(() => sleep(r.int(0, 2000)));
    else await sleep(Math.max(0, durationS * 1000 - 1500 + r.int(0, 3000)));
    outageAt = Date.now() - t0;
    await proxy.setDown(true);
    await sleep(outageS * 1000);
    await proxy.setDown(false);
  })();
  try {
    const run = await runAction(proxy.kubeConfig, { job: source, namespace: w.namespace, timeout: '10m' }, { reporter });
    await proxy.setDown(false);
    const jobs = await runsOf(w, source);
    const job = jobs[0];
    const problems: string[] = [];
    if (jobs.length !== 1) problems.push(`${jobs.length} Jobs made`);
    const real = jobEnd(job);
    const want = real === 'Complete' ? 'Success' : real;
    if (run.reporter.outputs.status !== want) problems.push(`reported status ${run.reporter.outputs.status}, real end ${real}`);
    if (real === 'Complete' && run.error) problems.push(`step failed: ${run.error.message}`);
    if (real === 'Failed' && !/exit code 3|BackoffLimitExceeded/.test(run.error?.message ?? '')) problems.push(`failure not the Job's own: ${run.error?.message ?? 'no error'}`);
    const missing = notOnce(run.reporter.lines, lines);
    if (missing.length > 0) problems.push(`${missing.length} log lines not printed once (${missing.slice(0, 3).join(', ')})`);
    return { ok: problems.length === 0, detail: `${drawn}, outage began ${outageAt} ms after Running${problems.length ? `; ${problems.join('; ')}` : ''}` };
  } finally {
    await Promise.race([outage, sleep(1000)]);
    await proxy.close();
  }
}

export const outages = (trials: number): Campaign => ({
  name: 'api-outages',
  promise: 'real end reported, each log line once, no step failed by the outage',
  trials,
  concurrency: 4,
  run: outageTrial,
});
