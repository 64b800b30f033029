/**
 * JobCluster for a private cluster, reached through one shell command at a time in the cluster
 * (ARM runCommand, src/azure/run-command.ts). Every read and write is `kubectl get|create|delete
 * --raw` on the same REST path the direct client uses, so the answers are the API server's own
 * JSON and Status reasons; bodies (the Job, DeleteOptions with a uid precondition) travel as files
 * in the command's context. Watches and log streams are served by one poller per namespace
 * (command-poller.ts): chained, bounded commands instead of long connections.
 */
import { randomBytes } from 'node:crypto';
import type { CoreV1Event, V1CronJob, V1Job, V1Lease, V1Pod, V1Secret } from '@kubernetes/client-node';
import { RUN_COMMAND_OUTPUT_CAP_BYTES, type ClusterCommandRunner, type CommandFile } from '../core/cluster-commands.js';
import { framePrelude, parseFrames, sq } from '../core/command-frames.js';
import { KubernetesApiError } from '../core/errors.js';
import { kubectlError, type KubectlTarget } from '../core/kubectl-error.js';
import { WORKLOAD_JOB_UID_LABEL, type KueueWorkload } from '../core/queue.js';
import type { Clock, JobCluster, JobWatchEvent, LeaseClaim, LogLine, Page, PodWatchEvent } from '../core/ports.js';
import { createWithRetry } from './create-job.js';
import { CommandPoller } from './command-poller.js';
import { FIELD_MANAGER } from './job-cluster.js';

/** How long a batch waits in the cluster for the Job's end: first at once, then longer (about 40 commands per job-hour). */
export const DEFAULT_BATCH_WAITS_S = [0, 10, 30, 90] as const;
/** Room left under the 512 kB cap for frame markers and anything the command pod adds. */
const OUTPUT_MARGIN_BYTES = 64 * 1024;
/** One read or write, pod start included; runCommand's own scheduling limit is 60 s (beyond-notes §1.3). */
const CALL_TIMEOUT_MS = 5 * 60_000;

export interface RunCommandClusterOptions {
  readonly waits?: readonly number[];
  readonly tickSeconds?: number;
  readonly budgetBytes?: number;
}

export interface CommandLog {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
}

export class RunCommandCluster implements JobCluster {
  private readonly pollers = new Map<string, CommandPoller>();
  private readonly workloadCache = new Map<string, { at: number; value: KueueWorkload[] | 'absent' | 'forbidden' }>();
  private commands = 0;
  private announced = false;
  private readonly waits: readonly number[];

  constructor(
    private readonly runner: ClusterCommandRunner,
    private readonly clock: Clock,
    private readonly log: CommandLog,
    private readonly options: RunCommandClusterOptions = {},
  ) {
    this.waits = options.waits ?? DEFAULT_BATCH_WAITS_S;
  }

  /** Commands started so far (reads, writes and follow batches): what the bench and the log report. */
  get commandsStarted(): number {
    return this.commands;
  }

  /** Runs one kubectl call (`args` after `kubectl`) and returns its stdout, or throws what kubectl said. */
  private kubectl(target: KubectlTarget, args: string, files: readonly CommandFile[] = [], signal?: AbortSignal): Promise<string> {
    return this.command(target, `kubectl ${args}`, files, signal);
  }

  /** Runs one framed call (`argv`: a command and its shell words) and returns its stdout. */
  private async command(target: KubectlTarget, argv: string, files: readonly CommandFile[] = [], signal?: AbortSignal): Promise<string> {
    const nonce = randomBytes(8).toString('hex');
    const bound = AbortSignal.timeout(CALL_TIMEOUT_MS);
    this.commands++;
    const result = await this.runner.run(`${framePrelude(nonce)}\nf call ${argv}`, files, signal ? AbortSignal.any([signal, bound]) : bound);
    const [frame] = parseFrames(result.logs, nonce);
    if (!frame) {
      const tail = result.logs.trim().slice(-300);
      throw new KubernetesApiError({
        ...target,
        statusCode: undefined,
        reason: undefined,
        detail: `the command in the cluster ended with exit code ${result.exitCode} before kubectl answered${tail === '' ? '' : `: ${tail}`}`,
      });
    }
    if (frame.exitCode !== 0) throw kubectlError(frame.stderr, frame.exitCode, target);
    return frame.stdout;
  }

  private async get<T>(target: KubectlTarget, path: string): Promise<T> {
    const out = await this.kubectl(target, `get --raw ${sq(path)}`);
    return JSON.parse(out) as T;
  }

  private async getOrUndefined<T>(target: KubectlTarget, path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(target, path);
    } catch (err) {
      if (err instanceof KubernetesApiError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** POST `body` (as the file `name`) to `path`; the created object comes back. */
  private async post<T>(target: KubectlTarget, path: string, file: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const out = await this.kubectl(target, `create --raw ${sq(path)} -f ${file}`, [{ name: file, content: JSON.stringify(body) }], signal);
    return JSON.parse(out) as T;
  }

  /**
   * DELETE with a DeleteOptions body: `kubectl delete` has no precondition flags, but `delete
   * --raw` sends the file given with -f as the request body (kubectl rawhttp.RawDelete).
   */
  private async remove(target: KubectlTarget, path: string, options: object): Promise<'deleted' | 'not-found'> {
    try {
      await this.kubectl(target, `delete --raw ${sq(path)} -f delete.json`, [{ name: 'delete.json', content: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...options }) }]);
      return 'deleted';
    } catch (err) {
      // 409 on a precondition: a different object now has this name; it is not ours to delete.
      if (err instanceof KubernetesApiError && (err.statusCode === 404 || err.statusCode === 409)) return 'not-found';
      throw err;
    }
  }

  readJob(namespace: string, name: string): Promise<V1Job | undefined> {
    return this.getOrUndefined({ operation: 'read', object: `jobs/${namespace}/${name}`, namespace }, `/apis/batch/v1/namespaces/${namespace}/jobs/${name}`);
  }

  readCronJob(namespace: string, name: string): Promise<V1CronJob | undefined> {
    return this.getOrUndefined({ operation: 'read', object: `cronjobs/${namespace}/${name}`, namespace }, `/apis/batch/v1/namespaces/${namespace}/cronjobs/${name}`);
  }

  createJob(namespace: string, job: V1Job, options: { dryRun: boolean; signal: AbortSignal }): Promise<V1Job> {
    const object = `jobs/${namespace}/${job.metadata?.name ?? ''}`;
    const query = `fieldManager=${FIELD_MANAGER}${options.dryRun ? '&dryRun=All' : ''}`;
    return createWithRetry(
      job,
      {
        create: (body) =>
          this.post({ operation: 'create', object, namespace }, `/apis/batch/v1/namespaces/${namespace}/jobs?${query}`, 'job.json', body, options.signal),
        read: (n) => this.readJob(namespace, n),
      },
      {
        object,
        clock: this.clock,
        signal: options.signal,
        onRetry: (err, delayMs) => this.log.info(`Create of ${object} failed (${err.message}); retrying in ${delayMs} ms.`),
      },
    );
  }

  deleteJob(namespace: string, name: string, uid: string | undefined): Promise<'deleted' | 'not-found'> {
    // Background: the garbage collector removes the pods; batch/v1 would orphan them by default.
    return this.remove({ operation: 'delete', object: `jobs/${namespace}/${name}`, namespace }, `/apis/batch/v1/namespaces/${namespace}/jobs/${name}`, {
      propagationPolicy: 'Background',
      ...(uid ? { preconditions: { uid } } : {}),
    });
  }

  private poller(namespace: string): CommandPoller {
    let p = this.pollers.get(namespace);
    if (!p) {
      if (!this.announced) {
        this.announced = true;
        const steady = this.waits.at(-1) ?? 0;
        this.log.info(
          `The cluster is reached through AKS runCommand, so the Job's status and logs arrive in batches: one command about every ${steady} s ` +
            `(sooner at the start and when the Job ends), and each log line is printed up to about ${steady} s after it was written, plus the command's own start-up in the cluster.`,
        );
      }
      p = new CommandPoller({
        runner: this.runner,
        clock: this.clock,
        namespace,
        waits: this.waits,
        tickSeconds: this.options.tickSeconds ?? 5,
        budgetBytes: this.options.budgetBytes ?? RUN_COMMAND_OUTPUT_CAP_BYTES - OUTPUT_MARGIN_BYTES,
        log: this.log,
        onCommand: () => {
          this.commands++;
          this.log.debug(`runCommand ${this.commands} started (following ${namespace}).`);
        },
      });
      this.pollers.set(namespace, p);
    }
    return p;
  }

  watchJob(namespace: string, name: string, signal: AbortSignal): AsyncIterable<JobWatchEvent> {
    return this.poller(namespace).watchJob(name, signal);
  }

  watchPods(namespace: string, jobUid: string, signal: AbortSignal): AsyncIterable<PodWatchEvent> {
    return this.poller(namespace).watchPods(jobUid, signal);
  }

  /** `sinceTime` is not needed: the poller keeps each container's position and passes every line once. */
  followLog(namespace: string, pod: string, container: string, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
    return this.poller(namespace).followLog(pod, container, onLine, signal);
  }

  /** One command each: asked only while a Kueue Workload is followed without permission to read Workloads. */
  async workloadEvents(namespace: string, workload: string): Promise<CoreV1Event[]> {
    const selector = encodeURIComponent(`involvedObject.kind=Workload,involvedObject.name=${workload}`);
    return this.items({ operation: 'list', object: `events/${namespace}`, namespace }, `/api/v1/namespaces/${namespace}/events?fieldSelector=${selector}`);
  }

  async podEvents(namespace: string, pod: string): Promise<CoreV1Event[]> {
    const selector = encodeURIComponent(`involvedObject.kind=Pod,involvedObject.name=${pod}`);
    return this.items({ operation: 'list', object: `events/${namespace}`, namespace }, `/api/v1/namespaces/${namespace}/events?fieldSelector=${selector}`);
  }

  /** While the Job is followed, from the poller's last batch (read every batch anyway); else one command. */
  async jobEvents(namespace: string, job: string): Promise<CoreV1Event[]> {
    const batched = this.pollers.get(namespace)?.jobEvents(job);
    if (batched) return batched;
    const selector = encodeURIComponent(`involvedObject.kind=Job,involvedObject.name=${job}`);
    return this.items({ operation: 'list', object: `events/${namespace}`, namespace }, `/api/v1/namespaces/${namespace}/events?fieldSelector=${selector}`);
  }

  private async items<T>(target: KubectlTarget, path: string): Promise<T[]> {
    const list = JSON.parse(await this.kubectl(target, `get --raw ${sq(path)}`)) as { items?: unknown[] };
    return (list.items ?? []).map((item) => item as T);
  }

  private async page<T>(target: KubectlTarget, path: string, continueToken: string | undefined, limit: number): Promise<Page<T>> {
    const query = `limit=${limit}${continueToken ? `&continue=${encodeURIComponent(continueToken)}` : ''}`;
    const list = JSON.parse(await this.kubectl(target, `get --raw ${sq(`${path}?${query}`)}`)) as { items?: unknown[]; metadata?: { continue?: string } };
    return { items: (list.items ?? []).map((item) => item as T), continueToken: list.metadata?.continue || undefined };
  }

  listJobs(namespace: string, continueToken: string | undefined, limit: number): Promise<Page<V1Job>> {
    return this.page({ operation: 'list', object: `jobs/${namespace}`, namespace }, `/apis/batch/v1/namespaces/${namespace}/jobs`, continueToken, limit);
  }

  listCronJobs(namespace: string, continueToken: string | undefined, limit: number): Promise<Page<V1CronJob>> {
    return this.page({ operation: 'list', object: `cronjobs/${namespace}`, namespace }, `/apis/batch/v1/namespaces/${namespace}/cronjobs`, continueToken, limit);
  }

  listJobsByLabel(namespace: string, labelSelector: string): Promise<V1Job[]> {
    return this.items({ operation: 'list', object: `jobs/${namespace} (${labelSelector})`, namespace }, `/apis/batch/v1/namespaces/${namespace}/jobs?labelSelector=${encodeURIComponent(labelSelector)}`);
  }

  listPodsByLabel(namespace: string, labelSelector: string): Promise<V1Pod[]> {
    return this.items({ operation: 'list', object: `pods/${namespace} (${labelSelector})`, namespace }, `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(labelSelector)}`);
  }

  async createLease(namespace: string, claim: LeaseClaim): Promise<V1Lease | 'exists'> {
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: claim.name, namespace, labels: { ...claim.labels } },
      // MicroTime: the API server parses exactly six fractional digits.
      spec: { holderIdentity: claim.holder, leaseDurationSeconds: claim.durationSeconds, acquireTime: new Date(claim.acquiredAtMs).toISOString().replace(/Z$/, '000Z') },
    };
    try {
      return await this.post({ operation: 'create', object: `leases/${namespace}/${claim.name}`, namespace }, `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases?fieldManager=${FIELD_MANAGER}`, 'lease.json', lease);
    } catch (err) {
      if (err instanceof KubernetesApiError && err.statusCode === 409) return 'exists';
      throw err;
    }
  }

  readLease(namespace: string, name: string): Promise<V1Lease | undefined> {
    return this.getOrUndefined({ operation: 'read', object: `leases/${namespace}/${name}`, namespace }, `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${name}`);
  }

  deleteLease(namespace: string, name: string, preconditions: { uid?: string; resourceVersion?: string }): Promise<'deleted' | 'not-found'> {
    return this.remove({ operation: 'delete', object: `leases/${namespace}/${name}`, namespace }, `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${name}`, { preconditions });
  }

  async createSecret(namespace: string, secret: V1Secret): Promise<void> {
    const target = { operation: 'create', object: `secrets/${namespace}/${secret.metadata?.name ?? ''}`, namespace };
    // The answer would echo the values into runCommand's result: only the exit code and errors come back.
    const path = `/api/v1/namespaces/${namespace}/secrets?fieldManager=${FIELD_MANAGER}`;
    await this.command(target, `sh -c ${sq(`kubectl create --raw ${sq(path)} -f secret.json >/dev/null`)}`, [
      { name: 'secret.json', content: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', ...secret }) },
    ]);
  }

  async listWorkloads(namespace: string, jobUid: string): Promise<KueueWorkload[] | 'absent' | 'forbidden'> {
    // Asked on every tick while the Job is queued: answered from the last look within one batch's wait.
    const key = `${namespace}/${jobUid}`;
    const cached = this.workloadCache.get(key);
    const ttl = (this.waits.at(-1) ?? 0) * 1000;
    if (cached && this.clock.now() - cached.at < ttl) return cached.value;
    const value = await this.readWorkloads(namespace, jobUid);
    this.workloadCache.set(key, { at: this.clock.now(), value });
    return value;
  }

  private async readWorkloads(namespace: string, jobUid: string): Promise<KueueWorkload[] | 'absent' | 'forbidden'> {
    // v1beta2 is Kueue's current API; releases before it serve only v1beta1.
    for (const version of ['v1beta2', 'v1beta1']) {
      try {
        const path = `/apis/kueue.x-k8s.io/${version}/namespaces/${namespace}/workloads?labelSelector=${encodeURIComponent(`${WORKLOAD_JOB_UID_LABEL}=${jobUid}`)}`;
        const list = JSON.parse(await this.kubectl({ operation: 'list', object: `workloads.kueue.x-k8s.io/${namespace}`, namespace }, `get --raw ${sq(path)}`)) as { items?: KueueWorkload[] };
        return list.items ?? [];
      } catch (err) {
        if (err instanceof KubernetesApiError && err.statusCode === 403) return 'forbidden';
        if (!(err instanceof KubernetesApiError && err.statusCode === 404)) throw err;
      }
    }
    return 'absent';
  }
}
