/**
 * The post step's work: delete the Job only if the main step created it and did not see it finish.
 * A finished Job is never deleted (its TTL cleans it up); 404 means nothing to do.
 */
import { jobPath } from '../core/errors.js';
import { Annotation } from '../core/names.js';
import type { Clock, JobCluster, Reporter } from '../core/ports.js';
import { decodeStatus, TERMINAL_STATUSES } from '../core/status.js';
import { retryTransient } from './retry-transient.js';

export interface SavedRun {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly finished: boolean;
  /** The submission's id annotation: identifies the Job when the uid never arrived. */
  readonly submissionId: string;
}

export type CleanupResult = 'no-job' | 'finished' | 'gone' | 'deleted';

/**
 * `connectCluster` is called only when there is a Job to check, so a run that created none signs in
 * to nothing. The read and the delete are retried on transient failures (both are idempotent: the
 * delete carries the uid precondition), so one 503 does not leave the Job running.
 */
export async function cleanupJob(saved: SavedRun, connectCluster: () => Promise<JobCluster>, reporter: Reporter, clock: Clock): Promise<CleanupResult> {
  if (!saved.name) {
    reporter.debug('No Job was created by the main step: nothing to clean up.');
    return 'no-job';
  }
  const path = jobPath(saved.namespace, saved.name);
  if (saved.finished) {
    reporter.info(`The main step saw ${path} to its end: nothing to clean up.`);
    return 'finished';
  }
  const cluster = await connectCluster();
  const retry = { clock, onRetry: (err: Error, delayMs: number) => reporter.info(`${err.message} Retrying in ${delayMs} ms.`) };
  const job = await retryTransient(() => cluster.readJob(saved.namespace, saved.name), retry);
  const ours = saved.uid
    ? job?.metadata?.uid === saved.uid
    : job?.metadata?.annotations?.[Annotation.submissionId] === saved.submissionId && saved.submissionId !== '';
  if (!job || !ours) {
    reporter.info(`${path} is already gone: nothing to clean up.`);
    return 'gone';
  }
  const status = decodeStatus(job);
  if (TERMINAL_STATUSES.has(status)) {
    reporter.info(`${path} already finished (${status}): left in place for its TTL.`);
    return 'finished';
  }
  const result = await retryTransient(() => cluster.deleteJob(saved.namespace, saved.name, saved.uid || undefined), retry);
  if (result === 'not-found') {
    reporter.info(`${path} is already gone: nothing to clean up.`);
    return 'gone';
  }
  reporter.warning(`Deleted ${path} (${status}): the main step ended before the Job finished.`, 'Unfinished Job deleted');
  return 'deleted';
}
