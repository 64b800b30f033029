/**
 * Streams each pod's containers (init containers first, as they run) into the workflow log as
 * soon as they start (retried pods too), at most `max` at a time, and keeps the last lines for the
 * failure message. A stream that ends or fails while its container still runs is reopened with
 * backoff from where it stopped (by the kubelet's timestamps, not by counting lines, which breaks
 * after log rotation); one that cannot be reopened is reported in a warning.
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { Clock, JobCluster, LogLine, Reporter } from '../core/ports.js';
import { LogPosition } from '../core/log-position.js';
import { retryAfterMs } from '../core/errors.js';

const KEEP_LAST_LINES = 20;
/** How long a cleanly ended stream waits for the pod watch to say its container exited. */
const SETTLE_MS = 1500;
/** A look once more after a clean end that ends within this, with no new line, found the end of the log. */
const CHECK_ANSWERED_MS = 1000;
/** Reopen delays; a stream that held longer than STABLE_MS starts the sequence again. */
const REOPEN_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 10_000];
const STABLE_MS = 30_000;
/** Reopens in a row without a stable stream before giving up (about three minutes of backoff). */
const MAX_REOPENS = 24;
/**
 * Once the Job has ended (drain), a stream waiting out its own backoff reopens after at most this:
 * the rest of the log is all that is left to read, and a backoff grown long during an API outage
 * (10 s) would outlast the drain and lose it (found by the outage campaign, npm run chaos).
 */
const DRAINING_REOPEN_MS = 250;
/** Drain is extended while a stream waits out a server's Retry-After, up to this in all. */
const MAX_DRAIN_MS = 30_000;

interface Stream {
  readonly pod: string;
  readonly container: string;
  /** containerID: a restarted container is a new instance with its own log. */
  readonly id: string;
  readonly key: string;
  readonly labelled: boolean;
}

type ContainerState = 'running' | 'ended' | 'gone';

export class LogStreams {
  private readonly started = new Set<string>();
  private readonly queue: Stream[] = [];
  private readonly positions = new Map<string, LogPosition>();
  private readonly running = new Map<Promise<void>, Stream>();
  private readonly lastLines: string[] = [];
  private readonly podsSeen = new Set<string>();
  private readonly latest = new Map<string, V1Pod>();
  private readonly deleted = new Set<string>();
  private readonly listeners = new Set<() => void>();
  /** Fired by drain: streams in their own backoff reopen at once. */
  private readonly wake = new AbortController();
  /** Streams now waiting out a Retry-After the server asked for. */
  private toldToWait = 0;

  constructor(
    private readonly cluster: JobCluster,
    private readonly reporter: Reporter,
    private readonly clock: Clock,
    private readonly namespace: string,
    private readonly max: number,
    /** Prefix lines with the pod name from the start when the Job runs several pods at once. */
    private readonly manyPods: boolean,
    private readonly signal: AbortSignal,
  ) {}

  /** Starts streams for containers of this pod that have started and are not streamed yet. */
  onPod(pod: V1Pod): void {
    const name = pod.metadata?.name;
    if (!name) return;
    this.podsSeen.add(name);
    this.latest.set(name, pod);
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const labelled = statuses.length > 1;
    for (const status of statuses) {
      const startedOrDone = status.state?.running !== undefined || status.state?.terminated !== undefined;
      const id = status.containerID ?? status.state?.terminated?.containerID ?? '';
      const key = `${name}/${status.name}/${id}`;
      if (!startedOrDone || this.started.has(key)) continue;
      this.started.add(key);
      this.queue.push({ pod: name, container: status.name, id, key, labelled });
    }
    this.notify();
    this.pump();
  }

  /** The pod is gone: its logs went with it, so streams of it stop reopening. */
  onPodDeleted(name: string): void {
    this.deleted.add(name);
    this.notify();
  }

  /** The last lines printed, newest last. */
  tail(): readonly string[] {
    return this.lastLines;
  }

  /**
   * Waits for open and queued streams to end (their containers exited), at most `ms`; then says
   * which logs were cut short or never streamed, rather than dropping them silently.
   */
  async drain(ms: number): Promise<void> {
    this.wake.abort();
    const hardStop = Date.now() + Math.max(ms, MAX_DRAIN_MS);
    let deadline = Date.now() + ms;
    while (this.running.size > 0 || this.queue.length > 0) {
      const all = Promise.all([...this.running.keys()]).then(() => undefined);
      const left = Math.max(0, deadline - Date.now());
      const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), left).unref());
      const timedOut = await Promise.race([all.then(() => false), timer]);
      if (!timedOut) continue;
      // A throttled stream waits as the server said; it gets the drain's time again after that.
      if (this.toldToWait > 0 && Date.now() < hardStop) deadline = Math.min(hardStop, Date.now() + ms);
      else break;
    }
    const open = [...this.running.values()].map((s) => `${s.pod}/${s.container}`);
    const queued = this.queue.map((s) => `${s.pod}/${s.container}`);
    if (open.length + queued.length === 0) return;
    const parts = [
      open.length > 0 ? `still streaming ${open.length} (${sample(open)}), cut short` : '',
      queued.length > 0 ? `${queued.length} never streamed because max-log-streams were busy (${sample(queued)})` : '',
    ].filter(Boolean);
    this.reporter.warning(
      `The Job ended but not every log was printed within ${Math.round(ms / 1000)} s: ${parts.join('; ')}. ` +
        'Read them with kubectl logs while the pods exist, or raise max-log-streams.',
      'Logs incomplete',
    );
  }

  private pump(): void {
    while (this.running.size < this.max && this.queue.length > 0) {
      const next = this.queue.shift();
      if (!next) return;
      const p: Promise<void> = this.stream(next).finally(() => {
        this.running.delete(p);
        this.pump();
      });
      this.running.set(p, next);
    }
  }

  private async stream(s: Stream): Promise<void> {
    const position = this.positions.get(s.key) ?? new LogPosition();
    this.positions.set(s.key, position);
    let reopens = 0;
    // This stream is the look once more after a clean end (see below).
    let checking = false;
    for (;;) {
      const opened = this.clock.now();
      let failure: Error | undefined;
      let printed = 0;
      try {
        const skip = position.resume();
        await this.cluster.followLog(this.namespace, s.pod, s.container, (line) => {
          if (!skip(line)) return;
          printed++;
          this.print(s, line);
        }, this.signal, position.sinceTime());
      } catch (err) {
        failure = err as Error;
      }
      if (this.signal.aborted) return;
      const atEnd = this.state(s);
      if (!failure && atEnd === 'ended' && !checking) return; // already ended when the stream did: complete
      if (!failure && atEnd === 'running' && !checking) {
        // A clean end before the pod watch says the container exited: usually the exit itself,
        // seen first on the log; but the stream may have been cut just before it. Look once more
        // at once, while the watch catches up, rather than after it (the look used to wait for the
        // watch and then cost a round trip at the end of every run: bench (a), issue #13).
        checking = true;
        continue;
      }
      // The look is conclusive when it was answered at once with nothing new: it was opened after
      // the last line the container wrote, and ended because the container had exited.
      const conclusive = checking && printed === 0 && this.clock.now() - opened < CHECK_ANSWERED_MS;
      checking = false;
      // A clean end is normal when the container exited; a failure may have lost lines even then.
      const state = failure ? atEnd : await this.settled(s);
      if (state === 'gone') return;
      if (state === 'ended' && !failure) {
        if (conclusive || atEnd === 'ended') return;
        // Ended by the watch, but this stream ran (or printed) until then: one more look, which
        // the container, no longer writing, answers at once.
        checking = true;
        continue;
      }
      reopens = this.clock.now() - opened >= STABLE_MS ? 1 : reopens + 1;
      const why = failure ? `failed (${failure.message})` : 'ended while the container still runs';
      if (reopens > MAX_REOPENS) {
        this.reporter.warning(
          `The log stream of ${s.pod}/${s.container} ${why} and could not be reopened after ${MAX_REOPENS} tries; ` +
            `later lines are not shown (${position.describe()}). Read them with kubectl logs ${s.pod} -c ${s.container}.`,
          'Log stream lost',
        );
        return;
      }
      const told = retryAfterMs(failure);
      const delay = Math.max(REOPEN_DELAYS_MS[Math.min(reopens - 1, REOPEN_DELAYS_MS.length - 1)] ?? 10_000, told);
      this.reporter.debug(`Log stream of ${s.pod}/${s.container} ${why}; reopening in ${delay} ms from ${position.describe()}.`);
      await this.waitToReopen(delay, told);
      if (this.signal.aborted || this.deleted.has(s.pod)) return;
    }
  }

  /** The server's Retry-After is waited out in full; our own backoff ends early once the Job has ended. */
  private async waitToReopen(delay: number, told: number): Promise<void> {
    if (told > 0) {
      this.toldToWait++;
      await this.clock.sleep(told, this.signal).catch(() => undefined);
      this.toldToWait--;
    }
    const own = this.wake.signal.aborted ? Math.min(DRAINING_REOPEN_MS, delay - told) : delay - told;
    if (own <= 0 || this.signal.aborted) return;
    await this.clock.sleep(own, this.wake.signal.aborted ? this.signal : AbortSignal.any([this.signal, this.wake.signal])).catch(() => undefined);
  }

  private print(s: Stream, line: LogLine): void {
    const labels = [this.manyPods || this.podsSeen.size > 1 ? s.pod : '', s.labelled ? s.container : ''].filter(Boolean);
    const prefixed = labels.length > 0 ? `[${labels.join('/')}] ${line.text}` : line.text;
    this.reporter.info(prefixed);
    this.lastLines.push(prefixed);
    if (this.lastLines.length > KEEP_LAST_LINES) this.lastLines.shift();
  }

  /** The container instance as the pod watch last reported it. */
  private state(s: Stream): ContainerState {
    if (this.deleted.has(s.pod)) return 'gone';
    const pod = this.latest.get(s.pod);
    const all = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])];
    const status: V1ContainerStatus | undefined = all.find((c) => c.name === s.container);
    if (!status) return 'running';
    const current = status.containerID ?? status.state?.terminated?.containerID ?? '';
    // Restarted since: this instance has ended (the new one streams on its own).
    if (current !== s.id) return 'ended';
    return status.state?.terminated ? 'ended' : 'running';
  }

  /** The state once the pod watch has caught up with a cleanly ended stream (at most SETTLE_MS). */
  private async settled(s: Stream): Promise<ContainerState> {
    if (this.state(s) !== 'running') return this.state(s);
    const stop = new AbortController();
    let check = (): void => undefined;
    const changed = new Promise<void>((resolve) => {
      check = () => {
        if (this.state(s) !== 'running') resolve();
      };
      this.listeners.add(check);
    });
    try {
      await Promise.race([this.clock.sleep(SETTLE_MS, AbortSignal.any([this.signal, stop.signal])).catch(() => undefined), changed]);
    } finally {
      stop.abort();
      this.listeners.delete(check);
    }
    return this.state(s);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function sample(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, …`;
}
