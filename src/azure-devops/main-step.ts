/**
 * The task's main execution: read inputs and the service connection, connect, run the Job, and set
 * the task result: Succeeded when the Job succeeded, Canceled when the agent cancelled the step
 * (it sends SIGINT, then SIGTERM: azure-pipelines-agent docs/design/jobcancellation.md), Failed
 * otherwise, a `timeout` input that expires included.
 */
import { describeConnection } from '../connect.js';
import { toError } from '../core/errors.js';
import { parseRunSettings } from '../core/parse-settings.js';
import { clusterFor } from '../cluster-route.js';
import { runJob } from '../run/run-job.js';
import { systemClock } from '../system-clock.js';
import { runSignal, type RunSignal } from '../run/run-signal.js';
import type { Fetch } from './oidc-token.js';
import { inTaskTerms } from './inputs.js';
import { AzureDevOpsReporter } from './reporter.js';
import { runContextFromVariables } from './run-context.js';
import { readTaskConnection, type TaskConnection } from './task-connection.js';
import { setCanceled, type TaskLib } from './task-lib.js';
import { TaskInput } from './task-names.js';

export async function mainStep(tl: TaskLib, env: NodeJS.ProcessEnv, fetchImpl?: Fetch): Promise<void> {
  const reporter = new AzureDevOpsReporter(tl);
  let run: RunSignal | undefined;
  let task: TaskConnection | undefined;
  try {
    // Bad inputs or a bad service connection fail here, before anything connects or is created.
    const connection = readTaskConnection(tl, env, fetchImpl);
    task = connection;
    const settings = parseRunSettings(connection.read, connection.facts);
    run = runSignal(settings.timeoutSeconds);
    const connected = await reporter.group('Connect', async () => {
      const c = await connection.connect(settings, (s) => reporter.setSecret(s));
      const why = `${TaskInput.connectionType} ${connection.type}.`;
      reporter.info(inTaskTerms(describeConnection(settings, c.kubeConfig.getCurrentCluster()?.server, why), connection.type));
      if (c.route) reporter.info(inTaskTerms(c.route, connection.type));
      return c;
    });
    const { monitorUrl } = connected;
    const cluster = clusterFor(connected, systemClock, reporter);
    const context = runContextFromVariables((name) => tl.getVariable(name));
    const result = await runJob(settings, { cluster, reporter, clock: systemClock, context, random: Math.random, monitorUrl }, run.signal);
    tl.setResult(tl.TaskResult.Succeeded, `jobs/${settings.namespace}/${result.name}: ${result.status}`);
  } catch (thrown) {
    const message = inTaskTerms(toError(thrown).message, task?.type);
    if (cancelledByAgent(run)) {
      reporter.info(message);
      setCanceled(tl, message);
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
