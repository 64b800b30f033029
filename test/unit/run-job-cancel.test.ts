/** The orchestrator's cancel path with a hand-written JobCluster: what it deletes and reports. */
import { describe, expect, it } from 'vitest';
import type { V1Job } from '@kubernetes/client-node';
import type { JobCluster, JobWatchEvent } from '../../src/core/ports.js';
import { parseRunSettings } from '../../src/core/parse-settings.js';
import type { RunSettings } from '../../src/core/settings.js';
import { actionDefaults } from '../../scripts/lib/runner.mjs';
import { runJob } from '../../src/run/run-job.js';
import { RecordingReporter } from '../support/recording-reporter.js';

// The settings a workflow gets from `job: etl`, `namespace: ns`, `follow-logs: false` and
// action.yml's defaults, through the real parser.
const inputs: Record<string, string> = { ...actionDefaults(), job: 'etl', namespace: 'ns', 'follow-logs': 'false' };
const settings: RunSettings = parseRunSettings((name) => inputs[name] ?? '');

const source: V1Job = { metadata: { name: 'etl' }, spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'img' }] } } } };

/** A cluster where the run is created, seen Running, and has Completed by the time it is read again. */
function cluster(opts: { completedOnRead: boolean }) {
  const deletes: string[] = [];
  let created: V1Job | undefined;
  const hang = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  const fake: Partial<JobCluster> = {
    readJob: async (_ns, name) => {
      if (name === 'etl') return source;
      if (!created) return undefined;
      return opts.completedOnRead
        ? { ...created, status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True', reason: 'Completed' }], completionTime: new Date() } }
        : created;
    },
    createJob: async (_ns, job) => (created = { ...job, metadata: { ...job.metadata, uid: 'u1' }, status: { active: 1, startTime: new Date() } }),
    deleteJob: async (_ns, name) => (deletes.push(name), 'deleted'),
    watchJob: async function* (_ns, _name, signal): AsyncIterable<JobWatchEvent> {
      if (created) yield { type: 'changed', job: created };
      await hang(signal);
    },
    // No pod ever shows up: an iterator that ends only when the follow is stopped.
    watchPods: (_ns, _uid, signal) => ({
      [Symbol.asyncIterator]: () => ({ next: () => hang(signal).then(() => ({ done: true as const, value: undefined })) }),
    }),
    jobEvents: async () => [],
    podEvents: async () => [],
  };
  return { fake: fake as JobCluster, deletes };
}

async function cancelledRun(completedOnRead: boolean) {
  const { fake, deletes } = cluster({ completedOnRead });
  const reporter = new RecordingReporter();
  const controller = new AbortController();
  const deps = {
    cluster: fake, reporter, context: { repository: undefined, runId: undefined, runAttempt: undefined, runUrl: undefined },
    clock: { now: () => Date.now(), sleep: (ms: number, signal: AbortSignal) => new Promise<void>((r) => { const t = setTimeout(r, ms); signal.addEventListener('abort', () => { clearTimeout(t); r(); }, { once: true }); }) },
    random: Math.random, monitorUrl: undefined,
  };
  const run = runJob(settings, deps, controller.signal).then(() => undefined, (err: Error) => err);
  setTimeout(() => controller.abort('SIGINT'), 50);
  return { error: await run, reporter, deletes };
}

describe('cancel', () => {
  it('deletes a Job still running when the workflow is cancelled', async () => {
    const { error, reporter, deletes } = await cancelledRun(false);
    expect(deletes).toHaveLength(1);
    expect(reporter.outputs).toMatchObject({ status: 'Cancelled', reason: 'WorkflowCancelled' });
    expect(error?.message).toContain('was deleted');
  });

  it('never deletes a Job that finished just before the cancel: it reports the real end', async () => {
    const { error, reporter, deletes } = await cancelledRun(true);
    expect(deletes).toEqual([]);
    expect(error).toBeUndefined();
    expect(reporter.outputs).toMatchObject({ status: 'Success', reason: 'Completed' });
  });
});
