/**
 * One poller per namespace serves watchJob, watchPods and followLog of the runCommand cluster:
 * it chains bounded batches (core/follow-batch.ts), each one runCommand that waits in the cluster
 * for the Job's end at most `waits` seconds and then reports the Job, its pods, its events and
 * the new log lines of every container. Lines are de-duplicated and resumed by timestamp
 * (core/log-position.ts), as the direct path does when it reopens a stream; a container whose
 * output exceeds one batch's share is read on in the next batch, at once. A Job's end is passed
 * on only once every container's log has been read to its end, so the run flow's short log
 * drain never cuts a batch short.
 */
import { randomBytes } from 'node:crypto';
import type { CoreV1Event, V1Job, V1Pod } from '@kubernetes/client-node';
import { parseFrames, type Frame } from '../core/command-frames.js';
import type { ClusterCommandRunner } from '../core/cluster-commands.js';
import { batchScript, isNotStarted, logChunk, type LogCursor } from '../core/follow-batch.js';
import { kubectlError } from '../core/kubectl-error.js';
import { LogPosition } from '../core/log-position.js';
import type { Clock, JobWatchEvent, LogLine, PodWatchEvent } from '../core/ports.js';
import { Channel } from './channel.js';
import { isAlive, isFinished, isLasting, listItems, terminatedIn } from './batch-reading.js';

export interface PollerOptions {
  readonly runner: ClusterCommandRunner;
  readonly clock: Clock;
  readonly namespace: string;
  /** Seconds each batch waits in the cluster; the last one repeats (the first is usually 0). */
  readonly waits: readonly number[];
  readonly tickSeconds: number;
  readonly budgetBytes: number;
  readonly log: { debug(message: string): void; warning(message: string): void };
  /** Called once per command started (the cluster counts them). */
  readonly onCommand: () => void;
}

interface ContainerLog {
  readonly position: LogPosition;
  /** Lines read while nobody followed this container (max-log-streams busy): given to the next follower. */
  readonly buffer: LogLine[];
  follower: { onLine: (line: LogLine) => void; done: () => void } | undefined;
  /** Terminated when the batch listed its pods, and its log read to the end after that. */
  complete: boolean;
  gone: boolean;
  /** Raised when a cut answer brought nothing new (many bytes in one second). */
  limitBytes: number;
  /** Set when even the whole budget could not pass one second's lines: read on from the next second. */
  skipTo: string | undefined;
}

/** A batch that failed to run (ARM, the command pod) is retried this many times in a row. */
const MAX_FAILURES = 3;
const FAILURE_DELAYS_MS = [5000, 15_000, 30_000];
/** Extra immediate batches for a finished Job whose pods are still shown running. */
const MAX_SETTLE_BATCHES = 3;
const MAX_FRUITLESS = 5;

export class CommandPoller {
  private readonly jobSubs = new Map<string, Set<Channel<JobWatchEvent>>>();
  private readonly podSubs = new Map<string, Set<Channel<PodWatchEvent>>>();
  private readonly logs = new Map<string, ContainerLog>();
  private readonly lastJob = new Map<string, string>();
  private readonly pods = new Map<string, Map<string, V1Pod>>();
  private readonly events = new Map<string, CoreV1Event[]>();
  private loop: Promise<void> | undefined;
  private stop = new AbortController();
  private batches = 0;
  private settleBatches = 0;
  /** Catch-up batches in a row that brought no line: the logs cannot get room (huge Job or pod objects). */
  private fruitless = 0;

  constructor(private readonly o: PollerOptions) {}

  /** The Job's events as the last batch read them; undefined before the first batch. */
  jobEvents(name: string): CoreV1Event[] | undefined {
    return this.events.get(name);
  }

  async *watchJob(name: string, signal: AbortSignal): AsyncIterable<JobWatchEvent> {
    yield* this.subscribe(this.jobSubs, name, signal);
  }

  async *watchPods(uid: string, signal: AbortSignal): AsyncIterable<PodWatchEvent> {
    yield* this.subscribe(this.podSubs, uid, signal);
  }

  /** Resolves when the container's log was read to its end, its pod is gone, a newer follower took over, or `signal` aborts. */
  followLog(pod: string, container: string, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
    const log = this.container(pod, container);
    log.follower?.done();
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        if (log.follower === follower) log.follower = undefined;
        signal.removeEventListener('abort', done);
        resolve();
        this.idle();
      };
      const follower = { onLine, done };
      log.follower = follower;
      failures.set(follower, reject);
      for (const line of log.buffer.splice(0)) onLine(line);
      if (signal.aborted || log.complete || log.gone) return done();
      signal.addEventListener('abort', done, { once: true });
      this.start();
    });
  }

  private subscribe<T>(subs: Map<string, Set<Channel<T>>>, key: string, signal: AbortSignal): Channel<T> {
    const channel = new Channel<T>();
    const set = subs.get(key) ?? new Set();
    subs.set(key, set);
    set.add(channel);
    const leave = (): void => {
      set.delete(channel);
      if (set.size === 0) subs.delete(key);
      channel.close();
      this.idle();
    };
    if (signal.aborted) leave();
    else signal.addEventListener('abort', leave, { once: true });
    this.start();
    return channel;
  }

  private container(pod: string, container: string): ContainerLog {
    const key = `${pod}/${container}`;
    let log = this.logs.get(key);
    if (!log) {
      log = { position: new LogPosition(), buffer: [], follower: undefined, complete: false, gone: false, limitBytes: 0, skipTo: undefined };
      this.logs.set(key, log);
    }
    return log;
  }

  private hasFollowers(): boolean {
    return this.jobSubs.size > 0 || this.podSubs.size > 0 || [...this.logs.values()].some((l) => l.follower !== undefined);
  }

  private start(): void {
    if (this.loop) return;
    this.stop = new AbortController();
    // Started after the current turn, so the watches the run flow opens together share the first batch.
    this.loop = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run())
      .catch((err: unknown) => this.failAll(err))
      .finally(() => {
        this.loop = undefined;
        if (this.hasFollowers()) this.start();
      });
  }

  /** Nobody follows any more: the command in flight is abandoned (its pod ends on its own, bounded). */
  private idle(): void {
    if (!this.hasFollowers()) this.stop.abort();
  }

  private async run(): Promise<void> {
    let failures = 0;
    let catchUp = false;
    while (this.hasFollowers()) {
      const waits = this.o.waits;
      const wait = catchUp ? 0 : (waits[Math.min(this.batches, waits.length - 1)] ?? 0);
      const nonce = randomBytes(8).toString('hex');
      const script = batchScript({
        nonce,
        namespace: this.o.namespace,
        jobs: [...this.jobSubs.keys()],
        podUids: [...this.podSubs.keys()],
        waitSeconds: wait,
        tickSeconds: this.o.tickSeconds,
        budgetBytes: this.o.budgetBytes,
        cursors: this.cursors(),
      });
      let logs: string;
      try {
        this.o.onCommand();
        logs = (await this.o.runner.run(script, [], this.stop.signal)).logs;
        failures = 0;
      } catch (err) {
        if (!this.hasFollowers() || this.stop.signal.aborted) return;
        failures++;
        if (failures > MAX_FAILURES || isLasting(err)) throw err;
        const delay = FAILURE_DELAYS_MS[failures - 1] ?? 30_000;
        this.o.log.debug(`A follow command failed (${(err as Error).message}); retrying in ${delay / 1000} s.`);
        await this.o.clock.sleep(delay, this.stop.signal).catch(() => undefined);
        continue;
      }
      this.batches++;
      catchUp = this.apply(parseFrames(logs, nonce));
    }
  }

  private cursors(): LogCursor[] {
    return [...this.logs.entries()].flatMap(([key, log]) => {
      if (log.gone) return [];
      const slash = key.indexOf('/');
      const since = log.skipTo ?? log.position.sinceTime();
      return [{ pod: key.slice(0, slash), container: key.slice(slash + 1), sinceTime: since, limitBytes: log.limitBytes }];
    });
  }

  /** Passes one batch on; true when another batch should follow at once (logs left, or an end to settle). */
  private apply(frames: readonly Frame[]): boolean {
    const byTag = (prefix: string): Frame[] => frames.filter((f) => f.tag.startsWith(`${prefix} `));
    for (const f of byTag('events')) {
      if (f.exitCode === 0) this.events.set(f.tag.slice('events '.length), listItems<CoreV1Event>(f.stdout));
    }
    for (const f of byTag('pods')) this.applyPods(f);
    let logsLeft = false;
    let printed = 0;
    for (const f of frames) {
      if (f.tag.startsWith('skipped ')) logsLeft = true;
      else if (f.tag.startsWith('log ')) {
        const read = this.applyLog(f);
        printed += read.printed;
        logsLeft = read.left || logsLeft;
      }
    }
    this.fruitless = logsLeft && printed === 0 ? this.fruitless + 1 : 0;
    if (this.fruitless === MAX_FRUITLESS) {
      this.o.log.warning(
        `The Job's and its pods' objects leave too little of runCommand's ${Math.round(this.o.budgetBytes / 1024)} kB output for their logs, ` +
          'so some log lines are not shown. Read them with kubectl logs.',
      );
    }
    if (this.fruitless >= MAX_FRUITLESS) logsLeft = false;
    for (const [key, log] of this.logs) {
      if (log.follower && (log.complete || log.gone)) log.follower.done();
      else if (!log.follower && log.gone && log.buffer.length === 0) this.logs.delete(key);
    }
    const alive = [...this.pods.values()].some((m) => [...m.values()].some(isAlive));
    let held = false;
    for (const f of byTag('job')) {
      const name = f.tag.slice('job '.length);
      const subs = this.jobSubs.get(name);
      if (!subs) continue;
      if (f.exitCode !== 0) {
        const err = kubectlError(f.stderr, f.exitCode, { operation: 'watch', object: `jobs/${this.o.namespace}/${name}`, namespace: this.o.namespace });
        if (err.statusCode === 404) for (const c of subs) c.push({ type: 'deleted' });
        else if (err.statusCode !== undefined && err.statusCode < 500 && err.statusCode !== 429) for (const c of subs) c.fail(err);
        continue;
      }
      const job = JSON.parse(f.stdout) as V1Job;
      // The end waits for the logs: the run flow gives streams only a moment once the Job ended.
      if (isFinished(job) && (logsLeft || (alive && this.settleBatches < MAX_SETTLE_BATCHES))) {
        held = true;
        if (!logsLeft) this.settleBatches++;
        continue;
      }
      const version = job.metadata?.resourceVersion ?? '';
      if (this.lastJob.get(name) === version) continue;
      this.lastJob.set(name, version);
      for (const c of subs) c.push({ type: 'changed', job });
    }
    return logsLeft || held;
  }

  private applyPods(f: Frame): void {
    const uid = f.tag.slice('pods '.length);
    const subs = this.podSubs.get(uid);
    if (f.exitCode !== 0) {
      const err = kubectlError(f.stderr, f.exitCode, { operation: 'watch', object: `pods/${this.o.namespace} (batch.kubernetes.io/controller-uid=${uid})`, namespace: this.o.namespace });
      if (err.statusCode !== undefined && err.statusCode < 500 && err.statusCode !== 429) for (const c of subs ?? []) c.fail(err);
      return;
    }
    const listed = listItems<V1Pod>(f.stdout);
    const known = this.pods.get(uid) ?? new Map<string, V1Pod>();
    this.pods.set(uid, known);
    const names = new Set(listed.map((p) => p.metadata?.name ?? ''));
    for (const [name, pod] of known) {
      if (names.has(name)) continue;
      known.delete(name);
      for (const [key, log] of this.logs) if (key.startsWith(`${name}/`)) log.gone = true;
      for (const c of subs ?? []) c.push({ type: 'deleted', pod });
    }
    for (const pod of listed) {
      const name = pod.metadata?.name ?? '';
      const before = known.get(name);
      known.set(name, pod);
      for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
        // Complete only once a batch that listed it terminated has read its log (the log frames come after).
        this.container(name, status.name).complete = false;
      }
      if (before?.metadata?.resourceVersion === pod.metadata?.resourceVersion) continue;
      for (const c of subs ?? []) c.push({ type: 'changed', pod });
    }
  }

  /** Delivers one container's new lines; `left` when more wait for the next batch. */
  private applyLog(f: Frame): { printed: number; left: boolean } {
    const [, pod = '', container = '', limit = '0'] = f.tag.split(' ');
    const log = this.container(pod, container);
    const status = terminatedIn(this.pods, pod, container);
    if (f.exitCode !== 0) {
      if (!isNotStarted(f.stderr)) this.o.log.debug(`Reading the log of ${pod}/${container} failed: ${f.stderr.trim()}`);
      return { printed: 0, left: false };
    }
    const chunk = logChunk(f.stdout, Number(limit));
    const fresh = log.position.resume();
    let printed = 0;
    for (const line of chunk.lines) {
      if (!fresh(line)) continue;
      printed++;
      if (log.follower) log.follower.onLine(line);
      else log.buffer.push(line);
    }
    if (chunk.truncated && printed === 0) this.stalled(pod, container, log, Number(limit));
    else if (printed > 0) log.skipTo = undefined;
    log.complete = status && !chunk.truncated;
    return { printed, left: chunk.truncated };
  }

  /**
   * A cut answer with nothing new: the lines of one second (kubectl's --since-time has whole
   * seconds) fill the share. Ask for twice as much next time; at the whole budget, move on to the
   * next second and say so, rather than loop.
   */
  private stalled(pod: string, container: string, log: ContainerLog, limit: number): void {
    if (limit < this.o.budgetBytes / 2) {
      log.limitBytes = Math.max(limit * 2, 1);
      return;
    }
    const since = log.skipTo ?? log.position.sinceTime();
    if (since === undefined) return;
    const next = new Date(Date.parse(since) + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    log.skipTo = next;
    this.o.log.warning(
      `The log of ${pod}/${container} wrote more than ${Math.round(limit / 1024)} kB within the second ${since}, more than one runCommand can return: ` +
        `the rest of that second is not shown; printing goes on from ${next}. Read it with kubectl logs ${pod} -c ${container}.`,
    );
  }

  /** Ends every watch and follower with the error; they are dropped, so no batch starts for them again. */
  private failAll(err: unknown): void {
    for (const set of [...this.jobSubs.values(), ...this.podSubs.values()]) for (const c of set) c.fail(err);
    this.jobSubs.clear();
    this.podSubs.clear();
    for (const log of this.logs.values()) {
      const follower = log.follower;
      log.follower = undefined;
      if (follower) failures.get(follower)?.(err);
    }
  }
}

/** How a follower's promise is rejected when the poller gives up (kept off the follower's shape). */
const failures = new WeakMap<object, (err: unknown) => void>();
