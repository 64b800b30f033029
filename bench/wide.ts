/**
 * Wide: an Indexed Job of 300 completions, 60 at a time, five log lines a pod. Wall time against
 * kubectl create --from + wait on the same Job; the action's CPU time, peak RSS and requests
 * (counted by a proxy); every line printed, once.
 */
import { BatchV1Api } from '@kubernetes/client-node';
import { startApiProxy } from '../test/support/api-proxy.js';
import { sourceCronJob } from '../test/support/sources.js';
import { runAction } from './action.js';
import { createNamespace, deleteJobs, kubectlRun, type BenchContext } from './context.js';

const NS = 'bench-wide';
const COMPLETIONS = 300;
const LINES = ['one', 'two', 'three', 'four', 'five'];

export async function benchWide(ctx: BenchContext) {
  await createNamespace(ctx, NS);
  await ctx.kc.makeApiClient(BatchV1Api).createNamespacedCronJob({
    namespace: NS,
    body: sourceCronJob('wide', {
      env: { SIM_LOG: LINES.join('|'), SIM_LOG_INTERVAL: '50ms' },
      spec: { completions: COMPLETIONS, parallelism: 60, completionMode: 'Indexed', backoffLimit: 0 },
    }),
  });
  const proxy = await startApiProxy(ctx.kc);
  const action = await runAction({ namespace: NS, kubeconfig: proxy.kubeconfigText, cronjob: 'wide', timeout: '20m' }, { usage: true });
  await proxy.close();
  const printed = new Map<string, number>();
  for (const line of action.stdout.split('\n')) {
    const m = /^\[([^\]/]+)\] (\w+)$/.exec(line);
    if (m && LINES.includes(m[2] ?? '')) printed.set(`${m[1]} ${m[2]}`, (printed.get(`${m[1]} ${m[2]}`) ?? 0) + 1);
  }
  const pods = new Set([...printed.keys()].map((k) => k.split(' ')[0]));
  const kubectlMs = await kubectlRun(ctx, NS, 'wide', 'kubectl-wide', 1200);
  await deleteJobs(ctx, NS);
  return {
    status: action.outputs.status,
    actionMs: Math.round(action.ms),
    kubectlMs: Math.round(kubectlMs),
    ratio: action.ms / kubectlMs,
    cpuMs: action.usage?.cpuMs,
    maxRssMb: action.usage?.maxRssMb,
    linesWritten: COMPLETIONS * LINES.length,
    linesPrinted: [...printed.values()].reduce((a, b) => a + b, 0),
    linesPrintedTwice: [...printed.values()].filter((n) => n > 1).length,
    podsWithAllLines: [...pods].filter((p) => LINES.every((l) => printed.has(`${p} ${l}`))).length,
    requests: proxy.requests.length,
  };
}
