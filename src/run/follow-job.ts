/**
 * Follows a created Job to its end with the watch API: status transitions, progress, pod logs and
 * diagnostics. Finishes on the first terminal condition (Complete, Failed or Suspended), unlike
 * `kubectl wait`, which can only wait for one of them.
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { decodeStatus, TERMINAL_STATUSES, type RunStatus } from '../core/status.js';
import { appContainerName } from '../core/outputs.js';
import { queueKey, queueLine } from '../core/queue.js';
import { appEndIgnoringSidecars, lingeringSidecarWarning, type AppEnd } from '../core/sidecars.js';
import { progressLine } from '../core/summary.js';
import type { Clock, JobCluster, Reporter } from '../core/ports.js';
import { LogStreams } from './log-streams.js';
import { secretParamsName } from '../core/secret-params.js';
import { JobEvents } from './job-events.js';
import { QueueWatch } from './queue-watch.js';
import { PodDiagnostics, type Stuck } from './pod-diagnostics.js';

/**
 * How following ended. `deleted`: a DELETED event showed the Job gone before it finished; `gone`:
 * a re-list (after the watch was down) found it missing, so how it ended was not seen; `app`: with
 * ignore-sidecars, the app container's end decided the run (appEnd) while sidecars still ran.
 */
export type FollowEnd = 'terminal' | 'deleted' | 'gone' | 'stuck' | 'aborted' | 'app';

export interface FollowOutcome {
  readonly end: FollowEnd;
  /** Last state of the Job seen (the created object if nothing newer arrived). */
  readonly job: V1Job;
  readonly status: RunStatus;
  readonly stuck: Stuck | undefined;
  readonly appEnd?: AppEnd | undefined;
  readonly pods: ReadonlyMap<string, V1Pod>;
  readonly lastLines: readonly string[];
}

export interface FollowOptions {
  readonly namespace: string;
  readonly job: V1Job;
  readonly followLogs: boolean;
  readonly maxLogStreams: number;
  readonly imagePullGraceMs: number;
  /** End on the app container's end, whatever legacy sidecars still run. */
  readonly ignoreSidecars?: boolean;
}

export interface FollowDeps {
  readonly cluster: JobCluster;
  readonly reporter: Reporter;
  readonly clock: Clock;
}

const LOG_DRAIN_MS = 5000;
const APP_END_SETTLE_MS = 1000;
const STUCK_CHECK_MS = 5000;
/** The first look at the Job's events, for a FailedCreate that leaves the Job without any pod. */
const FIRST_EVENTS_CHECK_MS = 1000;
/** The timer never wakes more often than this, whatever a deadline says. */
const MIN_TICK_MS = 200;

export async function followJob(deps: FollowDeps, o: FollowOptions, signal: AbortSignal): Promise<FollowOutcome> {
  const stop = new AbortController();
  const inner = AbortSignal.any([signal, stop.signal]);
  const name = o.job.metadata?.name ?? '';
  const uid = o.job.metadata?.uid ?? '';
  const manyPods = (o.job.spec?.parallelism ?? 1) > 1;
  const logs = new LogStreams(deps.cluster, deps.reporter, deps.clock, o.namespace, o.maxLogStreams, manyPods, inner);
  const diagnostics = new PodDiagnostics(deps.cluster, deps.reporter, deps.clock, o.namespace, o.imagePullGraceMs, secretParamsName(name));
  const events = new JobEvents(deps.cluster, deps.reporter, deps.clock, o.namespace, name, uid, o.imagePullGraceMs);
  const queueWatch = new QueueWatch(deps.cluster, deps.reporter, o.namespace, name, uid);
  const pods = new Map<string, V1Pod>();
  const deletedPods = new Set<string>();
  let job = o.job;
  let status: RunStatus = decodeStatus(job);

  const jobLoop = async (): Promise<FollowEnd> => {
    let lastProgress = '';
    let lastQueue = '';
    let ran = status === 'Running';
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
        return e.job ? 'deleted' : 'gone';
      }
      job = e.job;
      const next = decodeStatus(job);
      if (next !== status) deps.reporter.info(`Status: ${status} → ${next}`);
      // Leaving the queue: the Workload's admission (or end) is worth its line now, not at a tick.
      if (status === 'Queued' && next !== 'Queued') await queueWatch.check();
      status = next;
      // Kueue: why it waits, once per change (a re-queue after running is a change).
      const queue = status === 'Queued' ? queueKey(job) : '';
      if (queue !== '' && queue !== lastQueue) deps.reporter.info(queueLine(job, o.namespace, ran));
      // Re-queued: why (Preempted, ...) now, before a quick re-admission clears it.
      if (queue !== '' && lastQueue === '' && ran) await queueWatch.check();
      lastQueue = queue;
      ran = ran || status === 'Running';
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
  let appEnd: AppEnd | undefined;
  const app = appContainerName(o.job);
  const lingerWarned = new Set<string>();
  const checkPod = async (pod: V1Pod): Promise<boolean> => {
    const linger = o.ignoreSidecars === true || lingerWarned.has(pod.metadata?.name ?? '') ? undefined : lingeringSidecarWarning(pod, app);
    if (linger !== undefined) {
      lingerWarned.add(pod.metadata?.name ?? '');
      deps.reporter.warning(linger, 'Sidecar keeps the Job running');
    }
    stuck = await diagnostics.onPod(pod);
    return stuck !== undefined;
  };

  const podLoop = async (): Promise<FollowEnd> => {
    for await (const e of deps.cluster.watchPods(o.namespace, uid, inner)) {
      const podName = e.pod.metadata?.name ?? '';
      pods.set(podName, e.pod);
      if (e.type === 'deleted') {
        deletedPods.add(podName);
        diagnostics.forget(podName);
        logs.onPodDeleted(podName);
        continue;
      }
      if (o.followLogs) logs.onPod(e.pod);
      if (await checkPod(e.pod)) return 'stuck';
      appEnd = o.ignoreSidecars === true ? appEndIgnoringSidecars(job, [...pods.values()], app) : undefined;
      if (appEnd) return 'app';
    }
    return new Promise<FollowEnd>(() => undefined); // only the job loop decides after an abort
  };

  // Backoff states may produce no further pod events: re-check stuck containers on a timer, and
  // while no pod of the Job is alive, the Job's own events (FailedCreate).
  const stuckTimer = async (): Promise<FollowEnd> => {
    let next = FIRST_EVENTS_CHECK_MS;
    while (!inner.aborted) {
      const due = Math.min(next, diagnostics.nextDeadlineIn() ?? next, events.nextDeadlineIn() ?? next);
      await deps.clock.sleep(Math.max(MIN_TICK_MS, due), inner).catch(() => undefined);
      next = STUCK_CHECK_MS;
      if (status === 'Queued') await queueWatch.check();
      const live = [...pods.entries()].filter(([n]) => !deletedPods.has(n)).map(([, p]) => p);
      for (const pod of live) if (!inner.aborted && (await checkPod(pod))) return 'stuck';
      if (inner.aborted || TERMINAL_STATUSES.has(status) || live.some(isAlive)) continue;
      stuck = await events.check([...pods.values()], false);
      if (stuck) return 'stuck';
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
      await settlePods(job, pods, deps.clock, inner);
      if (o.followLogs) await logs.drain(LOG_DRAIN_MS);
    } else if (end === 'app' && o.followLogs) {
      // The sidecars' streams never end: give the app's own stream a moment, not a drain.
      await deps.clock.sleep(APP_END_SETTLE_MS, inner).catch(() => undefined);
    }
  } finally {
    stop.abort();
  }
  return { end, job, status, stuck, appEnd, pods, lastLines: logs.tail() };
}

function isAlive(pod: V1Pod): boolean {
  return !pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

function hasCounts(job: V1Job): boolean {
  const s = job.status ?? {};
  return (s.active ?? 0) + (s.succeeded ?? 0) + (s.failed ?? 0) > 0 || Boolean(s.completedIndexes);
}

/**
 * The Job's condition can arrive a moment before the last pod's final status, and for a Job that
 * was already finished when following began (attach, or a very short Job) before the pod list
 * itself: wait briefly for both, so the outputs and logs come from the pods that ran.
 */
async function settlePods(job: V1Job, pods: ReadonlyMap<string, V1Pod>, clock: Clock, signal: AbortSignal): Promise<void> {
  const ran = (job.status?.succeeded ?? 0) + (job.status?.failed ?? 0) > 0;
  for (let i = 0; i < 60; i++) {
    const listed = pods.size > 0 || !ran;
    const open = [...pods.values()].some(isAlive);
    if (listed && !open) return;
    await clock.sleep(50, signal).catch(() => undefined);
  }
}
