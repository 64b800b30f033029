/**
 * While Kueue holds the Job: why it waits, from Kueue's Workload object (QuotaReserved=False
 * WaitingForQuota, admitted, evicted), printed once per change. Without the Workload API or the
 * permission to list Workloads, says once what is missing and what it would add.
 */
import { QUEUE_LABEL, workloadLine, workloadState } from '../core/queue.js';
import type { JobCluster, Reporter } from '../core/ports.js';

export class QueueWatch {
  private last = '';
  private unavailable = false;

  constructor(
    private readonly cluster: JobCluster,
    private readonly reporter: Reporter,
    private readonly namespace: string,
    private readonly jobUid: string,
  ) {}

  async check(): Promise<void> {
    if (this.unavailable) return;
    const found = await this.cluster.listWorkloads(this.namespace, this.jobUid).catch(() => undefined); // transient: next tick
    if (found === 'absent') {
      this.unavailable = true;
      this.reporter.warning(
        `The Job carries label ${QUEUE_LABEL}, but the cluster serves no Kueue Workload API (workloads.kueue.x-k8s.io), so Kueue seems not to be installed and nothing may admit it: ` +
          "it stays suspended until someone sets spec.suspend: false or the timeout passes. Remove the label (or input 'queue') where Kueue does not run.",
        'No Kueue',
      );
      return;
    }
    if (found === 'forbidden') {
      this.unavailable = true;
      this.reporter.info(
        `Cannot list Kueue Workloads in namespace ${this.namespace} (forbidden), so why the Job waits (e.g. WaitingForQuota) is not shown; ` +
          'granting list on workloads.kueue.x-k8s.io (the Kueue rule in the README) would show it.',
      );
      return;
    }
    const workload = found?.[0];
    if (workload === undefined) return;
    const state = workloadState(workload);
    const key = `${workload.metadata?.name ?? ''}|${state.phase}|${state.reason}|${state.message}`;
    if (key === this.last) return;
    this.last = key;
    this.reporter.info(workloadLine(workload, state));
  }
}
