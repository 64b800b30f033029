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

  describe('the app container decides exit-code and result', () => {
    const status = (name: string, exitCode: number, finishedAt: string, message = '') =>
      ({ name, image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, message, finishedAt: new Date(finishedAt) } } });
    const twoContainers = (annotation?: string): V1Job => ({
      metadata: { name: 'etl-bcdfg' },
      spec: { template: {
        ...(annotation === undefined ? {} : { metadata: { annotations: { 'kubectl.kubernetes.io/default-container': annotation } } }),
        spec: {
          initContainers: [{ name: 'mesh', restartPolicy: 'Always' }, { name: 'setup' }],
          containers: [{ name: 'cloud-sql-proxy' }, { name: 'etl' }, { name: 'worker' }],
        },
      } },
      status: {},
    });
    const cases: Array<[string, V1Job, V1Pod[], { 'exit-code': string; result: string }]> = [
      ['the app failed, another container failed later: the app\'s code', twoContainers(), [{ status: { phase: 'Failed', containerStatuses: [
        status('etl', 3, '2026-11-21T02:00:10Z'), status('cloud-sql-proxy', 137, '2026-11-21T02:00:20Z'), status('worker', 0, '2026-11-21T02:00:30Z'),
      ] } }], { 'exit-code': '3', result: '' }],
      ['the app succeeded, another container failed the pod: its code', twoContainers(), [{ status: { phase: 'Failed', containerStatuses: [
        status('etl', 0, '2026-11-21T02:00:10Z', 'ok'), status('worker', 2, '2026-11-21T02:00:20Z'),
      ] } }], { 'exit-code': '2', result: '' }],
      ['a native sidecar stopped with 143 never counts; the result is the app\'s message', twoContainers(), [{ status: { phase: 'Succeeded',
        initContainerStatuses: [status('mesh', 143, '2026-11-21T02:00:40Z'), status('setup', 0, '2026-11-21T02:00:01Z')],
        containerStatuses: [status('cloud-sql-proxy', 0, '2026-11-21T02:00:30Z', 'proxy'), status('etl', 0, '2026-11-21T02:00:20Z', '{"rows":7}'), status('worker', 0, '2026-11-21T02:00:25Z', 'w')],
      } }], { 'exit-code': '', result: '{"rows":7}' }],
      ['a failed init container is the failure', twoContainers(), [{ status: { phase: 'Failed',
        initContainerStatuses: [status('mesh', 143, '2026-11-21T02:00:40Z'), status('setup', 5, '2026-11-21T02:00:01Z')],
      } }], { 'exit-code': '5', result: '' }],
      ['the annotation (input container) picks the worker', twoContainers('worker'), [{ status: { phase: 'Succeeded', containerStatuses: [
        status('etl', 0, '2026-11-21T02:00:20Z', 'etl'), status('worker', 0, '2026-11-21T02:00:25Z', 'from-worker'),
      ] } }], { 'exit-code': '', result: 'from-worker' }],
    ];
    it.each(cases)('%s', (_, j, pods, expected) => {
      const out = Object.fromEntries(runOutputs({ job: j, status: 'Success', reason: undefined, pods, monitorUrl: undefined }));
      expect({ 'exit-code': out['exit-code'], result: out.result }).toEqual(expected);
    });
  });
});
