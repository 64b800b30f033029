/**
 * How a Job ended, read from the Job controller's events when the Job itself is gone and its
 * end was never seen (the watch was down while a TTL of 0 or a CronJob's history limit deleted
 * it). Events outlive their object (an hour by default, kube-apiserver --event-ttl). The
 * controller records `Normal Completed "Job completed"` on success and a Warning with the Failed
 * condition's reason on failure (pkg/controller/job/job_controller.go). Pure.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import type { RunStatus } from './status.js';

const FAILED_REASONS: ReadonlySet<string> = new Set([
  'BackoffLimitExceeded', 'DeadlineExceeded', 'PodFailurePolicy', 'MaxFailedIndexesExceeded', 'FailedIndexes',
]);

export interface RecoveredEnd {
  readonly status: RunStatus;
  readonly reason: string;
  readonly message: string;
}

/** The end the events of the Job with this uid record, if they record one. */
export function endFromEvents(events: readonly CoreV1Event[], uid: string): RecoveredEnd | undefined {
  const ours = events.filter((e) => e.involvedObject.uid === uid);
  const done = ours.find((e) => e.type === 'Normal' && e.reason === 'Completed');
  if (done) return { status: 'Success', reason: 'Completed', message: done.message ?? 'Job completed' };
  const failed = ours.find((e) => e.type === 'Warning' && FAILED_REASONS.has(e.reason ?? ''));
  if (failed) return { status: 'Failed', reason: failed.reason ?? '', message: failed.message ?? '' };
  return undefined;
}
