/**
 * Bounded retries for the idempotent calls a run cannot do without: reading the source at
 * start-up, and the post step's read and delete. One 503, a reset connection or an API server that
 * is back a few seconds later must not fail the step (the fault campaigns found both: a single 503
 * on the source read failed the run, and one on the post step's read left the Job running).
 * Attempts stop after a fixed number or once the time spent passes a budget, so an unreachable
 * server ends the step with its error within about a minute, never a hang.
 */
import { isTransient, KubernetesApiError, retryAfterMs } from '../core/errors.js';
import type { Clock } from '../core/ports.js';

/** Waits between attempts (client-go's default backoff for its rest client starts at 1 s, too). */
export const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000] as const;
/** No new attempt starts once this much time has passed since the first. */
export const RETRY_BUDGET_MS = 40_000;

export interface RetryOptions {
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  /** Said before each wait, e.g. in the log: what failed and how long until the next attempt. */
  readonly onRetry?: (err: KubernetesApiError, delayMs: number, attempt: number) => void;
}

export async function retryTransient<T>(call: () => Promise<T>, o: RetryOptions): Promise<T> {
  const started = o.clock.now();
  const signal = o.signal ?? new AbortController().signal;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const base = RETRY_DELAYS_MS[attempt - 1];
      if (!(err instanceof KubernetesApiError) || !isTransient(err) || base === undefined || signal.aborted) throw err;
      const delay = Math.max(base, retryAfterMs(err));
      if (o.clock.now() - started + delay > RETRY_BUDGET_MS) throw err;
      o.onRetry?.(err, delay, attempt);
      await o.clock.sleep(delay, signal);
    }
  }
}
