import { describe, expect, it } from 'vitest';
import type { V1Job } from '@kubernetes/client-node';
import { cleanupJob, type SavedRun } from '../../src/run/cleanup.js';
import { Annotation } from '../../src/core/names.js';
import type { JobCluster } from '../../src/core/ports.js';
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
    expect(await cleanupJob(state, async () => cluster, reporter)).toBe(result);
    expect(deleted).toEqual(deletes);
  });

  it('signs in to nothing when there is nothing to check', async () => {
    let connects = 0;
    await cleanupJob({ ...saved, finished: true }, async () => {
      connects++;
      return clusterWith(running).cluster;
    }, new RecordingReporter());
    expect(connects).toBe(0);
  });
});
