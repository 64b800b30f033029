/**
 * Runs the action's main flow in-process against a cluster: real input parsing (with action.yml's
 * defaults, as the runner fills them in), the real Kubernetes adapter, a recording Reporter.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { parseRunSettings } from '../../src/core/parse-settings.js';
import type { InputName } from '../../src/core/names.js';
import type { Clock, JobCluster } from '../../src/core/ports.js';
import type { RunContext } from '../../src/core/settings.js';
import { KubeJobCluster } from '../../src/kubernetes/job-cluster.js';
import { runJob, type RunResult } from '../../src/run/run-job.js';
import { systemClock } from '../../src/system-clock.js';
import { actionDefaults } from '../../scripts/lib/runner.mjs';
import { RecordingReporter } from './recording-reporter.js';

export const TEST_CONTEXT: RunContext = {
  repository: 'polysync/tests',
  runId: '1001',
  runAttempt: '1',
  runUrl: 'https://github.com/polysync/tests/actions/runs/1001',
};

export interface InProcessRun {
  readonly reporter: RecordingReporter;
  readonly result: RunResult | undefined;
  readonly error: Error | undefined;
}

/** `inputs` as a workflow's `with:`; the kubeconfig input is not needed (the KubeConfig is given). */
export async function runAction(
  kc: KubeConfig,
  inputs: Partial<Record<InputName, string>>,
  options: {
    signal?: AbortSignal; reporter?: RecordingReporter; monitorUrl?: string; clock?: Clock; random?: () => number;
    /** Another JobCluster than client-node's on `kc` (the runCommand one). */
    cluster?: (reporter: RecordingReporter, clock: Clock) => JobCluster;
  } = {},
): Promise<InProcessRun> {
  const reporter = options.reporter ?? new RecordingReporter();
  const all: Record<string, string> = { ...actionDefaults(), ...inputs };
  try {
    const settings = parseRunSettings((name) => all[name] ?? '');
    const clock = options.clock ?? systemClock;
    const cluster = options.cluster?.(reporter, clock) ?? new KubeJobCluster(kc, clock, reporter);
    // As src/github/signals.ts does: the reason tells the orchestrator why the run was aborted.
    const controller = new AbortController();
    if (options.signal?.aborted) controller.abort(options.signal.reason);
    options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason), { once: true });
    const timer = settings.timeoutSeconds === undefined ? undefined : setTimeout(() => controller.abort('timeout'), settings.timeoutSeconds * 1000);
    const signal = controller.signal;
    const result = await runJob(
      settings,
      { cluster, reporter, clock, context: TEST_CONTEXT, random: options.random ?? Math.random, monitorUrl: options.monitorUrl },
      signal,
    );
    clearTimeout(timer);
    return { reporter, result, error: undefined };
  } catch (err) {
    return { reporter, result: undefined, error: err as Error };
  }
}
