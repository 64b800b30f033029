/**
 * While Kueue holds the Job: why it waits, from Kueue's Workload object (QuotaReserved=False
 * Pending/WaitingForQuota, admitted, evicted), printed once per change. Without the permission to
 * list Workloads, the same from Kueue's events (the Job's events name its Workload, the Workload's say
 * why), and once what the permission would add. Without the Workload API, a warning.
 */
import { QUEUE_LABEL, workloadLine, workloadState } from '../core/queue.js';
import { workloadEventStates, workloadNameFromJobEvents } from '../core/queue-events.js';
import type { JobCluster, Reporter } from '../core/ports.js';

export class QueueWatch {
  private last = '';
  private mode: 'workloads' | 'events' | 'off' = 'workloads';
  private workload: string | undefined;
  private readonly seenEvents = new Set<string>();

  constructor(
    private readonly cluster: JobCluster,
    private readonly reporter: Reporter,
    private readonly namespace: string,
    private readonly jobName: string,
    private readonly jobUid: string,
  ) {}

  async check(): Promise<void> {
    if (this.mode === 'events') return this.checkEvents();
    if (this.mode === 'off') return;
    const found = await this.cluster.listWorkloads(this.namespace, this.jobUid).catch(() => undefined); // transient: next tick
    if (found === 'absent') {
      this.mode = 'off';
      this.reporter.warning(
        `The Job carries label ${QUEUE_LABEL}, but the cluster serves no Kueue Workload API (workloads.kueue.x-k8s.io), so Kueue seems not to be installed and nothing may admit it: ` +
          "it stays suspended until someone sets spec.suspend: false or the timeout passes. Remove the label (or input 'queue') where Kueue does not run.",
        'No Kueue',
      );
      return;
    }
    if (found === 'forbidden') {
      this.mode = 'events';
      this.reporter.info(
        `Cannot list Kueue Workloads in namespace ${this.namespace} (forbidden), so the run follows Kueue's events instead, which are sampled and may be missed; ` +
          "granting list on workloads.kueue.x-k8s.io (the Kueue rule in the README) would show the Workload's conditions as they change (why it waits, admission, eviction).",
      );
      return this.checkEvents();
    }
    const workload = found?.[0];
    if (workload === undefined) return;
    this.print(workloadLine(workload, workloadState(workload)));
  }

  /** Each new occurrence of a Workload event, unless it says what the last line said. */
  private async checkEvents(): Promise<void> {
    this.workload ??= workloadNameFromJobEvents(await this.cluster.jobEvents(this.namespace, this.jobName).catch(() => []));
    if (this.workload === undefined) return;
    const events = await this.cluster.workloadEvents(this.namespace, this.workload).catch(() => []);
    for (const { key, state } of workloadEventStates(events)) {
      if (this.seenEvents.has(key)) continue;
      this.seenEvents.add(key);
      this.print(`${workloadLine({ metadata: { name: this.workload } }, state).slice(0, -1)} (from its events).`);
    }
  }

  private print(line: string): void {
    if (line === this.last) return;
    this.last = line;
    this.reporter.info(line);
  }
}
