/** followJob with a hand-written JobCluster: races between the Job's watch and the pods' watch. */
import { describe, expect, it } from 'vitest';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { JobCluster, JobWatchEvent, LogLine, PodWatchEvent } from '../../src/core/ports.js';
import { followJob } from '../../src/run/follow-job.js';
import { systemClock } from '../../src/system-clock.js';
import { RecordingReporter } from '../support/recording-reporter.js';

const job: V1Job = {
  metadata: { name: 'run', uid: 'u1' },
  status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True', reason: 'CompletionsReached' }] },
};
const pod: V1Pod = {
  metadata: { name: 'run-p' },
  status: {
    phase: 'Succeeded',
    containerStatuses: [{ name: 'main', image: 'i', imageID: '', ready: false, restartCount: 0, containerID: 'c1', state: { terminated: { exitCode: 0, message: '{"rows":3}', containerID: 'c1' } } }],
  },
};

describe('followJob', () => {
  it('a Job already finished when following starts still waits for its pods: their logs and result are not lost', async () => {
    const cluster = {
      watchJob: async function* (): AsyncIterable<JobWatchEvent> {
        yield { type: 'changed', job };
      },
      watchPods: async function* (_ns: string, _uid: string, signal: AbortSignal): AsyncIterable<PodWatchEvent> {
        await new Promise((r) => setTimeout(r, 300)); // the pod list answers after the Job's
        if (!signal.aborted) yield { type: 'changed', pod };
        await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
      },
      followLog: async (_ns: string, _pod: string, _c: string, onLine: (l: LogLine) => void) => {
        onLine({ time: '2026-12-07T10:00:00.000000000Z', text: 'report line' });
      },
      jobEvents: async () => [],
      podEvents: async () => [],
    } as unknown as JobCluster;
    const reporter = new RecordingReporter();
    const outcome = await followJob(
      { cluster, reporter, clock: systemClock },
      { namespace: 'ns', job, followLogs: true, maxLogStreams: 4, imagePullGraceMs: 60_000 },
      new AbortController().signal,
    );
    expect(outcome.end).toBe('terminal');
    expect([...outcome.pods.keys()]).toEqual(['run-p']);
    expect(reporter.lines).toContain('report line');
  });
});
