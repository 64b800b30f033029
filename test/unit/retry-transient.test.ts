import { describe, expect, it } from 'vitest';
import { KubernetesApiError } from '../../src/core/errors.js';
import type { Clock } from '../../src/core/ports.js';
import { retryTransient } from '../../src/run/retry-transient.js';

/** A clock whose time moves only by sleeps and by what each call "takes". */
function world(callMs: number, outcomes: ReadonlyArray<'ok' | Error>) {
  let t = 0;
  const slept: number[] = [];
  const clock: Clock = { now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; } };
  let calls = 0;
  const call = async (): Promise<string> => {
    t += callMs;
    const o = outcomes[Math.min(calls++, outcomes.length - 1)] ?? 'ok';
    if (o === 'ok') return 'ok';
    throw o;
  };
  return { clock, slept, call, calls: () => calls, elapsed: () => t };
}

const refused = new KubernetesApiError({ operation: 'read', object: 'jobs/data/etl', statusCode: undefined, reason: undefined, detail: 'fetch failed (ECONNREFUSED)', server: 'https://10.0.0.1:443' });
const throttled = (s: number) => new KubernetesApiError({ operation: 'read', object: 'jobs/data/etl', statusCode: 429, reason: 'TooManyRequests', detail: 'slow down', retryAfterSeconds: s });
const forbidden = new KubernetesApiError({ operation: 'read', object: 'jobs/data/etl', statusCode: 403, reason: 'Forbidden', detail: 'no' });

describe('retryTransient (start-up reads, the post step)', () => {
  it.each<[string, number, Array<'ok' | KubernetesApiError | Error>, { result: string; slept: number[] }]>([
    ['succeeds at once', 5, ['ok'], { result: 'ok', slept: [] }],
    ['rides out a server that is back within seconds', 5, [refused, refused, 'ok'], { result: 'ok', slept: [1000, 2000] }],
    ['waits as long as Retry-After says when that is longer', 5, [throttled(3), 'ok'], { result: 'ok', slept: [3000] }],
    ['waits at least its own backoff when Retry-After is shorter', 5, [refused, throttled(1), 'ok'], { result: 'ok', slept: [1000, 2000] }],
  ])('%s', async (_label, callMs, outcomes, want) => {
    const w = world(callMs, outcomes);
    expect({ result: await retryTransient(w.call, { clock: w.clock }), slept: w.slept }).toEqual(want);
  });

  it.each<[string, number, KubernetesApiError | Error, { calls: number; slept: number[] }]>([
    ['gives up on refused connections after five attempts (15 s of waits)', 5, refused, { calls: 5, slept: [1000, 2000, 4000, 8000] }],
    ['gives up on a black hole (30 s per attempt) after two attempts', 30_000, refused, { calls: 2, slept: [1000] }],
    ['never retries what a retry cannot fix', 5, forbidden, { calls: 1, slept: [] }],
    ['never retries errors that are not the API server\'s answer', 5, new Error('bug'), { calls: 1, slept: [] }],
  ])('%s', async (_label, callMs, error, want) => {
    const w = world(callMs, [error]);
    await expect(retryTransient(w.call, { clock: w.clock })).rejects.toBe(error);
    expect({ calls: w.calls(), slept: w.slept }).toEqual(want);
    expect(w.elapsed()).toBeLessThan(70_000);
  });

  it('stops waiting when the run is cancelled', async () => {
    const w = world(5, [refused]);
    const controller = new AbortController();
    controller.abort();
    await expect(retryTransient(w.call, { clock: w.clock, signal: controller.signal })).rejects.toBe(refused);
    expect(w.calls()).toBe(1);
  });
});
