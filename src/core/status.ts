/** Seed 000's status table, decoded from a Job's status. Pure. */
import type { V1Job } from '@kubernetes/client-node';
import { heldByKueue } from './queue.js';

export type RunStatus = 'Success' | 'Failed' | 'Cancelled' | 'Queued' | 'Running' | 'Starting' | 'Unknown';

export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set(['Success', 'Failed', 'Cancelled']);

function conditionTrue(job: V1Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/**
 * | condition / state                           | status    |
 * | Complete=True                               | Success   |
 * | Failed=True                                 | Failed    |
 * | held by Kueue (queue-name label, suspended) | Queued    |
 * | Suspended=True (no Kueue: a person did it)  | Cancelled |
 * | active > 0 or startTime set                 | Running   |
 * | no conditions and no startTime              | Starting  |
 * | otherwise (e.g. only FailureTarget=True)    | Unknown   |
 */
export function decodeStatus(job: V1Job): RunStatus {
  if (conditionTrue(job, 'Complete')) return 'Success';
  if (conditionTrue(job, 'Failed')) return 'Failed';
  if (heldByKueue(job)) return 'Queued';
  if (conditionTrue(job, 'Suspended')) return 'Cancelled';
  const status = job.status ?? {};
  if ((status.active ?? 0) > 0 || status.startTime !== undefined) return 'Running';
  if ((status.conditions ?? []).length === 0) return 'Starting';
  return 'Unknown';
}

/** Reason of the condition that decided the status (e.g. BackoffLimitExceeded), if any. */
export function terminalReason(job: V1Job): string | undefined {
  for (const type of ['Complete', 'Failed', 'Suspended']) {
    const c = (job.status?.conditions ?? []).find((x) => x.type === type && x.status === 'True');
    if (c) return c.reason ?? undefined;
  }
  return undefined;
}
