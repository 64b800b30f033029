import { describe, expect, it } from 'vitest';
import type { V1Job } from '@kubernetes/client-node';
import { cleanupJob, type SavedRun } from '../../src/run/cleanup.js';
import { Annotation } from '../../src/core/names.js';
import type { Clock, JobCluster } from '../../src/core/ports.js';
import { KubernetesApiError } from '../../src/core/errors.js';
import { RecordingReporter } from '../support/recording-reporter.js';

/** A cluster holding at most one Job, recording deletes: all the post step may touch. */
function clusterWith(job: V1Job | undefined): { cluster: JobCluster; deleted: string[] } {
  const deleted: string[] = [];
  const cluster = {
    readJob: async (_ns: string, name: string) => (job?.metadata?.name === name ? job : undefined),
    deleteJob: async (_ns: string, name: string, uid: string | undefined) => {
      deleted.push(`${name}/${uid ?? '-'}`);
      return 'deleted' as const;
    },
  } as unknown as JobCluster;
  return { cluster, deleted };
}

const running: V1Job = {
  metadata: { name: 'etl-bcdfg', uid: 'u1', annotations: { [Annotation.submissionId]: 's1' } },
  status: { active: 1, startTime: new Date() },
};
const saved: SavedRun = { namespace: 'data', name: 'etl-bcdfg', uid: 'u1', finished: false, submissionId: 's1' };

describe('cleanupJob (the post step)', () => {
  it.each<[string, SavedRun, V1Job | undefined, string, string[]]>([
    ['deletes the unfinished Job the main step created', saved, running, 'deleted', ['etl-bcdfg/u1']],
    ['deletes it when the create answer never arrived, by its submission id', { ...saved, uid: '' }, running, 'deleted', ['etl-bcdfg/-']],
    ['never deletes a same-named Job of another submission', { ...saved, uid: '', submissionId: 'other' }, running, 'gone', []],
    ['never deletes a same-named Job with another uid', { ...saved, uid: 'u9' }, running, 'gone', []],
    ['never deletes a Job that already finished', saved, { ...running, status: { conditions: [{ type: 'Complete', status: 'True' }] } }, 'finished', []],
    ['does nothing when the main step saw the end', { ...saved, finished: true }, running, 'finished', []],
    ['does nothing when no Job was created', { ...saved, name: '' }, running, 'no-job', []],
    ['treats a Job already gone as nothing to do', saved, undefined, 'gone', []],
  ])('%s', async (_label, state, job, result, deletes) => {
    const { cluster, deleted } = clusterWith(job);
    const reporter = new RecordingReporter();
    expect(await cleanupJob(state, async () => cluster, reporter, fakeClock().clock)).toBe(result);
    expect(deleted).toEqual(deletes);
  });

  it('signs in to nothing when there is nothing to check', async () => {
    let connects = 0;
    await cleanupJob({ ...saved, finished: true }, async () => {
      connects++;
      return clusterWith(running).cluster;
    }, new RecordingReporter(), fakeClock().clock);
    expect(connects).toBe(0);
  });

  // Found by the cancellation campaign (npm run chaos): one 503 on the post step's read or delete
  // left the cancelled run's Job running.
  it.each([
    ['the read', { read: 1, delete: 0 }, [1000]],
    ['the delete', { read: 0, delete: 1 }, [1000]],
    ['both, with a refused connection', { read: 2, delete: 1 }, [1000, 2000, 1000]],
  ])('retries a transient failure of %s and still deletes the Job', async (_label, failures, waits) => {
    const { cluster, deleted } = clusterWith(running);
    const flaky = failing(cluster, failures);
    const reporter = new RecordingReporter();
    const { clock, slept } = fakeClock();
    expect(await cleanupJob(saved, async () => flaky, reporter, clock)).toBe('deleted');
    expect(deleted).toEqual(['etl-bcdfg/u1']);
    expect(slept).toEqual(waits);
    expect(reporter.lines.filter((l) => /Retrying in \d+ ms\.$/.test(l))).toHaveLength(failures.read + failures.delete);
  });

  it('gives up on an API server that never answers after a bounded number of attempts', async () => {
    const { cluster } = clusterWith(running);
    const down = failing(cluster, { read: 99, delete: 0 });
    const { clock, slept } = fakeClock();
    await expect(cleanupJob(saved, async () => down, new RecordingReporter(), clock)).rejects.toThrow(/Could not read jobs\/data\/etl-bcdfg: fetch failed \(ECONNREFUSED\)\. Check that the API server https:\/\/10\.0\.0\.1:443 is reachable/);
    expect(slept).toEqual([1000, 2000, 4000, 8000]);
  });

  it('does not retry what a retry cannot fix (403)', async () => {
    const { cluster } = clusterWith(running);
    const forbidden = { ...cluster, readJob: async () => { throw new KubernetesApiError({ operation: 'read', object: 'jobs/data/etl-bcdfg', statusCode: 403, reason: 'Forbidden', detail: 'no' }); } } as JobCluster;
    const { clock, slept } = fakeClock();
    await expect(cleanupJob(saved, async () => forbidden, new RecordingReporter(), clock)).rejects.toThrow(/403 Forbidden/);
    expect(slept).toEqual([]);
  });
});

/** A clock whose sleeps only advance its time, recording each wait. */
function fakeClock(): { clock: Clock; slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return { slept, clock: { now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; } } };
}

/** The cluster with its first reads / deletes failing: a 503 with Retry-After 1, then connections refused. */
function failing(cluster: JobCluster, n: { read: number; delete: number }): JobCluster {
  let reads = 0;
  let deletes = 0;
  const fault = (operation: string, i: number): KubernetesApiError => new KubernetesApiError(i === 0
    ? { operation, object: 'jobs/data/etl-bcdfg', statusCode: 503, reason: 'ServiceUnavailable', detail: 'injected', retryAfterSeconds: 1 }
    : { operation, object: 'jobs/data/etl-bcdfg', statusCode: undefined, reason: undefined, detail: 'fetch failed (ECONNREFUSED)', server: 'https://10.0.0.1:443' });
  return {
    ...cluster,
    readJob: async (ns: string, name: string) => {
      if (reads < n.read) throw fault('read', reads++);
      return cluster.readJob(ns, name);
    },
    deleteJob: async (ns: string, name: string, uid: string | undefined) => {
      if (deletes < n.delete) throw fault('delete', deletes++);
      return cluster.deleteJob(ns, name, uid);
    },
  };
}
