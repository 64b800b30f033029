/** JobCluster over @kubernetes/client-node: generated APIs for reads and writes, raw streams for watches and logs. */
import { BatchV1Api, CoreV1Api, type CoreV1Event, type KubeConfig, type V1CronJob, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { KubernetesApiError, toApiError, type Target } from './api-error.js';
import { createWithRetry } from './create-job.js';
import { streamLines } from './http.js';
import { listWatch } from './list-watch.js';
import type { Clock, JobCluster, JobWatchEvent, Page, PodWatchEvent } from '../core/ports.js';

/** Server-side apply would also work; a plain create with a manager name keeps managedFields readable. */
export const FIELD_MANAGER = 'polysync-aks-action';

export class KubeJobCluster implements JobCluster {
  private readonly batch: BatchV1Api;
  private readonly core: CoreV1Api;

  constructor(
    private readonly kc: KubeConfig,
    private readonly clock: Clock,
    private readonly log: { debug(message: string): void; info(message: string): void } = { debug() {}, info() {} },
  ) {
    this.batch = kc.makeApiClient(BatchV1Api);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  private async call<T>(target: Target, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toApiError(err, target);
    }
  }

  private async orUndefined<T>(target: Target, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(target, fn);
    } catch (err) {
      if (err instanceof KubernetesApiError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  readJob(namespace: string, name: string): Promise<V1Job | undefined> {
    return this.orUndefined({ operation: 'read', object: `jobs/${namespace}/${name}`, namespace }, () => this.batch.readNamespacedJob({ namespace, name }));
  }

  readCronJob(namespace: string, name: string): Promise<V1CronJob | undefined> {
    return this.orUndefined({ operation: 'read', object: `cronjobs/${namespace}/${name}`, namespace }, () => this.batch.readNamespacedCronJob({ namespace, name }));
  }

  createJob(namespace: string, job: V1Job, options: { dryRun: boolean; signal: AbortSignal }): Promise<V1Job> {
    const name = job.metadata?.name ?? '';
    const objectPath = `jobs/${namespace}/${name}`;
    const dryRun = options.dryRun ? 'All' : undefined;
    return createWithRetry(
      job,
      {
        create: (body) =>
          this.call({ operation: 'create', object: objectPath, namespace }, () => this.batch.createNamespacedJob({ namespace, body, dryRun, fieldManager: FIELD_MANAGER })),
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
      await this.call({ operation: 'delete', object: objectPath, namespace }, () =>
        this.batch.deleteNamespacedJob({
          namespace,
          name,
          // Background: the garbage collector removes the pods; batch/v1 would orphan them by default.
          propagationPolicy: 'Background',
          body: { propagationPolicy: 'Background', preconditions: uid ? { uid } : undefined },
        }),
      );
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
        target: { operation: 'watch', object: objectPath, namespace },
        model: 'V1Job',
        path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
        query: { fieldSelector },
        list: async () => {
          const list = await this.call({ operation: 'list', object: objectPath, namespace }, () =>
            this.batch.listNamespacedJob({ namespace, fieldSelector }),
          );
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
        target: { operation: 'watch', object: objectPath, namespace },
        model: 'V1Pod',
        path: `/api/v1/namespaces/${namespace}/pods`,
        query: { labelSelector },
        list: async () => {
          const list = await this.call({ operation: 'list', object: objectPath, namespace }, () =>
            this.core.listNamespacedPod({ namespace, labelSelector }),
          );
          return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
        },
      },
      signal,
    );
    for await (const e of events) {
      if (e.type === 'listed') for (const pod of e.items) yield { type: 'changed', pod };
      else yield { type: e.type, pod: e.object };
    }
  }

  async followLog(namespace: string, pod: string, container: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const path = `/api/v1/namespaces/${namespace}/pods/${pod}/log`;
    for await (const line of streamLines(this.kc, path, { container, follow: true }, signal, {
      operation: 'follow the log of',
      object: `pods/${namespace}/${pod}/log`,
      namespace,
    })) {
      onLine(line);
    }
  }

  async podEvents(namespace: string, pod: string): Promise<CoreV1Event[]> {
    const fieldSelector = `involvedObject.kind=Pod,involvedObject.name=${pod}`;
    const list = await this.call({ operation: 'list', object: `events/${namespace}`, namespace }, () =>
      this.core.listNamespacedEvent({ namespace, fieldSelector }),
    );
    return list.items;
  }

  async listJobs(namespace: string, continueToken: string | undefined, limit: number): Promise<Page<V1Job>> {
    const list = await this.call({ operation: 'list', object: `jobs/${namespace}`, namespace }, () =>
      this.batch.listNamespacedJob({ namespace, limit, _continue: continueToken }),
    );
    return { items: list.items, continueToken: list.metadata?._continue || undefined };
  }

  async listCronJobs(namespace: string, continueToken: string | undefined, limit: number): Promise<Page<V1CronJob>> {
    const list = await this.call({ operation: 'list', object: `cronjobs/${namespace}`, namespace }, () =>
      this.batch.listNamespacedCronJob({ namespace, limit, _continue: continueToken }),
    );
    return { items: list.items, continueToken: list.metadata?._continue || undefined };
  }
}
