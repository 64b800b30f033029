/**
 * Says why pods are not running: FailedScheduling events for Pending pods, and containers stuck in
 * image or config errors, which never fail a Job on their own (kubernetes/kubernetes#66756). After
 * the grace period such a run is given up.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Clock, JobCluster, Reporter } from '../core/ports.js';

export const STUCK_REASONS: ReadonlySet<string> = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'CreateContainerConfigError',
  'InvalidImageName',
]);

export interface Stuck {
  readonly pod: string;
  readonly container: string;
  readonly reason: string;
  readonly message: string;
  /** 'Init container', 'Container', or 'Pod' (when the Job controller cannot create pods at all). */
  readonly what: string;
}

export class PodDiagnostics {
  private readonly stuckSince = new Map<string, number>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly cluster: JobCluster,
    private readonly reporter: Reporter,
    private readonly clock: Clock,
    private readonly namespace: string,
    private readonly graceMs: number,
    /**
     * The run's own secret-params Secret: created right after the Job (create-run.ts), so a pod
     * that is fast enough waits for it in CreateContainerConfigError for a moment. That is not
     * worth a warning; it still counts toward the grace period if the Secret never comes.
     */
    private readonly ownSecret?: string,
  ) {}

  /** Reports problems once per pod and reason; returns the first container stuck past the grace period. */
  async onPod(pod: V1Pod): Promise<Stuck | undefined> {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp) {
      this.forget(name);
      return undefined;
    }
    const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False' && !this.warned.has(`${name}/unschedulable`)) {
      this.warned.add(`${name}/unschedulable`);
      await this.reportScheduling(name, scheduled.message);
    }
    // Init containers first: one stuck there keeps every app container in PodInitializing.
    const inits = pod.status?.initContainerStatuses ?? [];
    for (const status of [...inits, ...(pod.status?.containerStatuses ?? [])]) {
      const what = inits.includes(status) ? 'Init container' : 'Container';
      const waiting = status.state?.waiting;
      const key = `${name}/${status.name}`;
      if (!waiting?.reason || !STUCK_REASONS.has(waiting.reason)) {
        this.stuckSince.delete(key);
        continue;
      }
      const since = this.stuckSince.get(key) ?? this.clock.now();
      this.stuckSince.set(key, since);
      const waitsForOwnSecret = this.ownSecret !== undefined && waiting.reason === 'CreateContainerConfigError' && (waiting.message ?? '').includes(`"${this.ownSecret}"`);
      if (!waitsForOwnSecret && !this.warned.has(`${key}/${waiting.reason}`)) {
        this.warned.add(`${key}/${waiting.reason}`);
        this.reporter.warning(
          `${what} ${status.name} of pod ${name} is waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}. ` +
            `The Job is deleted if this lasts ${Math.round(this.graceMs / 1000)} s (input image-pull-grace-period).`,
          'Container cannot start',
        );
      }
      if (this.clock.now() - since >= this.graceMs) {
        return { pod: name, container: status.name, reason: waiting.reason, message: waiting.message ?? '', what };
      }
    }
    return undefined;
  }

  /**
   * The pod is being deleted or is gone: its containers are stuck no more. Without this a stuck
   * pod replaced by a healthy one would keep its deadline, past due, and the timer would spin.
   */
  forget(pod: string): void {
    for (const key of [...this.stuckSince.keys()]) if (key.startsWith(`${pod}/`)) this.stuckSince.delete(key);
  }

  /** Milliseconds until the earliest stuck container reaches the grace period, if any is stuck. */
  nextDeadlineIn(): number | undefined {
    if (this.stuckSince.size === 0) return undefined;
    const earliest = Math.min(...this.stuckSince.values());
    return Math.max(0, earliest + this.graceMs - this.clock.now());
  }

  private async reportScheduling(pod: string, conditionMessage: string | undefined): Promise<void> {
    const events = await this.cluster.podEvents(this.namespace, pod).catch(() => []);
    const failed = events.filter((e) => e.reason === 'FailedScheduling').map((e) => e.message ?? '');
    const detail = failed.at(-1) ?? conditionMessage ?? 'no scheduling event yet';
    this.reporter.warning(
      `Pod ${pod} is Pending: ${detail}. Check the node pool's capacity, node selectors, tolerations and the resource requests.`,
      'Pod cannot be scheduled',
    );
  }
}
