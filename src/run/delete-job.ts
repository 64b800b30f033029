/**
 * The delete that ends a stopped run, retried while the API server does not answer, throttles or
 * fails (no response, 429, 5xx) until a deadline. On cancel the GitHub runner and the Azure
 * Pipelines agent alike send SIGINT, SIGTERM 7.5 s later and kill the process 2.5 s after that
 * (actions/runner and azure-pipelines-agent ProcessInvoker.cs): a delete that meets a brief outage
 * (an API server restart, a tunnel reconnect) keeps trying inside that window instead of giving up
 * at once and leaving the Job running until the post step.
 */
import { isTransient, jobPath, KubernetesApiError } from '../core/errors.js';
import type { Clock, JobCluster, Reporter } from '../core/ports.js';

/** From the signal to the last attempt: SIGINT + 7.5 s + 2.5 s is the kill; 1 s is left to report. */
export const STOP_GRACE_MS = 9000;
const DELAYS_MS = [250, 500, 1000];

export interface DeleteDeps {
  readonly cluster: JobCluster;
  readonly clock: Clock;
  readonly reporter: Reporter;
}

/** Deletes jobs/<namespace>/<name>, retrying transient failures until `deadline` (a clock time). */
export async function deleteJobBefore(
  deps: DeleteDeps,
  job: { readonly namespace: string; readonly name: string; readonly uid: string | undefined },
  deadline: number,
): Promise<'deleted' | 'not-found'> {
  // The run's signal has fired already: the waits between attempts answer only to the deadline.
  const never = new AbortController().signal;
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.cluster.deleteJob(job.namespace, job.name, job.uid);
    } catch (err) {
      const delay = Math.min(DELAYS_MS[attempt] ?? DELAYS_MS.at(-1) ?? 1000, deadline - deps.clock.now());
      if (!(err instanceof KubernetesApiError) || !isTransient(err) || delay <= 0) throw err;
      deps.reporter.info(`Delete of ${jobPath(job.namespace, job.name)} failed (${err.message}); retrying in ${delay} ms.`);
      await deps.clock.sleep(delay, never);
    }
  }
}
