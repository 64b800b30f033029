import type { V1Job, V1JobCondition } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { decodeStatus, type RunStatus } from '../../src/core/status.js';

const cond = (type: string, reason = '', status = 'True'): V1JobCondition => ({ type, status, reason, message: type === 'Suspended' ? 'Job suspended' : '' });
const QUEUE = { 'kueue.x-k8s.io/queue-name': 'team-a-batch' };
function job(o: { labels?: Record<string, string>; suspend?: boolean; managedBy?: string; conditions?: V1JobCondition[]; active?: number; startTime?: Date }): V1Job {
  return {
    metadata: { name: 'etl-bcdfg', labels: o.labels },
    spec: { template: {}, suspend: o.suspend, managedBy: o.managedBy },
    status: { conditions: o.conditions, active: o.active, startTime: o.startTime },
  };
}

describe('decodeStatus (seed 000 table, plus Kueue)', () => {
  const cases: Array<[string, V1Job, RunStatus]> = [
    ['Complete', job({ conditions: [cond('Complete')] }), 'Success'],
    ['Failed', job({ conditions: [cond('Failed', 'BackoffLimitExceeded')] }), 'Failed'],
    ['suspended by a person (no Kueue label): Cancelled', job({ suspend: true, conditions: [cond('Suspended', 'JobSuspended')] }), 'Cancelled'],
    ['suspended by a person while running (startTime kept): Cancelled', job({ suspend: true, startTime: new Date(), conditions: [cond('Suspended', 'JobSuspended')] }), 'Cancelled'],
    ['held by Kueue: queue label and Suspended=True', job({ labels: QUEUE, suspend: true, conditions: [cond('Suspended', 'JobSuspended')] }), 'Queued'],
    ['created suspended in a queue, before the Job controller wrote the condition', job({ labels: QUEUE, suspend: true }), 'Queued'],
    ['MultiKueue-managed and suspended', job({ managedBy: 'kueue.x-k8s.io/multikueue', suspend: true, conditions: [cond('Suspended', 'JobSuspended')] }), 'Queued'],
    ['admitted: Suspended=False JobResumed, pods active', job({ labels: QUEUE, suspend: false, active: 1, startTime: new Date(), conditions: [cond('Suspended', 'JobResumed', 'False')] }), 'Running'],
    ['admitted, no pod yet', job({ labels: QUEUE, suspend: false, conditions: [cond('Suspended', 'JobResumed', 'False')] }), 'Unknown'],
    ['a queued Job that completed is Success', job({ labels: QUEUE, conditions: [cond('Suspended', 'JobResumed', 'False'), cond('Complete')] }), 'Success'],
    ['in a queue, not suspended: as without Kueue', job({ labels: QUEUE, suspend: false }), 'Starting'],
    ['empty queue label is no queue', job({ labels: { 'kueue.x-k8s.io/queue-name': '' }, suspend: true, conditions: [cond('Suspended', 'JobSuspended')] }), 'Cancelled'],
    ['active', job({ active: 1 }), 'Running'],
    ['nothing yet', job({}), 'Starting'],
    ['only FailureTarget', job({ conditions: [cond('FailureTarget')] }), 'Unknown'],
  ];
  it.each(cases)('%s', (_, j, expected) => {
    expect(decodeStatus(j)).toBe(expected);
  });
});
