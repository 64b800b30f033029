import { describe, expect, it } from 'vitest';
import type { V1Job } from '@kubernetes/client-node';
import { ApiException } from '@kubernetes/client-node';
import { createWithRetry } from '../../src/kubernetes/create-job.js';
import { KubernetesApiError } from '../../src/core/errors.js';
import { Annotation } from '../../src/core/names.js';
import type { Clock } from '../../src/core/ports.js';

function job(submission: string): V1Job {
  return { metadata: { name: 'etl-bcdfg', annotations: { [Annotation.submissionId]: submission } } };
}

function fakeClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: async (ms) => void slept.push(ms) };
}

const status = (code: number, reason: string) =>
  new ApiException(code, 'x', JSON.stringify({ kind: 'Status', code, reason, message: `${reason} happened` }), {});

describe('createWithRetry', () => {
  it('adopts its own Job when the first response was lost and the retry answers AlreadyExists', async () => {
    const stored: V1Job[] = [];
    let calls = 0;
    const created = await createWithRetry(job('s1'), {
      create: async (j) => {
        calls++;
        if (calls === 1) {
          stored.push({ ...j, metadata: { ...j.metadata, uid: 'u1' } });
          throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
        }
        throw status(409, 'AlreadyExists');
      },
      read: async () => stored[0],
    }, { object: 'jobs/ns/etl-bcdfg', clock: fakeClock(), signal: new AbortController().signal });
    expect(created.metadata?.uid).toBe('u1');
    expect(calls).toBe(2);
    expect(stored).toHaveLength(1);
  });

  it('does not adopt a Job of the same name from another submission', async () => {
    const other: V1Job = { metadata: { name: 'etl-bcdfg', uid: 'u9', annotations: { [Annotation.submissionId]: 'other' } } };
    let calls = 0;
    const attempt = createWithRetry(job('s1'), {
      create: async () => {
        calls++;
        if (calls === 1) throw new TypeError('fetch failed');
        throw status(409, 'AlreadyExists');
      },
      read: async () => other,
    }, { object: 'jobs/ns/etl-bcdfg', clock: fakeClock(), signal: new AbortController().signal });
    await expect(attempt).rejects.toMatchObject({ statusCode: 409, reason: 'AlreadyExists' });
  });

  it('honours Retry-After on 429 and retries 5xx, then succeeds', async () => {
    const clock = fakeClock();
    const answers = [
      new ApiException(429, 'x', '{"reason":"TooManyRequests","message":"slow down"}', { 'retry-after': '3' }),
      status(503, 'ServiceUnavailable'),
    ];
    const created = await createWithRetry(job('s1'), {
      create: async (j) => {
        const next = answers.shift();
        if (next) throw next;
        return { ...j, metadata: { ...j.metadata, uid: 'u2' } };
      },
      read: async () => undefined,
    }, { object: 'jobs/ns/etl-bcdfg', clock, signal: new AbortController().signal });
    expect(created.metadata?.uid).toBe('u2');
    expect(clock.slept).toEqual([3000, 2000]);
  });

  it('does not retry a 422: the object is invalid and a retry cannot fix it', async () => {
    let calls = 0;
    const attempt = createWithRetry(job('s1'), {
      create: async () => {
        calls++;
        throw status(422, 'Invalid');
      },
      read: async () => undefined,
    }, { object: 'jobs/ns/etl-bcdfg', clock: fakeClock(), signal: new AbortController().signal });
    await expect(attempt).rejects.toBeInstanceOf(KubernetesApiError);
    expect(calls).toBe(1);
  });

  // Found by the throttling campaign (npm run chaos, seed 3716748443).
  it('keeps trying through a run of 429s, each wait at least its backoff and at least Retry-After', async () => {
    const clock = fakeClock();
    const throttled = () => new ApiException(429, 'x', '{"reason":"TooManyRequests","message":"slow down"}', { 'retry-after': '1' });
    let calls = 0;
    const created = await createWithRetry(job('s1'), {
      create: async (j) => {
        if (++calls <= 7) throw throttled();
        return { ...j, metadata: { ...j.metadata, uid: 'u3' } };
      },
      read: async () => undefined,
    }, { object: 'jobs/ns/etl-bcdfg', clock, signal: new AbortController().signal });
    expect(created.metadata?.uid).toBe('u3');
    expect(clock.slept).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('gives up on a server that only throttles after ten attempts', async () => {
    let calls = 0;
    const attempt = createWithRetry(job('s1'), {
      create: async () => {
        calls++;
        throw new ApiException(429, 'x', '{"reason":"TooManyRequests","message":"slow down"}', { 'retry-after': '1' });
      },
      read: async () => undefined,
    }, { object: 'jobs/ns/etl-bcdfg', clock: fakeClock(), signal: new AbortController().signal });
    await expect(attempt).rejects.toMatchObject({ statusCode: 429 });
    expect(calls).toBe(10);
  });
});
