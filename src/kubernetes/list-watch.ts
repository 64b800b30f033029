/**
 * List, then watch from the list's resourceVersion; re-list when the stream ends or answers 410
 * Gone. Mirrors client-go's reflector and `kubectl wait` (watchtools.UntilWithSync), so nothing is
 * missed between list and watch and a dropped connection never loses the terminal state.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { errorFromResponse, isTransient, toApiError, type Target } from './api-error.js';
import { retryAfterMs } from '../core/errors.js';
import { streamLines, type Query } from './http.js';
import type { Clock } from '../core/ports.js';

export interface ListResult<T> {
  readonly items: readonly T[];
  readonly resourceVersion: string;
}

export type WatchEvent<T> =
  | { readonly type: 'listed'; readonly items: readonly T[] }
  | { readonly type: 'changed' | 'deleted'; readonly object: T };

export interface ListWatchOptions<T> {
  readonly kc: KubeConfig;
  readonly clock: Clock;
  readonly list: () => Promise<ListResult<T>>;
  /** e.g. /apis/batch/v1/namespaces/ns/jobs */
  readonly path: string;
  readonly query: Query;
  /** Names the watched objects in errors: `watch` + `jobs/ns/name`. */
  readonly target: Target;
  /** Server-side watch length; client-go picks 5 to 10 minutes. */
  readonly watchSeconds?: number;
}

interface RawEvent {
  type?: string;
  object?: { code?: number; metadata?: { resourceVersion?: string }; message?: string };
}

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
/** A watch shorter than this that ends without error counts as ending at once. */
const QUICK_END_MS = 1000;

/** Yields a 'listed' snapshot after every (re-)list, then each change, until the signal aborts. */
export async function* listWatch<T>(o: ListWatchOptions<T>, signal: AbortSignal): AsyncGenerator<WatchEvent<T>> {
  let failures = 0;
  let quickEnds = 0;
  while (!signal.aborted) {
    try {
      const listed = await o.list();
      yield { type: 'listed', items: listed.items };
      failures = 0;
      const started = o.clock.now();
      yield* watchFrom(o, listed.resourceVersion, signal);
      // Stream ended normally (server timeout) or with 410: re-list for ground truth. A watch that
      // keeps ending as soon as it opens (a proxy closing idle streams, an overloaded server)
      // must not become a tight LIST+WATCH loop: back off as client-go's reflector does.
      quickEnds = o.clock.now() - started < QUICK_END_MS ? quickEnds + 1 : 0;
      if (quickEnds > 1) {
        const delay = RETRY_DELAYS_MS[Math.min(quickEnds - 2, RETRY_DELAYS_MS.length - 1)] ?? 8000;
        await o.clock.sleep(delay, signal).catch(() => undefined);
      }
    } catch (err) {
      if (signal.aborted) return;
      const apiErr = toApiError(err, o.target);
      if (!isTransient(apiErr) && apiErr.statusCode !== 410) throw apiErr;
      // A throttled list or watch (429 from API Priority and Fairness) waits as long as it is told.
      const delay = Math.max(RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)] ?? 8000, retryAfterMs(apiErr));
      if (++failures > 20) throw apiErr;
      await o.clock.sleep(delay, signal).catch(() => undefined);
    }
  }
}

async function* watchFrom<T>(o: ListWatchOptions<T>, resourceVersion: string, signal: AbortSignal): AsyncGenerator<WatchEvent<T>> {
  const seconds = o.watchSeconds ?? 300 + Math.floor(Math.random() * 300);
  // A client-side deadline a little past the server's, in case the connection silently dies.
  const deadline = AbortSignal.any([signal, AbortSignal.timeout((seconds + 30) * 1000)]);
  const query = { ...o.query, watch: true, resourceVersion, allowWatchBookmarks: true, timeoutSeconds: seconds };
  try {
    for await (const line of streamLines(o.kc, o.path, query, deadline, o.target)) {
      const event = parseLine(line);
      if (!event?.type || !event.object) continue;
      if (event.type === 'BOOKMARK') continue;
      if (event.type === 'ERROR') {
        if (event.object.code === 410) return; // Expired: caller re-lists.
        throw errorFromResponse(event.object.code ?? 500, JSON.stringify(event.object), o.target);
      }
      // As listed: the server's JSON, as http.ts's requests return it.
      const object = event.object as T;
      yield { type: event.type === 'DELETED' ? 'deleted' : 'changed', object };
    }
  } catch (err) {
    if (signal.aborted) return;
    if (deadline.aborted) return; // our own deadline: re-list
    throw err;
  }
}

function parseLine(line: string): RawEvent | undefined {
  try {
    return JSON.parse(line) as RawEvent;
  } catch {
    return undefined;
  }
}
