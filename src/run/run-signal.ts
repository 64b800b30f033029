/**
 * One AbortController per run, fired by the timeout, SIGINT or SIGTERM. The runner sends SIGINT on
 * cancel, SIGTERM 7.5 s later and kills the tree 2.5 s after that (actions/runner ProcessInvoker.cs):
 * the handler only aborts, and the orchestrator deletes the Job within that budget.
 */
import type { AbortCause } from './run-job.js';

export interface RunSignal {
  readonly signal: AbortSignal;
  /** Removes the handlers and the timer. */
  dispose(): void;
}

export function runSignal(timeoutSeconds: number | undefined): RunSignal {
  const controller = new AbortController();
  const abort = (cause: AbortCause) => (): void => {
    if (!controller.signal.aborted) controller.abort(cause);
  };
  const onInt = abort('SIGINT');
  const onTerm = abort('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const timer = timeoutSeconds === undefined ? undefined : setTimeout(abort('timeout'), timeoutSeconds * 1000);
  timer?.unref();
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (timer) clearTimeout(timer);
    },
  };
}
