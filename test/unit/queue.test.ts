import type { V1Job } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { queueKey, queueLine, queuedTimeout, queueOf, workloadLine, workloadState, type KueueWorkload, type WorkloadState } from '../../src/core/queue.js';

function job(labels: Record<string, string> | undefined, message = 'Job suspended', managedBy?: string): V1Job {
  return {
    metadata: { name: 'etl-bcdfg', labels },
    spec: { template: {}, suspend: true, managedBy },
    status: { conditions: [{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message }] },
  };
}
const QUEUE = { 'kueue.x-k8s.io/queue-name': 'team-a-batch' };

describe('queueOf', () => {
  it.each<[string, V1Job, string | undefined]>([
    ['the label', job(QUEUE), 'team-a-batch'],
    ['MultiKueue', job(undefined, '', 'kueue.x-k8s.io/multikueue'), '(MultiKueue)'],
    ['another controller', job(undefined, '', 'example.com/other'), undefined],
    ['no label', job({ team: 'data' }), undefined],
  ])('%s', (_, j, expected) => {
    expect(queueOf(j)).toBe(expected);
  });
});

describe('queueLine', () => {
  it('says where it waits and that the timeout counts', () => {
    expect(queueLine(job(QUEUE), 'team-a', false)).toBe(
      "Queued: jobs/team-a/etl-bcdfg waits in LocalQueue 'team-a-batch' of namespace team-a until Kueue admits it (Suspended: JobSuspended, 'Job suspended'). " +
      'Waiting; the timeout includes the time queued.');
  });
  it('says re-queued after it ran (eviction or preemption)', () => {
    expect(queueLine(job(QUEUE), 'team-a', true)).toBe(
      "Re-queued: Kueue stopped jobs/team-a/etl-bcdfg (evicted or preempted) (Suspended: JobSuspended, 'Job suspended'); it waits in LocalQueue 'team-a-batch' of namespace team-a to be admitted again. " +
      'Waiting; the timeout includes the time queued.');
  });
  it('changes its key only when the queue or the condition changes', () => {
    expect(queueKey(job(QUEUE))).toBe(queueKey({ ...job(QUEUE), status: { ...job(QUEUE).status, active: 0 } }));
    expect(queueKey(job(QUEUE))).not.toBe(queueKey(job(QUEUE, 'Evicted: Preempted')));
    expect(queueKey(job(QUEUE))).not.toBe(queueKey(job({ 'kueue.x-k8s.io/queue-name': 'other' })));
  });
});

describe('queuedTimeout', () => {
  it('names the queue, the namespace and what to check', () => {
    expect(queuedTimeout(job(QUEUE), 'team-a', 600, true)).toBe(
      "The timeout of 600 s passed while jobs/team-a/etl-bcdfg was still queued in LocalQueue 'team-a-batch' of namespace team-a (not admitted); it was deleted. " +
      "Check the queue's ClusterQueue quota (kubectl get workloads -n team-a), or raise 'timeout'. If Kueue does not manage this namespace, remove label kueue.x-k8s.io/queue-name (or input 'queue').");
  });
});

describe('workloadState', () => {
  const wl = (conditions: Array<[string, string, string, string?]>, clusterQueue?: string): KueueWorkload => ({
    metadata: { name: 'job-etl-bcdfg-1a2b3' },
    status: { conditions: conditions.map(([type, status, reason, message]) => ({ type, status, reason, ...(message === undefined ? {} : { message }) })),
      ...(clusterQueue ? { admission: { clusterQueue } } : {}) },
  });
  const cases: Array<[string, KueueWorkload, WorkloadState]> = [
    ['not evaluated yet', wl([]), { phase: 'pending', reason: 'Pending', message: 'Kueue has not evaluated it yet' }],
    ['waiting for quota', wl([['QuotaReserved', 'False', 'WaitingForQuota', "couldn't assign flavors to pod set main: insufficient unused quota for cpu in flavor default, 1 more needed"]]),
      { phase: 'pending', reason: 'WaitingForQuota', message: "couldn't assign flavors to pod set main: insufficient unused quota for cpu in flavor default, 1 more needed" }],
    ['quota reserved, admission checks pending', wl([['QuotaReserved', 'True', 'QuotaReserved'], ['Admitted', 'False', 'NoChecks', 'The workload has not all admission checks']]),
      { phase: 'pending', reason: 'NoChecks', message: 'The workload has not all admission checks' }],
    ['admitted (message from the condition)', wl([['QuotaReserved', 'True', 'QuotaReserved'], ['Admitted', 'True', 'Admitted', 'The workload is admitted']], 'team-a-cq'),
      { phase: 'admitted', reason: 'Admitted', message: 'The workload is admitted' }],
    ['admitted (message from the admission)', wl([['Admitted', 'True', 'Admitted']], 'team-a-cq'), { phase: 'admitted', reason: 'Admitted', message: 'Admitted by ClusterQueue team-a-cq' }],
    ['evicted by preemption wins over admitted', wl([['Admitted', 'True', 'Admitted'], ['Evicted', 'True', 'Preempted', 'Preempted to accommodate a workload (UID: u-2) due to prioritization in the ClusterQueue']]),
      { phase: 'evicted', reason: 'Preempted', message: 'Preempted to accommodate a workload (UID: u-2) due to prioritization in the ClusterQueue' }],
    ['finished wins', wl([['Evicted', 'True', 'Preempted'], ['Finished', 'True', 'Succeeded', 'Job finished successfully']]), { phase: 'finished', reason: 'Succeeded', message: 'Job finished successfully' }],
  ];
  it.each(cases)('%s', (_, w, expected) => {
    expect(workloadState(w)).toEqual(expected);
  });
  it('reads as one line', () => {
    const w = wl([['QuotaReserved', 'False', 'WaitingForQuota', 'insufficient quota']]);
    expect(workloadLine(w, workloadState(w))).toBe('Kueue: Workload job-etl-bcdfg-1a2b3 waits (WaitingForQuota: insufficient quota).');
  });
});
