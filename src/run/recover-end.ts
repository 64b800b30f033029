/**
 * The Job disappeared while the watch was down, so its end was never seen. A TTL of 0 or a
 * CronJob's history limit deletes a finished Job at once, so "deleted by someone else" would
 * be a guess: read the Job controller's events instead, and say plainly when they do not tell.
 */
import { jobPath } from '../core/errors.js';
import type { JobCluster } from '../core/ports.js';
import { endFromEvents } from '../core/recovered-end.js';
import type { RunStatus } from '../core/status.js';
import type { FollowOutcome } from './follow-job.js';

export interface EndReport {
  status: RunStatus;
  reason: string | undefined;
  why: string | undefined;
}

export async function recoverEnd(cluster: JobCluster, namespace: string, outcome: FollowOutcome): Promise<EndReport> {
  const name = outcome.job.metadata?.name ?? '';
  const path = jobPath(namespace, name);
  const events = await cluster.jobEvents(namespace, name).catch(() => []);
  const recovered = endFromEvents(events, outcome.job.metadata?.uid ?? '');
  const lastSeen = `last seen ${outcome.status}`;
  if (recovered) {
    return {
      status: recovered.status,
      reason: recovered.reason,
      why: `${path} was already deleted when the action could watch it again (${lastSeen}); its end is taken from the Job controller's event "${recovered.reason}: ${recovered.message}".`,
    };
  }
  return {
    status: 'Unknown',
    reason: 'JobGone',
    why:
      `${path} disappeared while the action could not watch it (${lastSeen}), and no event records how it ended. ` +
      'It may have finished and been removed by ttlSecondsAfterFinished or a CronJob history limit, or been deleted by someone; ' +
      'the outputs show the last pod states seen.',
  };
}
