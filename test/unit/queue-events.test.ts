import type { CoreV1Event } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { workloadEventStates, workloadNameFromJobEvents } from '../../src/core/queue-events.js';

const event = (reason: string, message: string, at: string, o: { uid?: string; count?: number } = {}): CoreV1Event =>
  ({ metadata: { uid: o.uid ?? reason }, involvedObject: {}, reason, message, count: o.count, lastTimestamp: new Date(at) });

describe('workloadNameFromJobEvents', () => {
  it.each([
    { events: [event('Suspended', 'Job suspended', '2026-01-01T00:00:00Z'), event('CreatedWorkload', 'Created Workload: ns-a/job-etl-1b2c3', '2026-01-01T00:00:00Z')], want: 'job-etl-1b2c3' },
    { events: [event('Suspended', 'Job suspended', '2026-01-01T00:00:00Z')], want: undefined },
    { events: [event('CreatedWorkload', 'Created Workload: ', '2026-01-01T00:00:00Z')], want: undefined },
  ])('$want', ({ events, want }) => {
    expect(workloadNameFromJobEvents(events)).toBe(want);
  });
});

describe('workloadEventStates', () => {
  it('keeps the events that change the queue state, oldest first, same-second ones in the order Kueue records them', () => {
    const events = [
      event('Admitted', 'Admitted by ClusterQueue cq, wait time since reservation was 0s', '2026-01-01T00:00:05Z'),
      event('QuotaReserved', 'Quota reserved in ClusterQueue cq, wait time since queued was 4s', '2026-01-01T00:00:05Z'),
      event('Pending', 'insufficient quota', '2026-01-01T00:00:01Z', { count: 4 }),
      event('Preempted', 'Preempted to accommodate a workload (UID: u2) due to prioritization in the ClusterQueue', '2026-01-01T00:00:09Z'),
      event('Deleted', 'Deleted finished workload due to elapsed retention', '2026-01-01T00:00:10Z'),
    ];
    expect(workloadEventStates(events)).toEqual([
      { key: 'Pending|4', state: { phase: 'pending', reason: 'Pending', message: 'insufficient quota' } },
      { key: 'Admitted|1', state: { phase: 'admitted', reason: 'Admitted', message: 'Admitted by ClusterQueue cq, wait time since reservation was 0s' } },
      { key: 'Preempted|1', state: { phase: 'evicted', reason: 'Preempted', message: 'Preempted to accommodate a workload (UID: u2) due to prioritization in the ClusterQueue' } },
    ]);
  });
});
