/**
 * The small interfaces the pure core and the orchestrator depend on. Adapters implement them:
 * src/kubernetes (client-node), src/github (@actions/core), azure-devops (task-lib).
 * Kubernetes objects use client-node's model types (type-only imports: no runtime coupling).
 */
import type { CoreV1Event, V1CronJob, V1Job, V1Pod } from '@kubernetes/client-node';

/** `deleted` carries the object's last state when the watch saw it (a DELETED event), not after a re-list. */
export type JobWatchEvent = { readonly type: 'changed'; readonly job: V1Job } | { readonly type: 'deleted'; readonly job?: V1Job };
export type PodWatchEvent = { readonly type: 'changed' | 'deleted'; readonly pod: V1Pod };

export interface Page<T> {
  readonly items: readonly T[];
  readonly continueToken: string | undefined;
}

/** Everything the action asks of the Kubernetes API. Errors are KubernetesApiError (errors.ts). */
export interface JobCluster {
  /** undefined when the Job does not exist (404). */
  readJob(namespace: string, name: string): Promise<V1Job | undefined>;
  readCronJob(namespace: string, name: string): Promise<V1CronJob | undefined>;
  /**
   * Creates the Job with a field manager. Transient failures (connection reset, 429 with
   * Retry-After, 5xx) are retried under the same name; an AlreadyExists for a Job that carries
   * our own run identity is adopted, never duplicated.
   */
  createJob(namespace: string, job: V1Job, options: { dryRun: boolean; signal: AbortSignal }): Promise<V1Job>;
  /** propagationPolicy Background with a uid precondition; 'not-found' on 404 or uid mismatch. */
  deleteJob(namespace: string, name: string, uid: string | undefined): Promise<'deleted' | 'not-found'>;
  /** List + watch by name from the list's resourceVersion; re-lists on 410 or stream end. */
  watchJob(namespace: string, name: string, signal: AbortSignal): AsyncIterable<JobWatchEvent>;
  /** Pods of the Job (label batch.kubernetes.io/controller-uid), list + watch. */
  watchPods(namespace: string, jobUid: string, signal: AbortSignal): AsyncIterable<PodWatchEvent>;
  /** Follows one container's log; resolves when the stream ends or the signal aborts. */
  followLog(
    namespace: string,
    pod: string,
    container: string,
    onLine: (line: string) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /** Events whose involvedObject is the named Pod. */
  podEvents(namespace: string, pod: string): Promise<CoreV1Event[]>;
  listJobs(namespace: string, continueToken: string | undefined, limit: number): Promise<Page<V1Job>>;
  listCronJobs(namespace: string, continueToken: string | undefined, limit: number): Promise<Page<V1CronJob>>;
}

/** The platform the step runs on (GitHub Actions, Azure DevOps): logs, outputs, state, summary. */
export interface Reporter {
  info(message: string): void;
  debug(message: string): void;
  notice(message: string, title?: string): void;
  warning(message: string, title?: string): void;
  error(message: string, title?: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  setSecret(value: string): void;
  /** Markdown for the job summary (GITHUB_STEP_SUMMARY, or an Azure DevOps attachment). */
  writeSummary(markdown: string): Promise<void>;
}

/** Time, injected so no unit test really sleeps. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}
