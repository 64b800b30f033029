/** followJob with a hand-written JobCluster: races between the Job's watch and the pods' watch. */
import { describe, expect, it } from 'vitest';
import type { V1Job, V1JobCondition, V1Pod } from '@kubernetes/client-node';
import type { KueueWorkload } from '../../src/core/queue.js';
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

  it('a run Kueue preempts says why at once, after the re-queue line, before a quick re-admission hides it', async () => {
    const suspended = (status: string, reason: string): V1JobCondition => ({ type: 'Suspended', status, reason, message: reason === 'JobSuspended' ? 'Job suspended' : 'Job resumed' });
    const queued: V1Job = { metadata: { name: 'run', uid: 'u1', labels: { 'kueue.x-k8s.io/queue-name': 'q' } }, spec: { suspend: true, template: {} }, status: { conditions: [suspended('True', 'JobSuspended')] } };
    const running: V1Job = { ...queued, spec: { suspend: false, template: {} }, status: { active: 1, startTime: new Date(), conditions: [suspended('False', 'JobResumed')] } };
    const done: V1Job = { ...running, status: { conditions: [suspended('False', 'JobResumed'), { type: 'Complete', status: 'True', reason: 'CompletionsReached' }] } };
    const admitted: KueueWorkload = { metadata: { name: 'job-run-1' }, status: { conditions: [{ type: 'Admitted', status: 'True', reason: 'Admitted', message: 'The workload is admitted' }] } };
    const evicted: KueueWorkload = { metadata: { name: 'job-run-1' }, status: { conditions: [
      { type: 'Evicted', status: 'True', reason: 'Preempted', message: 'Preempted to accommodate a workload (UID: u2) due to prioritization in the ClusterQueue' }] } };
    let workload = admitted;
    const cluster = {
      watchJob: async function* (): AsyncIterable<JobWatchEvent> {
        yield { type: 'changed', job: queued };
        yield { type: 'changed', job: running };
        workload = evicted;
        yield { type: 'changed', job: queued };
        workload = admitted;
        yield { type: 'changed', job: running };
        yield { type: 'changed', job: done };
      },
      watchPods: async function* (_ns: string, _uid: string, signal: AbortSignal): AsyncIterable<PodWatchEvent> {
        await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
        yield* []; // no pods: Kueue's part is the Job's
      },
      listWorkloads: async () => [workload],
      jobEvents: async () => [],
      podEvents: async () => [],
    } as unknown as JobCluster;
    const reporter = new RecordingReporter();
    const outcome = await followJob(
      { cluster, reporter, clock: systemClock },
      { namespace: 'ns', job: queued, followLogs: false, maxLogStreams: 4, imagePullGraceMs: 60_000 },
      new AbortController().signal,
    );
    expect(outcome.status).toBe('Success');
    const lines = reporter.lines.filter((l) => /^(Kueue|Re-queued|Status): /.test(l));
    expect(lines).toEqual([
      'Status: Queued → Running',
      'Kueue: Workload job-run-1 admitted (Admitted: The workload is admitted).',
      'Status: Running → Queued',
      "Re-queued: Kueue stopped jobs/ns/run (evicted or preempted) (Suspended: JobSuspended, 'Job suspended'); it waits in LocalQueue 'q' of namespace ns to be admitted again. Waiting; the timeout includes the time queued.",
      'Kueue: Workload job-run-1 evicted (Preempted: Preempted to accommodate a workload (UID: u2) due to prioritization in the ClusterQueue).',
      'Status: Queued → Running',
      'Kueue: Workload job-run-1 admitted (Admitted: The workload is admitted).',
      'Status: Running → Success',
    ]);
  });
});
