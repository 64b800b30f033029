/**
 * Discovery over 5 000 Jobs and 200 CronJobs (all suspended: nothing runs): wall time, peak RSS
 * and CPU time of the discover action, and the list pages it fetched (counted by a proxy).
 */
import { BatchV1Api } from '@kubernetes/client-node';
import { startApiProxy } from '../test/support/api-proxy.js';
import { sourceCronJob, sourceJob } from '../test/support/sources.js';
import { runAction } from './action.js';
import { createNamespace, type BenchContext } from './context.js';

const NS = 'bench-discovery';
const JOBS = 5000;
const CRONJOBS = 200;

/** Creates `count` objects, `width` requests at a time. */
async function createMany(count: number, width: number, create: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < count; i = next++) await create(i);
  }));
}

export async function benchDiscovery(ctx: BenchContext) {
  await createNamespace(ctx, NS);
  const batch = ctx.kc.makeApiClient(BatchV1Api);
  const t0 = performance.now();
  await createMany(JOBS, 16, (i) => batch.createNamespacedJob({ namespace: NS, body: sourceJob(`job-${i}`, { env: { SIM_DURATION: '1s', MODE: 'full' } }) }));
  await createMany(CRONJOBS, 16, (i) => batch.createNamespacedCronJob({ namespace: NS, body: sourceCronJob(`cron-${i}`, { env: { MODE: 'full' } }) }));
  const seedMs = performance.now() - t0;
  const proxy = await startApiProxy(ctx.kc);
  const action = await runAction({ namespace: NS, kubeconfig: proxy.kubeconfigText }, { step: 'discover', usage: true });
  await proxy.close();
  const pages = proxy.requests.filter((r) => /\/(jobs|cronjobs)\?/.test(r.path) && r.path.includes('limit=')).length;
  return {
    jobs: JOBS,
    cronJobs: CRONJOBS,
    exitCode: action.code,
    actionMs: Math.round(action.ms),
    cpuMs: action.usage?.cpuMs,
    maxRssMb: action.usage?.maxRssMb,
    pages,
    requests: proxy.requests.length,
    outputBytes: Object.values(action.outputs).reduce((n, v) => n + v.length, 0),
    seedMs: Math.round(seedMs),
  };
}
