/**
 * Kueue: a Job with label `kueue.x-k8s.io/queue-name` is held suspended until its queue admits
 * it (Kueue's Job webhook sets `spec.suspend: true` at creation; admission sets it false; eviction
 * or preemption sets it true again and clears `status.startTime`). The Job then carries
 * `Suspended=True` reason `JobSuspended`, exactly like a Job a person suspended: only Kueue's marks
 * on the Job tell the two apart (beyond-notes §3.3). Pure.
 *
 * The Job cannot say why it waits; its Workload can (workloadState below; run/queue-watch.ts
 * reads it when permitted).
 */
import type { V1Job } from '@kubernetes/client-node';
import { jobPath } from './errors.js';

/** The label that puts a Job in a Kueue LocalQueue (kueue `pkg/controller/constants`). */
export const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
/** `spec.managedBy` of a Job MultiKueue runs on a worker cluster. */
export const MULTIKUEUE_MANAGED_BY = 'kueue.x-k8s.io/multikueue';

/** The LocalQueue a Job is in, or undefined when Kueue does not manage it. */
export function queueOf(job: V1Job): string | undefined {
  const label = job.metadata?.labels?.[QUEUE_LABEL];
  if (label !== undefined && label !== '') return label;
  return job.spec?.managedBy === MULTIKUEUE_MANAGED_BY ? '(MultiKueue)' : undefined;
}

/**
 * Whether Kueue holds the Job: managed by Kueue, and suspended (the condition, or `spec.suspend`
 * before the Job controller has written the condition). A finished Job is never held.
 */
export function heldByKueue(job: V1Job): boolean {
  if (queueOf(job) === undefined) return false;
  const conditions = job.status?.conditions ?? [];
  if (conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return false;
  const suspended = conditions.find((c) => c.type === 'Suspended');
  return suspended !== undefined ? suspended.status === 'True' : job.spec?.suspend === true;
}

/** What changes the queue line: it is printed once per distinct value, not per event. */
export function queueKey(job: V1Job): string {
  const c = (job.status?.conditions ?? []).find((x) => x.type === 'Suspended' && x.status === 'True');
  return `${queueOf(job) ?? ''}|${c?.reason ?? ''}|${c?.message ?? ''}`;
}

/**
 * The line for a Job Kueue holds. `wasRunning`: it had started before, so Kueue evicted or
 * preempted it and re-queued it.
 */
export function queueLine(job: V1Job, namespace: string, wasRunning: boolean): string {
  const queue = queueOf(job) ?? '';
  const c = (job.status?.conditions ?? []).find((x) => x.type === 'Suspended' && x.status === 'True');
  const condition = c === undefined ? '' : ` (Suspended: ${c.reason ?? ''}${c.message ? `, '${c.message}'` : ''})`;
  const where = `LocalQueue '${queue}' of namespace ${namespace}`;
  const path = jobPath(namespace, job.metadata?.name ?? '');
  return wasRunning
    ? `Re-queued: Kueue stopped ${path} (evicted or preempted)${condition}; it waits in ${where} to be admitted again. Waiting; the timeout includes the time queued.`
    : `Queued: ${path} waits in ${where} until Kueue admits it${condition}. Waiting; the timeout includes the time queued.`;
}

/** The timeout message of a run still queued: where it waited, and what to check. */
export function queuedTimeout(job: V1Job, namespace: string, seconds: number, deleted: boolean): string {
  const path = jobPath(namespace, job.metadata?.name ?? '');
  return `The timeout of ${seconds} s passed while ${path} was still queued in LocalQueue '${queueOf(job) ?? ''}' of namespace ${namespace} (not admitted); ` +
    `it was ${deleted ? 'deleted' : 'already gone'}. Check the queue's ClusterQueue quota (kubectl get workloads -n ${namespace}), ` +
    `or raise 'timeout'. If Kueue does not manage this namespace, remove label ${QUEUE_LABEL} (or input 'queue').`;
}

/** The fields of a Kueue Workload (kueue.x-k8s.io v1beta1/v1beta2) the action reads. */
export interface KueueWorkload {
  readonly metadata?: { readonly name?: string };
  readonly status?: {
    readonly conditions?: ReadonlyArray<{ readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }>;
    readonly admission?: { readonly clusterQueue?: string };
  };
}

/** The label Kueue puts on a Job's Workload (kueue pkg/controller/constants JobUIDLabel). */
export const WORKLOAD_JOB_UID_LABEL = 'kueue.x-k8s.io/job-uid';

export type WorkloadPhase = 'pending' | 'admitted' | 'evicted' | 'finished';

export interface WorkloadState {
  readonly phase: WorkloadPhase;
  readonly reason: string;
  readonly message: string;
}

/**
 * How a Workload's conditions read (kueue apis/kueue/v1beta2/workload_types.go): Finished, then
 * Evicted (Preempted, PodsReadyTimeout, ClusterQueueStopped...), then Admitted; otherwise pending,
 * with QuotaReserved=False's reason (Pending in Kueue v0.15, with the scheduler's message) or
 * Admitted=False's (admission checks) as the why.
 */
export function workloadState(wl: KueueWorkload): WorkloadState {
  const conditions = wl.status?.conditions ?? [];
  const get = (type: string, status: string) => conditions.find((c) => c.type === type && c.status === status);
  const of = (phase: WorkloadPhase, c: { reason?: string; message?: string } | undefined, fallback: string): WorkloadState =>
    ({ phase, reason: c?.reason ?? fallback, message: c?.message ?? '' });
  const finished = get('Finished', 'True');
  if (finished) return of('finished', finished, 'Finished');
  const evicted = get('Evicted', 'True');
  if (evicted) return of('evicted', evicted, 'Evicted');
  const admitted = get('Admitted', 'True');
  if (admitted) {
    const cq = wl.status?.admission?.clusterQueue;
    return { phase: 'admitted', reason: admitted.reason ?? 'Admitted', message: admitted.message || (cq ? `Admitted by ClusterQueue ${cq}` : '') };
  }
  const waiting = get('QuotaReserved', 'False') ?? get('Admitted', 'False');
  if (waiting) return of('pending', waiting, 'Pending');
  return { phase: 'pending', reason: 'Pending', message: 'Kueue has not evaluated it yet' };
}

/** The log line for a Workload's state. */
export function workloadLine(wl: KueueWorkload, state: WorkloadState): string {
  const what: Record<WorkloadPhase, string> = { pending: 'waits', admitted: 'admitted', evicted: 'evicted', finished: 'finished' };
  return `Kueue: Workload ${wl.metadata?.name ?? ''} ${what[state.phase]} (${state.reason}${state.message === '' ? '' : `: ${state.message}`}).`;
}
