/** JobCluster over the Kubernetes API: JSON requests for reads and writes, streams for watches and logs (http.ts). */
import { V1MicroTime, type CoreV1Event, type KubeConfig, type V1CronJob, type V1Job, type V1Lease, type V1Pod, type V1Secret } from '@kubernetes/client-node';
import { KubernetesApiError, toApiError, type Target } from './api-error.js';
import { createWithRetry } from './create-job.js';
import { requestJson, streamLines, type JsonRequest, type Query } from './http.js';
import { listWatch } from './list-watch.js';
import { WORKLOAD_JOB_UID_LABEL, type KueueWorkload } from '../core/queue.js';
import type { Clock, JobCluster, JobWatchEvent, LeaseClaim, LogLine, Page, PodWatchEvent } from '../core/ports.js';

/** Server-side apply would also work; a plain create with a manager name keeps managedFields readable. */
export const FIELD_MANAGER = 'polysync-aks-action';

/**
 * Longest log line printed whole. Longer ones are cut with a note: a container that writes one
 * endless line (a progress bar without newlines, a binary dump) must not grow our memory with it.
 */
export const MAX_LOG_LINE_LENGTH = 64 * 1024;

/**
 * Longest one read, create, delete or list may take. A call that hangs (a half-open connection,
 * a stalled proxy) then fails like a lost answer, so `timeout`, a cancel or a retry can act; the
 * API server answers such calls in milliseconds. Streams (watches, logs) are not bounded here.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Aborted by `signal` or after REQUEST_TIMEOUT_MS. */
function bounded(signal?: AbortSignal): AbortSignal {
  const deadline = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

interface List<T> {
  readonly items: T[];
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
}

const BATCH = '/apis/batch/v1/namespaces';
const CORE = '/api/v1/namespaces';
const COORDINATION = '/apis/coordination.k8s.io/v1/namespaces';
const seg = encodeURIComponent;

export class KubeJobCluster implements JobCluster {
  /** Named in errors where no answer came (refused, reset, timed out). */
  private readonly server: string | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly clock: Clock,
    private readonly log: { debug(message: string): void; info(message: string): void } = { debug() {}, info() {} },
  ) {
    this.server = kc.getCurrentCluster()?.server;
  }

  /** One request, bounded by REQUEST_TIMEOUT_MS (and `signal`), its failure named by `target`. */
  private async call<T>(target: Target, request: Omit<JsonRequest, 'signal'> & { signal?: AbortSignal }): Promise<T> {
    try {
      return await requestJson<T>(this.kc, { ...request, signal: bounded(request.signal) }, target);
    } catch (err) {
      throw toApiError(err, { ...target, server: this.server });
    }
  }

  private list<T>(target: Target, path: string, query: Query, signal?: AbortSignal): Promise<List<T>> {
    return this.call<List<T>>(target, { method: 'GET', path, query, signal });
  }

  private async orUndefined<T>(target: Target, path: string): Promise<T | undefined> {
    try {
      return await this.call<T>(target, { method: 'GET', path });
    } catch (err) {
      if (err instanceof KubernetesApiError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  readJob(namespace: string, name: string): Promise<V1Job | undefined> {
    return this.orUndefined({ operation: 'read', object: `jobs/${namespace}/${name}`, namespace }, `${BATCH}/${seg(namespace)}/jobs/${seg(name)}`);
  }

  readCronJob(namespace: string, name: string): Promise<V1CronJob | undefined> {
    return this.orUndefined({ operation: 'read', object: `cronjobs/${namespace}/${name}`, namespace }, `${BATCH}/${seg(namespace)}/cronjobs/${seg(name)}`);
  }

  createJob(namespace: string, job: V1Job, options: { dryRun: boolean; signal: AbortSignal }): Promise<V1Job> {
    const name = job.metadata?.name ?? '';
    const objectPath = `jobs/${namespace}/${name}`;
    const dryRun = options.dryRun ? 'All' : undefined;
    return createWithRetry(
      job,
      {
        create: (body) =>
          this.call<V1Job>({ operation: 'create', object: objectPath, namespace }, {
            method: 'POST', path: `${BATCH}/${seg(namespace)}/jobs`, query: { dryRun, fieldManager: FIELD_MANAGER }, body, signal: options.signal,
          }),
        read: (n) => this.readJob(namespace, n),
      },
      {
        object: objectPath,
        clock: this.clock,
        signal: options.signal,
        onRetry: (err, delayMs) => this.log.info(`Create of ${objectPath} failed (${err.message}); retrying in ${delayMs} ms.`),
      },
    );
  }

  async deleteJob(namespace: string, name: string, uid: string | undefined): Promise<'deleted' | 'not-found'> {
    const objectPath = `jobs/${namespace}/${name}`;
    try {
      await this.call({ operation: 'delete', object: objectPath, namespace }, {
        method: 'DELETE',
        path: `${BATCH}/${seg(namespace)}/jobs/${seg(name)}`,
        // Background: the garbage collector removes the pods; batch/v1 would orphan them by default.
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', preconditions: uid ? { uid } : undefined },
      });
      return 'deleted';
    } catch (err) {
      // 409 with a uid precondition: a different Job now has this name; it is not ours to delete.
      if (err instanceof KubernetesApiError && (err.statusCode === 404 || err.statusCode === 409)) return 'not-found';
      throw err;
    }
  }

  async *watchJob(namespace: string, name: string, signal: AbortSignal): AsyncIterable<JobWatchEvent> {
    const fieldSelector = `metadata.name=${name}`;
    const objectPath = `jobs/${namespace}/${name}`;
    const events = listWatch<V1Job>(
      {
        kc: this.kc,
        clock: this.clock,
        target: { operation: 'watch', object: objectPath, namespace, server: this.server },
        path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
        query: { fieldSelector },
        list: async () => {
          const list = await this.list<V1Job>({ operation: 'list', object: objectPath, namespace }, `${BATCH}/${seg(namespace)}/jobs`, { fieldSelector }, signal);
          return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
        },
      },
      signal,
    );
    for await (const e of events) {
      if (e.type === 'listed') {
        const [job] = e.items;
        yield job ? { type: 'changed', job } : { type: 'deleted' };
      } else if (e.type === 'deleted') yield { type: 'deleted', job: e.object };
      else yield { type: 'changed', job: e.object };
    }
  }

  async *watchPods(namespace: string, jobUid: string, signal: AbortSignal): AsyncIterable<PodWatchEvent> {
    const labelSelector = `batch.kubernetes.io/controller-uid=${jobUid}`;
    const objectPath = `pods/${namespace} (${labelSelector})`;
    const events = listWatch<V1Pod>(
      {
        kc: this.kc,
        clock: this.clock,
        target: { operation: 'watch', object: objectPath, namespace, server: this.server },
        path: `/api/v1/namespaces/${namespace}/pods`,
        query: { labelSelector },
        list: async () => {
          const list = await this.list<V1Pod>({ operation: 'list', object: objectPath, namespace }, `${CORE}/${seg(namespace)}/pods`, { labelSelector }, signal);
          return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
        },
      },
      signal,
    );
    // A re-list is the ground truth: a pod known before but absent now was deleted while the
    // watch was down (client-go's reflector replaces its store the same way, emitting deletes).
    const known = new Map<string, V1Pod>();
    for await (const e of events) {
      if (e.type === 'listed') {
        const listed = new Set(e.items.map((p) => p.metadata?.name ?? ''));
        for (const [name, pod] of known) {
          if (listed.has(name)) continue;
          known.delete(name);
          yield { type: 'deleted', pod };
        }
        for (const pod of e.items) {
          known.set(pod.metadata?.name ?? '', pod);
          yield { type: 'changed', pod };
        }
        continue;
      }
      const name = e.object.metadata?.name ?? '';
      if (e.type === 'deleted') known.delete(name);
      else known.set(name, e.object);
      yield { type: e.type, pod: e.object };
    }
  }

  async followLog(
    namespace: string,
    pod: string,
    container: string,
    onLine: (line: LogLine) => void,
    signal: AbortSignal,
    sinceTime?: string,
  ): Promise<void> {
    const path = `/api/v1/namespaces/${namespace}/pods/${pod}/log`;
    const query = { container, follow: true, timestamps: true, sinceTime };
    const target = { operation: 'follow the log of', object: `pods/${namespace}/${pod}/log`, namespace, server: this.server };
    for await (const raw of streamLines(this.kc, path, query, signal, target, MAX_LOG_LINE_LENGTH)) {
      // `timestamps=true` prefixes each line with its RFC 3339 time and one space (kubelet
      // pkg/kubelet/kuberuntime/logs): the time lets a dropped stream resume where it stopped.
      const space = raw.indexOf(' ');
      onLine(space > 0 ? { time: raw.slice(0, space), text: raw.slice(space + 1) } : { time: '', text: raw });
    }
  }

  async jobEvents(namespace: string, job: string): Promise<CoreV1Event[]> {
    const fieldSelector = `involvedObject.kind=Job,involvedObject.name=${job}`;
    const list = await this.list<CoreV1Event>({ operation: 'list', object: `events/${namespace}`, namespace }, `${CORE}/${seg(namespace)}/events`, { fieldSelector });
    return list.items;
  }

  async workloadEvents(namespace: string, workload: string): Promise<CoreV1Event[]> {
    const fieldSelector = `involvedObject.kind=Workload,involvedObject.name=${workload}`;
    const list = await this.list<CoreV1Event>({ operation: 'list', object: `events/${namespace}`, namespace }, `${CORE}/${seg(namespace)}/events`, { fieldSelector });
    return list.items;
  }

  async listWorkloads(namespace: string, jobUid: string): Promise<KueueWorkload[] | 'absent' | 'forbidden'> {
    // v1beta2 is Kueue's current API; releases before it serve only v1beta1.
    for (const version of ['v1beta2', 'v1beta1']) {
      try {
        const list = await this.list<KueueWorkload>({ operation: 'list', object: `workloads.kueue.x-k8s.io/${namespace}`, namespace },
          `/apis/kueue.x-k8s.io/${version}/namespaces/${seg(namespace)}/workloads`, { labelSelector: `${WORKLOAD_JOB_UID_LABEL}=${jobUid}` });
        return list.items ?? [];
      } catch (err) {
        if (err instanceof KubernetesApiError && err.statusCode === 403) return 'forbidden';
        if (!(err instanceof KubernetesApiError && err.statusCode === 404)) throw err;
      }
    }
    return 'absent';
  }

  async podEvents(namespace: string, pod: string): Promise<CoreV1Event[]> {
    const fieldSelector = `involvedObject.kind=Pod,involvedObject.name=${pod}`;
    const list = await this.list<CoreV1Event>({ operation: 'list', object: `events/${namespace}`, namespace }, `${CORE}/${seg(namespace)}/events`, { fieldSelector });
    return list.items;
  }

  async listJobs(namespace: string, continueToken: string | undefined, limit: number): Promise<Page<V1Job>> {
    const list = await this.list<V1Job>({ operation: 'list', object: `jobs/${namespace}`, namespace }, `${BATCH}/${seg(namespace)}/jobs`, { limit, continue: continueToken });
    return { items: list.items, continueToken: list.metadata?.continue || undefined };
  }

  async listCronJobs(namespace: string, continueToken: string | undefined, limit: number): Promise<Page<V1CronJob>> {
    const list = await this.list<V1CronJob>({ operation: 'list', object: `cronjobs/${namespace}`, namespace }, `${BATCH}/${seg(namespace)}/cronjobs`, { limit, continue: continueToken });
    return { items: list.items, continueToken: list.metadata?.continue || undefined };
  }

  async listJobsByLabel(namespace: string, labelSelector: string): Promise<V1Job[]> {
    const list = await this.list<V1Job>({ operation: 'list', object: `jobs/${namespace} (${labelSelector})`, namespace }, `${BATCH}/${seg(namespace)}/jobs`, { labelSelector });
    return list.items;
  }

  async listPodsByLabel(namespace: string, labelSelector: string): Promise<V1Pod[]> {
    const list = await this.list<V1Pod>({ operation: 'list', object: `pods/${namespace} (${labelSelector})`, namespace }, `${CORE}/${seg(namespace)}/pods`, { labelSelector });
    return list.items;
  }

  async createLease(namespace: string, claim: LeaseClaim): Promise<V1Lease | 'exists'> {
    const object = `leases/${namespace}/${claim.name}`;
    const lease: V1Lease = {
      metadata: { name: claim.name, namespace, labels: { ...claim.labels } },
      // MicroTime: the API server parses exactly six fractional digits (V1MicroTime writes them).
      spec: { holderIdentity: claim.holder, leaseDurationSeconds: claim.durationSeconds, acquireTime: new V1MicroTime(claim.acquiredAtMs) },
    };
    try {
      return await this.call<V1Lease>({ operation: 'create', object, namespace }, {
        method: 'POST', path: `${COORDINATION}/${seg(namespace)}/leases`, query: { fieldManager: FIELD_MANAGER }, body: lease,
      });
    } catch (err) {
      if (err instanceof KubernetesApiError && err.statusCode === 409) return 'exists';
      throw err;
    }
  }

  readLease(namespace: string, name: string): Promise<V1Lease | undefined> {
    return this.orUndefined({ operation: 'read', object: `leases/${namespace}/${name}`, namespace }, `${COORDINATION}/${seg(namespace)}/leases/${seg(name)}`);
  }

  async deleteLease(namespace: string, name: string, preconditions: { uid?: string; resourceVersion?: string }): Promise<'deleted' | 'not-found'> {
    try {
      await this.call({ operation: 'delete', object: `leases/${namespace}/${name}`, namespace }, {
        method: 'DELETE', path: `${COORDINATION}/${seg(namespace)}/leases/${seg(name)}`, body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions },
      });
      return 'deleted';
    } catch (err) {
      if (err instanceof KubernetesApiError && (err.statusCode === 404 || err.statusCode === 409)) return 'not-found';
      throw err;
    }
  }

  async createSecret(namespace: string, secret: V1Secret): Promise<void> {
    await this.call({ operation: 'create', object: `secrets/${namespace}/${secret.metadata?.name ?? ''}`, namespace }, {
      method: 'POST', path: `${CORE}/${seg(namespace)}/secrets`, query: { fieldManager: FIELD_MANAGER }, body: secret,
    });
  }
}
