/**
 * Follows a created Job to its end with the watch API: status transitions, progress, pod logs and
 * diagnostics. Finishes on the first terminal condition (Complete, Failed or Suspended), unlike
 * `kubectl wait`, which can only wait for one of them.
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { decodeStatus, TERMINAL_STATUSES, type RunStatus } from '../core/status.js';
import { progressLine } from '../core/summary.js';
import type { Clock, JobCluster, Reporter } from '../core/ports.js';
import { LogStreams } from './log-streams.js';
import { PodDiagnostics, type Stuck } from './pod-diagnostics.js';

export type FollowEnd = 'terminal' | 'deleted' | 'stuck' | 'aborted';

export interface FollowOutcome {
  readonly end: FollowEnd;
  /** Last state of the Job seen (the created object if nothing newer arrived). */
  readonly job: V1Job;
  readonly status: RunStatus;
  readonly stuck: Stuck | undefined;
  readonly pods: ReadonlyMap<string, V1Pod>;
  readonly lastLines: readonly string[];
}

export interface FollowOptions {
  readonly namespace: string;
  readonly job: V1Job;
  readonly followLogs: boolean;
  readonly maxLogStreams: number;
  readonly imagePullGraceMs: number;
}

export interface FollowDeps {
  readonly cluster: JobCluster;
  readonly reporter: Reporter;
  readonly clock: Clock;
}

const LOG_DRAIN_MS = 5000;
const STUCK_CHECK_MS = 5000;

export async function followJob(deps: FollowDeps, o: FollowOptions, signal: AbortSignal): Promise<FollowOutcome> {
  const stop = new AbortController();
  const inner = AbortSignal.any([signal, stop.signal]);
  const name = o.job.metadata?.name ?? '';
  const uid = o.job.metadata?.uid ?? '';
  const manyPods = (o.job.spec?.parallelism ?? 1) > 1;
  const logs = new LogStreams(deps.cluster, deps.reporter, o.namespace, o.maxLogStreams, manyPods, inner);
  const diagnostics = new PodDiagnostics(deps.cluster, deps.reporter, deps.clock, o.namespace, o.imagePullGraceMs);
  const pods = new Map<string, V1Pod>();
  let job = o.job;
  let status: RunStatus = decodeStatus(job);

  const jobLoop = async (): Promise<FollowEnd> => {
    let lastProgress = '';
    for await (const e of deps.cluster.watchJob(o.namespace, name, inner)) {
      if (e.job && e.job.metadata?.uid !== uid) return 'deleted'; // same name, different Job
      if (e.type === 'deleted') {
        // A CronJob's history limit or a TTL of 0 deletes the Job right after it finishes:
        // the DELETED event's last state still tells how it ended.
        if (e.job && TERMINAL_STATUSES.has(decodeStatus(e.job))) {
          job = e.job;
          status = decodeStatus(job);
          return 'terminal';
        }
        return 'deleted';
      }
      job = e.job;
      const next = decodeStatus(job);
      if (next !== status) deps.reporter.info(`Status: ${status} → ${next}`);
      status = next;
      // All-zero counters only mean "nothing counted yet" (just created, or a pod ended and the
      // controller has not counted it): not progress worth a line.
      const progress = hasCounts(job) ? progressLine(job) : lastProgress;
      if (progress !== lastProgress) deps.reporter.info(progress);
      lastProgress = progress;
      if (TERMINAL_STATUSES.has(status)) return 'terminal';
    }
    return 'aborted';
  };

  let stuck: Stuck | undefined;
  const checkPod = async (pod: V1Pod): Promise<boolean> => {
    stuck = await diagnostics.onPod(pod);
    return stuck !== undefined;
  };

  const podLoop = async (): Promise<FollowEnd> => {
    for await (const e of deps.cluster.watchPods(o.namespace, uid, inner)) {
      const podName = e.pod.metadata?.name ?? '';
      if (e.type === 'deleted') {
        pods.set(podName, e.pod);
        continue;
      }
      pods.set(podName, e.pod);
      if (o.followLogs) logs.onPod(e.pod);
      if (await checkPod(e.pod)) return 'stuck';
    }
    return new Promise<FollowEnd>(() => undefined); // only the job loop decides after an abort
  };

  // Backoff states may produce no further pod events: re-check stuck containers on a timer.
  const stuckTimer = async (): Promise<FollowEnd> => {
    while (!inner.aborted) {
      await deps.clock.sleep(Math.min(diagnostics.nextDeadlineIn() ?? STUCK_CHECK_MS, STUCK_CHECK_MS), inner).catch(() => undefined);
      for (const pod of pods.values()) if (!inner.aborted && (await checkPod(pod))) return 'stuck';
    }
    return new Promise<FollowEnd>(() => undefined);
  };

  const aborted = new Promise<FollowEnd>((resolve) => {
    if (signal.aborted) resolve('aborted');
    signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });

  let end: FollowEnd;
  try {
    const loops = [jobLoop(), podLoop(), stuckTimer()];
    // Losers of the race keep running until `stop` aborts them; their late errors are moot.
    for (const loop of loops) loop.catch(() => undefined);
    end = await Promise.race([...loops, aborted]);
    if (end === 'terminal') {
      await settlePods(pods, deps.clock, inner);
      if (o.followLogs) await logs.drain(LOG_DRAIN_MS);
    }
  } finally {
    stop.abort();
  }
  return { end, job, status, stuck, pods, lastLines: logs.tail() };
}

function hasCounts(job: V1Job): boolean {
  const s = job.status ?? {};
  return (s.active ?? 0) + (s.succeeded ?? 0) + (s.failed ?? 0) > 0 || Boolean(s.completedIndexes);
}

/** The Job's condition can arrive a moment before the last pod's final status: wait briefly. */
async function settlePods(pods: ReadonlyMap<string, V1Pod>, clock: Clock, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const open = [...pods.values()].some(
      (p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
    );
    if (!open) return;
    await clock.sleep(50, signal).catch(() => undefined);
  }
}
