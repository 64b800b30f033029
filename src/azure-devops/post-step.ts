/**
 * The task's post-job execution (the agent runs it with condition always(), after a cancellation
 * too): delete the Job if the main step created it and did not see it finish. Like the action's post
 * step it never fails the pipeline: problems are warnings, and the result is Succeeded or
 * SucceededWithIssues.
 */
import { toError } from '../core/errors.js';
import { State } from '../core/names.js';
import { parseConnectionSettings } from '../core/parse-settings.js';
import { clusterFor } from '../cluster-route.js';
import { cleanupJob } from '../run/cleanup.js';
import { systemClock } from '../system-clock.js';
import type { Fetch } from './oidc-token.js';
import { inTaskTerms } from './inputs.js';
import { AzureDevOpsReporter, readState } from './reporter.js';
import { readTaskConnection, type TaskConnection } from './task-connection.js';
import type { TaskLib } from './task-lib.js';

export async function postStep(tl: TaskLib, env: NodeJS.ProcessEnv, fetchImpl?: Fetch): Promise<void> {
  const reporter = new AzureDevOpsReporter(tl);
  let task: TaskConnection | undefined;
  try {
    const saved = {
      namespace: readState(tl, State.namespace),
      name: readState(tl, State.name),
      uid: readState(tl, State.uid),
      finished: readState(tl, State.finished) === 'true',
      submissionId: readState(tl, State.submissionId),
    };
    await cleanupJob(
      saved,
      async () => {
        task = readTaskConnection(tl, env, fetchImpl);
        const settings = parseConnectionSettings(task.read, task.facts);
        const connected = await task.connect(settings, (s) => reporter.setSecret(s));
        return clusterFor(connected, systemClock, reporter);
      },
      reporter,
      systemClock,
    );
  } catch (thrown) {
    reporter.warning(`Cleanup could not complete: ${inTaskTerms(toError(thrown).message, task?.type)}`, 'Post-job');
  }
  if (reporter.warnings > 0) tl.setResult(tl.TaskResult.SucceededWithIssues, ''); // the warnings are the issues
  else tl.setResult(tl.TaskResult.Succeeded, '');
}
