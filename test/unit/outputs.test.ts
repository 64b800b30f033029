import { describe, expect, it } from 'vitest';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { runOutputs } from '../../src/core/outputs.js';

const job: V1Job = {
  metadata: { name: 'etl-bcdfg' },
  spec: { template: { spec: { containers: [{ name: 'main' }, { name: 'sidecar' }] } } },
  status: {
    succeeded: 1,
    failed: 2,
    startTime: new Date('2026-11-21T02:00:00Z'),
    completionTime: new Date('2026-11-21T02:01:30Z'),
    conditions: [{ type: 'Complete', status: 'True' }],
  },
};

function pod(phase: string, main: { exitCode: number; message?: string; finishedAt: string }): V1Pod {
  return {
    status: {
      phase,
      containerStatuses: [
        { name: 'sidecar', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, message: 'not me', finishedAt: new Date('2026-11-21T02:09:00Z') } } },
        { name: 'main', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { ...main, finishedAt: new Date(main.finishedAt) } } },
      ],
    },
  };
}

describe('runOutputs', () => {
  it('reports every output from the Job and its pods: last failed exit code, container[0] result of the last success', () => {
    const pods = [
      pod('Failed', { exitCode: 3, finishedAt: '2026-11-21T02:00:10Z' }),
      pod('Failed', { exitCode: 7, finishedAt: '2026-11-21T02:00:40Z' }),
      pod('Succeeded', { exitCode: 0, message: '{"rows":1234}', finishedAt: '2026-11-21T02:01:20Z' }),
    ];
    expect(runOutputs({ job, status: 'Success', reason: undefined, pods, monitorUrl: 'https://portal.azure.com/x' })).toEqual([
      ['run-id', 'etl-bcdfg'],
      ['status', 'Success'],
      ['reason', ''],
      ['succeeded', '1'],
      ['failed', '2'],
      ['start-time', '2026-11-21T02:00:00.000Z'],
      ['completion-time', '2026-11-21T02:01:30.000Z'],
      ['duration-seconds', '90'],
      ['exit-code', '7'],
      ['result', '{"rows":1234}'],
      ['monitor-url', 'https://portal.azure.com/x'],
    ]);
  });

  it('takes the failure time from the Failed condition when there is no completionTime', () => {
    const failed: V1Job = {
      ...job,
      status: {
        startTime: '2026-11-21T02:00:00Z' as unknown as Date, // raw watch objects carry strings
        conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', lastTransitionTime: new Date('2026-11-21T02:00:05Z') }],
      },
    };
    const out = Object.fromEntries(runOutputs({ job: failed, status: 'Failed', reason: 'DeadlineExceeded', pods: [], monitorUrl: undefined }));
    expect(out).toMatchObject({ 'completion-time': '2026-11-21T02:00:05.000Z', 'duration-seconds': '5', 'exit-code': '', result: '', reason: 'DeadlineExceeded' });
  });
});
