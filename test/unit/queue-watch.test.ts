import type { CoreV1Event } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { JobCluster } from '../../src/core/ports.js';
import type { KueueWorkload } from '../../src/core/queue.js';
import { QueueWatch } from '../../src/run/queue-watch.js';
import { RecordingReporter } from '../support/recording-reporter.js';

function setup(answers: Array<KueueWorkload[] | 'absent' | 'forbidden' | Error>, events: { job?: CoreV1Event[][]; workload?: CoreV1Event[][] } = {}) {
  const calls: string[] = [];
  const cluster = {
    listWorkloads: async (ns: string, uid: string) => {
      calls.push(`workloads ${ns}/${uid}`);
      const next = answers.shift() ?? [];
      if (next instanceof Error) throw next;
      return next;
    },
    jobEvents: async (ns: string, name: string) => {
      calls.push(`job events ${ns}/${name}`);
      return events.job?.shift() ?? [];
    },
    workloadEvents: async (ns: string, name: string) => {
      calls.push(`workload events ${ns}/${name}`);
      return events.workload?.shift() ?? [];
    },
  } as unknown as JobCluster;
  const reporter = new RecordingReporter();
  return { watch: new QueueWatch(cluster, reporter, 'team-a', 'etl-x1', 'u-1'), reporter, calls };
}
const waiting = (message: string): KueueWorkload => ({ metadata: { name: 'job-etl-1' }, status: { conditions: [{ type: 'QuotaReserved', status: 'False', reason: 'WaitingForQuota', message }] } });
const event = (uid: string, reason: string, message: string, at: string, count = 1): CoreV1Event =>
  ({ metadata: { uid }, involvedObject: {}, reason, message, count, lastTimestamp: new Date(at) });
const created = event('j1', 'CreatedWorkload', 'Created Workload: team-a/job-etl-x1-ab12c', '2026-01-01T00:00:00Z');
const pending = (count: number) => event('w1', 'Pending', 'insufficient quota for cpu', '2026-01-01T00:00:01Z', count);

describe('QueueWatch', () => {
  it('prints the Workload state once per change, rides over a failed list', async () => {
    const { watch, reporter, calls } = setup([[], [waiting('1 more cpu needed')], [waiting('1 more cpu needed')], new Error('reset'),
      [waiting('2 more cpu needed')], [{ metadata: { name: 'job-etl-1' }, status: { conditions: [{ type: 'Admitted', status: 'True', reason: 'Admitted' }], admission: { clusterQueue: 'cq' } } }]]);
    for (let i = 0; i < 6; i++) await watch.check();
    expect(calls).toEqual(Array(6).fill('workloads team-a/u-1'));
    expect(reporter.lines).toEqual([
      'Kueue: Workload job-etl-1 waits (WaitingForQuota: 1 more cpu needed).',
      'Kueue: Workload job-etl-1 waits (WaitingForQuota: 2 more cpu needed).',
      'Kueue: Workload job-etl-1 admitted (Admitted: Admitted by ClusterQueue cq).',
    ]);
  });

  it('without permission says once what the permission would add, then follows the Workload from its events', async () => {
    const { watch, reporter, calls } = setup(['forbidden'], {
      job: [[], [created]],
      workload: [[pending(1)], [pending(3)], [pending(3), event('w2', 'QuotaReserved', 'Quota reserved in ClusterQueue cq', '2026-01-01T00:00:09Z'),
        event('w3', 'Admitted', 'Admitted by ClusterQueue cq', '2026-01-01T00:00:09Z')]],
    });
    for (let i = 0; i < 5; i++) await watch.check();
    expect(calls.filter((c) => c.startsWith('workloads '))).toHaveLength(1);
    // The Job's events are read until they name the Workload, then only the Workload's.
    expect(calls.filter((c) => c.startsWith('job events '))).toEqual(['job events team-a/etl-x1', 'job events team-a/etl-x1']);
    expect(calls.filter((c) => c.startsWith('workload events '))).toEqual(Array(4).fill('workload events team-a/job-etl-x1-ab12c'));
    expect(reporter.lines).toEqual([
      "Cannot list Kueue Workloads in namespace team-a (forbidden), so the run follows Kueue's events instead, which are sampled and may be missed; " +
        "granting list on workloads.kueue.x-k8s.io (the Kueue rule in the README) would show the Workload's conditions as they change (why it waits, admission, eviction).",
      'Kueue: Workload job-etl-x1-ab12c waits (Pending: insufficient quota for cpu) (from its events).',
      'Kueue: Workload job-etl-x1-ab12c admitted (Admitted: Admitted by ClusterQueue cq) (from its events).',
    ]);
  });

  it('without the Workload API warns once that nothing may admit the Job', async () => {
    const { watch, reporter, calls } = setup(['absent']);
    await watch.check();
    await watch.check();
    expect(calls).toHaveLength(1);
    expect(reporter.annotations).toEqual([{ level: 'warning', title: 'No Kueue', message: expect.stringContaining('the cluster serves no Kueue Workload API (workloads.kueue.x-k8s.io)') as string }]);
  });
});
