/**
 * The small interfaces the pure core and the orchestrator depend on. Adapters implement them:
 * src/kubernetes (client-node), src/github (@actions/core), azure-devops (task-lib).
 * Kubernetes objects use client-node's model types (type-only imports: no runtime coupling).
 */
import type { KueueWorkload } from './queue.js';
import type { CoreV1Event, V1CronJob, V1Job, V1Lease, V1Pod, V1Secret } from '@kubernetes/client-node';
import type { PlatformTerms } from './terms.js';

/** `deleted` carries the object's last state when the watch saw it (a DELETED event), not after a re-list. */
export type JobWatchEvent = { readonly type: 'changed'; readonly job: V1Job } | { readonly type: 'deleted'; readonly job?: V1Job };
export type PodWatchEvent = { readonly type: 'changed' | 'deleted'; readonly pod: V1Pod };

export interface Page<T> {
  readonly items: readonly T[];
  readonly continueToken: string | undefined;
}

/** One log line as the kubelet sent it: its timestamp (RFC 3339 with nanoseconds) and its text. */
export interface LogLine {
  readonly time: string;
  readonly text: string;
}

/** A lock taken as a coordination.k8s.io Lease (concurrency.ts lockName). */
export interface LeaseClaim {
  readonly name: string;
  /** spec.holderIdentity: the name of the Job the holder is about to create. */
  readonly holder: string;
  readonly durationSeconds: number;
  readonly acquiredAtMs: number;
  readonly labels: Readonly<Record<string, string>>;
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
  /**
   * Follows one container's log with the kubelet's timestamps (`timestamps=true`), from `sinceTime`
   * (RFC 3339, whole seconds, as the API takes it) when given. Resolves when the server ends the
   * stream, which it may do while the container still runs (a kubelet restart, a tunnel
   * reconnect), or when the signal aborts.
   */
  followLog(
    namespace: string,
    pod: string,
    container: string,
    onLine: (line: LogLine) => void,
    signal: AbortSignal,
    sinceTime?: string,
  ): Promise<void>;
  /** Events whose involvedObject is the named Pod. */
  podEvents(namespace: string, pod: string): Promise<CoreV1Event[]>;
  /** Events whose involvedObject is the named Job (the Job controller's FailedCreate, for one). */
  jobEvents(namespace: string, job: string): Promise<CoreV1Event[]>;
  /** Events whose involvedObject is the named Kueue Workload (why it waits, admission, preemption). */
  workloadEvents(namespace: string, workload: string): Promise<CoreV1Event[]>;
  listJobs(namespace: string, continueToken: string | undefined, limit: number): Promise<Page<V1Job>>;
  listCronJobs(namespace: string, continueToken: string | undefined, limit: number): Promise<Page<V1CronJob>>;
  /** Every Job matching a label selector (the runs of one source: concurrency.ts runSelector). */
  listJobsByLabel(namespace: string, labelSelector: string): Promise<V1Job[]>;
  /** Every Pod matching a label selector (e.g. batch.kubernetes.io/controller-uid=<uid>). */
  listPodsByLabel(namespace: string, labelSelector: string): Promise<V1Pod[]>;
  /** Creates the Lease `claim` describes, create-if-absent: 'exists' on AlreadyExists (someone else holds it). */
  createLease(namespace: string, claim: LeaseClaim): Promise<V1Lease | 'exists'>;
  readLease(namespace: string, name: string): Promise<V1Lease | undefined>;
  /** Delete only the Lease with these preconditions; 'not-found' on 404 or a failed precondition (409). */
  deleteLease(namespace: string, name: string, preconditions: { uid?: string; resourceVersion?: string }): Promise<'deleted' | 'not-found'>;
  /** Creates a Secret (secret params); the returned object is not kept, so values stay in one place. */
  createSecret(namespace: string, secret: V1Secret): Promise<void>;
  /**
   * Kueue's Workloads of a Job (label kueue.x-k8s.io/job-uid); 'absent' when the cluster has no
   * Workload API (Kueue not installed), 'forbidden' without permission to list them.
   */
  listWorkloads(namespace: string, jobUid: string): Promise<KueueWorkload[] | 'absent' | 'forbidden'>;
}

/** The platform the step runs on (GitHub Actions, Azure DevOps): logs, outputs, state, summary. */
export interface Reporter {
  /** The platform's words for its runs and machines, in messages and the cancellation reason. */
  readonly terms: PlatformTerms;
  info(message: string): void;
  debug(message: string): void;
  notice(message: string, title?: string): void;
  warning(message: string, title?: string): void;
  error(message: string, title?: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  setSecret(value: string): void;
  /** True when the summary renders ```mermaid blocks (GitHub's does; Azure DevOps attachments do not). */
  readonly rendersMermaid?: boolean;
  /** Markdown for the job summary (GITHUB_STEP_SUMMARY, or an Azure DevOps attachment). */
  writeSummary(markdown: string): Promise<void>;
}

/** Time, injected so no unit test really sleeps. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}
