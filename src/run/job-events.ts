/**
 * The Job's own Warning events, shown as they appear. The Job controller records FailedCreate
 * there when it cannot create pods at all (a missing ServiceAccount, an exceeded ResourceQuota, a
 * PodSecurity rejection, a missing PriorityClass); no pod exists, so nothing else would say why.
 * A FailedCreate that lasts the grace period with no pod alive gives the run up, like a stuck
 * image pull.
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { jobPath } from '../core/errors.js';
import type { Clock, JobCluster, Reporter } from '../core/ports.js';
import type { Stuck } from './pod-diagnostics.js';

/** Reasons the failure message already explains (the Job's terminal condition). */
const TERMINAL_REASONS: ReadonlySet<string> = new Set([
  'BackoffLimitExceeded', 'DeadlineExceeded', 'PodFailurePolicy', 'MaxFailedIndexesExceeded', 'FailedIndexes',
]);

function eventTime(e: CoreV1Event): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return t === undefined ? 0 : new Date(t).getTime();
}

export class JobEvents {
  private readonly shown = new Set<string>();
  private failingSince: number | undefined;

  constructor(
    private readonly cluster: JobCluster,
    private readonly reporter: Reporter,
    private readonly clock: Clock,
    private readonly namespace: string,
    private readonly name: string,
    private readonly uid: string,
    private readonly graceMs: number,
  ) {}

  /**
   * Reads the Job's events, warns about new Warnings, and returns the FailedCreate that has lasted
   * the grace period: newer than every pod seen (`pods`, deleted ones too), while no pod is alive.
   */
  async check(pods: readonly V1Pod[], anyAlive: boolean): Promise<Stuck | undefined> {
    const events = await this.cluster.jobEvents(this.namespace, this.name).catch(() => undefined);
    if (!events) return undefined;
    const warnings = events
      .filter((e) => e.type === 'Warning' && (!e.involvedObject.uid || e.involvedObject.uid === this.uid))
      .sort((a, b) => eventTime(a) - eventTime(b));
    for (const e of warnings) {
      const key = `${e.reason ?? ''}/${e.message ?? ''}`;
      if (this.shown.has(key) || TERMINAL_REASONS.has(e.reason ?? '')) continue;
      this.shown.add(key);
      const hint = e.reason === 'FailedCreate'
        ? ` The Job is deleted if no pod can be created for ${Math.round(this.graceMs / 1000)} s (input image-pull-grace-period).`
        : '';
      this.reporter.warning(`${jobPath(this.namespace, this.name)}: ${e.reason ?? 'Warning'}: ${e.message ?? ''}.${hint}`, 'Job warning');
    }
    const newestPod = Math.max(0, ...pods.map((p) => new Date(p.metadata?.creationTimestamp ?? 0).getTime()));
    const failing = warnings.filter((e) => e.reason === 'FailedCreate' && eventTime(e) > newestPod).at(-1);
    if (!failing || anyAlive) {
      this.failingSince = undefined;
      return undefined;
    }
    this.failingSince ??= this.clock.now();
    if (this.clock.now() - this.failingSince < this.graceMs) return undefined;
    return { pod: '', container: '', reason: 'FailedCreate', message: failing.message ?? '', what: 'Pod' };
  }

  /** Milliseconds until a lasting FailedCreate reaches the grace period, if one is failing. */
  nextDeadlineIn(): number | undefined {
    return this.failingSince === undefined ? undefined : Math.max(0, this.failingSince + this.graceMs - this.clock.now());
  }
}
