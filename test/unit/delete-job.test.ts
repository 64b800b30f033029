import { describe, expect, it } from 'vitest';
import { KubernetesApiError } from '../../src/core/errors.js';
import type { Clock, JobCluster } from '../../src/core/ports.js';
import { deleteJobBefore } from '../../src/run/delete-job.js';
import { RecordingReporter } from '../support/recording-reporter.js';

const unreachable = () => new KubernetesApiError({ operation: 'delete', object: 'jobs/data/etl-bcdfg', statusCode: undefined, reason: undefined, detail: 'connect ECONNREFUSED 127.0.0.1:6443' });
const forbidden = () => new KubernetesApiError({ operation: 'delete', object: 'jobs/data/etl-bcdfg', statusCode: 403, reason: 'Forbidden', detail: 'no' });

/** A cluster whose deletes fail with `failures` in turn, then succeed; a clock that moves only when slept. */
function setup(failures: Array<() => KubernetesApiError>) {
  let now = 0;
  const attempts: number[] = [];
  const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
  const cluster = {
    deleteJob: async () => {
      attempts.push(now);
      const fail = failures.shift();
      if (fail) throw fail();
      return 'deleted' as const;
    },
  } as unknown as JobCluster;
  return { deps: { cluster, clock, reporter: new RecordingReporter() }, attempts };
}

const job = { namespace: 'data', name: 'etl-bcdfg', uid: 'u1' };

describe('deleteJobBefore', () => {
  it('retries while the API server does not answer, and says so', async () => {
    const { deps, attempts } = setup([unreachable, unreachable, unreachable]);
    expect(await deleteJobBefore(deps, job, 9000)).toBe('deleted');
    expect(attempts).toEqual([0, 250, 750, 1750]);
    expect(deps.reporter.lines[0]).toMatch(/^Delete of jobs\/data\/etl-bcdfg failed \(Could not delete .*ECONNREFUSED.*\); retrying in 250 ms\.$/);
  });

  it('gives up at the deadline with the last error', async () => {
    const { deps, attempts } = setup(Array.from({ length: 50 }, () => unreachable));
    await expect(deleteJobBefore(deps, job, 4000)).rejects.toThrow(/ECONNREFUSED/);
    expect(attempts.at(-1)).toBe(4000);
  });

  it('does not retry what a retry cannot fix', async () => {
    const { deps, attempts } = setup([forbidden]);
    await expect(deleteJobBefore(deps, job, 9000)).rejects.toThrow(/403 Forbidden/);
    expect(attempts).toEqual([0]);
  });
});
