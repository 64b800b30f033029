/**
 * Kueue's events, read when the Workloads themselves may not be (the README's minimal Role grants
 * events but not workloads.kueue.x-k8s.io). Kueue's Job reconciler names the Workload in an event
 * on the Job (pkg/controller/jobframework/reconciler.go: CreatedWorkload "Created Workload:
 * <ns>/<name>"); its scheduler records on the Workload why it waits (Warning Pending, with the
 * same message as QuotaReserved=False) and Admitted, its preemptor Preempted
 * (pkg/scheduler/scheduler.go, pkg/scheduler/preemption/preemption.go). Pure.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import type { WorkloadPhase, WorkloadState } from './queue.js';

/** The Workload Kueue created for the Job, from its CreatedWorkload event on the Job. */
export function workloadNameFromJobEvents(events: readonly CoreV1Event[]): string | undefined {
  const created = events.find((e) => e.reason === 'CreatedWorkload' && e.message?.startsWith('Created Workload: '));
  const key = created?.message?.slice('Created Workload: '.length).trim();
  return key === undefined || key === '' ? undefined : key.slice(key.indexOf('/') + 1);
}

/**
 * How a Workload event's reason reads as a state; reasons not listed say nothing about the queue
 * (QuotaReserved is recorded in the same second as Admitted when no admission check waits).
 */
const EVENT_PHASES: Readonly<Record<string, WorkloadPhase>> = {
  Pending: 'pending',
  SecondPassFailed: 'pending',
  Admitted: 'admitted',
  Preempted: 'evicted',
  EvictedDueToPreempted: 'evicted',
  EvictedDueToPodsReadyTimeout: 'evicted',
  EvictedDueToAdmissionCheck: 'evicted',
  EvictedDueToClusterQueueStopped: 'evicted',
  EvictedDueToLocalQueueStopped: 'evicted',
  EvictedDueToInactiveWorkload: 'evicted',
};

/** Same-second events (legacy events carry whole seconds) sort in the order Kueue records them. */
const ORDER: Readonly<Record<WorkloadPhase, number>> = { evicted: 0, pending: 1, admitted: 2, finished: 3 };

function eventTime(e: CoreV1Event): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return t === undefined ? 0 : new Date(t).getTime();
}

export interface WorkloadEvent {
  /** Identifies one occurrence: the Event object and its count (repeats raise the count). */
  readonly key: string;
  readonly state: WorkloadState;
}

/** A Workload's events that say something about its queue state, oldest first. */
export function workloadEventStates(events: readonly CoreV1Event[]): WorkloadEvent[] {
  return events
    .flatMap((e) => {
      const phase = EVENT_PHASES[e.reason ?? ''];
      if (phase === undefined) return [];
      const key = `${e.metadata?.uid ?? e.metadata?.name ?? ''}|${e.count ?? e.series?.count ?? 1}`;
      return [{ key, time: eventTime(e), state: { phase, reason: e.reason ?? '', message: e.message ?? '' } }];
    })
    .sort((a, b) => a.time - b.time || ORDER[a.state.phase] - ORDER[b.state.phase])
    .map(({ key, state }) => ({ key, state }));
}
