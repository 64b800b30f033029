/**
 * Streams each pod's containers into the workflow log as soon as they start (retried pods too),
 * at most `max` at a time, and keeps the last lines for the failure message. A stream that fails
 * while the container is still starting is retried when the pod changes again.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { JobCluster, Reporter } from '../core/ports.js';

const KEEP_LAST_LINES = 20;

export class LogStreams {
  private readonly started = new Set<string>();
  private readonly queue: Array<{ pod: string; container: string; instance: string }> = [];
  /** Lines printed per container instance (pod/container/containerID): a re-stream skips them. */
  private readonly printed = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly lastLines: string[] = [];
  private podsSeen = new Set<string>();

  constructor(
    private readonly cluster: JobCluster,
    private readonly reporter: Reporter,
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
    for (const status of pod.status?.containerStatuses ?? []) {
      const startedOrDone = status.state?.running !== undefined || status.state?.terminated !== undefined;
      const instance = `${name}/${status.name}/${status.containerID ?? ''}`;
      if (!startedOrDone || this.started.has(instance)) continue;
      this.started.add(instance);
      this.queue.push({ pod: name, container: status.name, instance });
    }
    this.pump();
  }

  /** The last lines printed, newest last. */
  tail(): readonly string[] {
    return this.lastLines;
  }

  /** Waits for open streams to end (their containers exited), at most `ms`. */
  async drain(ms: number): Promise<void> {
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
    while (this.running.size > 0 || this.queue.length > 0) {
      const all = Promise.all([...this.running]).then(() => undefined);
      const timedOut = await Promise.race([all.then(() => false), deadline.then(() => true)]);
      if (timedOut) return;
    }
  }

  private pump(): void {
    while (this.running.size < this.max && this.queue.length > 0) {
      const next = this.queue.shift();
      if (!next) return;
      const p: Promise<void> = this.stream(next.pod, next.container, next.instance).finally(() => {
        this.running.delete(p);
        this.pump();
      });
      this.running.add(p);
    }
  }

  private async stream(pod: string, container: string, instance: string): Promise<void> {
    // A follow request always starts at the container's first line: after a dropped stream, skip
    // what this instance already printed (a restarted container has a new containerID, a new log).
    const already = this.printed.get(instance) ?? 0;
    let seen = 0;
    const print = (line: string): void => {
      if (++seen <= already) return;
      this.printed.set(instance, seen);
      const prefixed = this.manyPods || this.podsSeen.size > 1 ? `[${pod}] ${line}` : line;
      this.reporter.info(prefixed);
      this.lastLines.push(prefixed);
      if (this.lastLines.length > KEEP_LAST_LINES) this.lastLines.shift();
    };
    try {
      await this.cluster.followLog(this.namespace, pod, container, print, this.signal);
    } catch (err) {
      if (this.signal.aborted) return;
      // The container may not accept log requests yet; allow a retry on the next pod change.
      this.started.delete(instance);
      this.reporter.debug(`Log stream of ${pod}/${container} ended: ${(err as Error).message}`);
    }
  }
}
