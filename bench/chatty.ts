/**
 * Chatty: one pod writing 50 000 lines as fast as the simulator paces them (20 µs apart, a one
 * second burst). All printed once and in order; the action's peak RSS (bounded: no buffering of
 * the whole log) and CPU time; and how long after the last line was written it was printed.
 */
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { sourceCronJob } from '../test/support/sources.js';
import { runAction } from './action.js';
import { createNamespace, deleteJobs, type BenchContext } from './context.js';

const NS = 'bench-chatty';
const LINES = 50_000;

export async function benchChatty(ctx: BenchContext) {
  await createNamespace(ctx, NS);
  await ctx.kc.makeApiClient(BatchV1Api).createNamespacedCronJob({
    namespace: NS,
    body: sourceCronJob('chatty', { env: { SIM_LOG_LINES: String(LINES), SIM_LOG_INTERVAL: '20us' } }),
  });
  let lastPrintedAt: number | undefined;
  let tail = '';
  const action = await runAction({ namespace: NS, kubeconfig: ctx.kubeconfig, cronjob: 'chatty' }, {
    usage: true,
    onStdout: (chunk) => {
      // The last line can straddle two chunks.
      tail = (tail + chunk).slice(-64);
      if (lastPrintedAt === undefined && tail.includes(`\nline ${LINES}\n`)) lastPrintedAt = Date.now();
    },
  });
  const numbers = action.stdout.split('\n').flatMap((l) => (/^line (\d+)$/.exec(l) ? [Number(l.slice(5))] : []));
  const inOrder = numbers.every((n, i) => n === i + 1);
  // The kubelet's timestamp of the last line: when the container wrote it.
  const core = ctx.kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace: NS, labelSelector: `job-name=${action.outputs['run-id'] ?? ''}` });
  const pod = pods.items[0]?.metadata?.name ?? '';
  const last = await core.readNamespacedPodLog({ namespace: NS, name: pod, container: 'main', timestamps: true, tailLines: 1 });
  const writtenAt = Date.parse(String(last).split(' ')[0] ?? '');
  await deleteJobs(ctx, NS);
  return {
    status: action.outputs.status,
    actionMs: Math.round(action.ms),
    linesWritten: LINES,
    linesPrinted: numbers.length,
    allOnceInOrder: numbers.length === LINES && inOrder,
    cpuMs: action.usage?.cpuMs,
    maxRssMb: action.usage?.maxRssMb,
    lastLineDelayMs: lastPrintedAt === undefined || Number.isNaN(writtenAt) ? undefined : lastPrintedAt - writtenAt,
  };
}
