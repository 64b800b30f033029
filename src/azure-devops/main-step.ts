/**
 * The task's main execution: read inputs and the service connection, connect, run the Job, and set
 * the task result: Succeeded when the Job succeeded, Cancelled when the agent cancelled the step
 * (it sends SIGINT, then SIGTERM: azure-pipelines-agent docs/design/jobcancellation.md), Failed
 * otherwise, a `timeout` input that expires included.
 */
import { toError } from '../core/errors.js';
import { parseRunSettings } from '../core/parse-settings.js';
import { KubeJobCluster } from '../kubernetes/job-cluster.js';
import { runJob } from '../run/run-job.js';
import { systemClock } from '../system-clock.js';
import { runSignal, type RunSignal } from '../run/run-signal.js';
import type { Fetch } from './oidc-token.js';
import { inTaskTerms } from './inputs.js';
import { AzureDevOpsReporter } from './reporter.js';
import { runContextFromVariables } from './run-context.js';
import { readTaskConnection } from './task-connection.js';
import type { TaskLib } from './task-lib.js';

export async function mainStep(tl: TaskLib, env: NodeJS.ProcessEnv, fetchImpl?: Fetch): Promise<void> {
  const reporter = new AzureDevOpsReporter(tl);
  let run: RunSignal | undefined;
  try {
    // Bad inputs or a bad service connection fail here, before anything connects or is created.
    const task = readTaskConnection(tl, env, fetchImpl);
    const settings = parseRunSettings(task.read);
    run = runSignal(settings.timeoutSeconds);
    const { kubeConfig, monitorUrl } = await reporter.group('Connect', () => task.connect(settings, (s) => reporter.setSecret(s)));
    const cluster = new KubeJobCluster(kubeConfig, systemClock, reporter);
    const context = runContextFromVariables((name) => tl.getVariable(name));
    const result = await runJob(settings, { cluster, reporter, clock: systemClock, context, random: Math.random, monitorUrl }, run.signal);
    tl.setResult(tl.TaskResult.Succeeded, `jobs/${settings.namespace}/${result.name}: ${result.status}`);
  } catch (thrown) {
    const message = inTaskTerms(toError(thrown).message);
    if (cancelledByAgent(run)) {
      reporter.info(message);
      tl.setResult(tl.TaskResult.Cancelled, message);
    } else {
      tl.setResult(tl.TaskResult.Failed, message);
    }
  } finally {
    run?.dispose();
  }
}

/** The agent cancelled the step (a signal), as opposed to the task's own `timeout` input. */
function cancelledByAgent(run: RunSignal | undefined): boolean {
  const reason: unknown = run?.signal.aborted ? run.signal.reason : undefined;
  return reason === 'SIGINT' || reason === 'SIGTERM';
}
