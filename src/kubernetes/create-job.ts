/**
 * Create a Job so that a retry never makes a second one: the name is fixed before the first
 * attempt, transient failures are retried under that name, and an AlreadyExists whose object
 * carries this submission's id is the first attempt's Job, adopted (its response was lost).
 */
import type { V1Job } from '@kubernetes/client-node';
import { isTransient, toApiError, type KubernetesApiError } from './api-error.js';
import { retryAfterMs } from '../core/errors.js';
import { Annotation } from '../core/names.js';
import type { Clock } from '../core/ports.js';

export interface CreateCalls {
  create(job: V1Job): Promise<V1Job>;
  read(name: string): Promise<V1Job | undefined>;
}

export interface CreateOptions {
  readonly object: string;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly maxAttempts?: number;
  /** Called before each retry, for the log. */
  readonly onRetry?: (err: KubernetesApiError, delayMs: number) => void;
}

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/**
 * Attempts while the API server keeps throttling (429): it is up and says when to come back, so
 * the create keeps trying as client-go's rest client does (maxRetries 10). Found by the throttling
 * campaign (npm run chaos, seed 3716748443): six 429s with Retry-After 1 s failed the run in 5 s.
 */
const MAX_THROTTLED_ATTEMPTS = 10;

export async function createWithRetry(job: V1Job, calls: CreateCalls, o: CreateOptions): Promise<V1Job> {
  const submission = job.metadata?.annotations?.[Annotation.submissionId];
  const maxAttempts = o.maxAttempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await calls.create(job);
    } catch (thrown) {
      const err = toApiError(thrown, { operation: 'create', object: o.object });
      if (err.statusCode === 409 && err.reason === 'AlreadyExists' && attempt > 1) {
        const existing = await calls.read(job.metadata?.name ?? '');
        if (existing && submission && existing.metadata?.annotations?.[Annotation.submissionId] === submission) {
          return existing;
        }
      }
      const limit = err.statusCode === 429 ? Math.max(maxAttempts, MAX_THROTTLED_ATTEMPTS) : maxAttempts;
      if (!isTransient(err) || attempt >= limit || o.signal.aborted) throw err;
      // Retry-After is a floor, never a shortcut past the backoff.
      const delay = Math.max(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)), retryAfterMs(err));
      o.onRetry?.(err, delay);
      await o.clock.sleep(delay, o.signal);
    }
  }
}
