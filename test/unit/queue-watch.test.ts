import { describe, expect, it } from 'vitest';
import type { JobCluster } from '../../src/core/ports.js';
import type { KueueWorkload } from '../../src/core/queue.js';
import { QueueWatch } from '../../src/run/queue-watch.js';
import { RecordingReporter } from '../support/recording-reporter.js';

function setup(answers: Array<KueueWorkload[] | 'absent' | 'forbidden' | Error>) {
  const calls: string[] = [];
  const cluster = {
    listWorkloads: async (ns: string, uid: string) => {
      calls.push(`${ns}/${uid}`);
      const next = answers.shift() ?? [];
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as JobCluster;
  const reporter = new RecordingReporter();
  return { watch: new QueueWatch(cluster, reporter, 'team-a', 'u-1'), reporter, calls };
}
const waiting = (message: string): KueueWorkload => ({ metadata: { name: 'job-etl-1' }, status: { conditions: [{ type: 'QuotaReserved', status: 'False', reason: 'WaitingForQuota', message }] } });

describe('QueueWatch', () => {
  it('prints the Workload state once per change, rides over a failed list', async () => {
    const { watch, reporter, calls } = setup([[], [waiting('1 more cpu needed')], [waiting('1 more cpu needed')], new Error('reset'),
      [waiting('2 more cpu needed')], [{ metadata: { name: 'job-etl-1' }, status: { conditions: [{ type: 'Admitted', status: 'True', reason: 'Admitted' }], admission: { clusterQueue: 'cq' } } }]]);
    for (let i = 0; i < 6; i++) await watch.check();
    expect(calls).toEqual(Array(6).fill('team-a/u-1'));
    expect(reporter.lines).toEqual([
      'Kueue: Workload job-etl-1 waits (WaitingForQuota: 1 more cpu needed).',
      'Kueue: Workload job-etl-1 waits (WaitingForQuota: 2 more cpu needed).',
      'Kueue: Workload job-etl-1 admitted (Admitted: Admitted by ClusterQueue cq).',
    ]);
  });

  it('without permission says once what the permission would add, then stops asking', async () => {
    const { watch, reporter, calls } = setup(['forbidden']);
    await watch.check();
    await watch.check();
    expect(calls).toHaveLength(1);
    expect(reporter.lines).toEqual([
      'Cannot list Kueue Workloads in namespace team-a (forbidden), so why the Job waits (e.g. WaitingForQuota) is not shown; granting list on workloads.kueue.x-k8s.io (the Kueue rule in the README) would show it.',
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
