/** The action's post step (post-if: always()): clean up an unfinished Job. It never fails the workflow. */
import * as core from '@actions/core';
import { connect } from '../connect.js';
import { toError } from '../core/errors.js';
import { State } from '../core/names.js';
import { parseConnectionSettings } from '../core/parse-settings.js';
import { clusterFor } from '../cluster-route.js';
import { cleanupJob } from '../run/cleanup.js';
import { localRunnerFacts } from '../runner-facts.js';
import { systemClock } from '../system-clock.js';
import { GitHubReporter, readInput } from './reporter.js';

export async function postStep(): Promise<void> {
  const reporter = new GitHubReporter();
  try {
    const saved = {
      namespace: core.getState(State.namespace),
      name: core.getState(State.name),
      uid: core.getState(State.uid),
      finished: core.getState(State.finished) === 'true',
      submissionId: core.getState(State.submissionId),
    };
    await cleanupJob(
      saved,
      async () => {
        const settings = parseConnectionSettings(readInput, localRunnerFacts());
        const mask = (s: string): void => reporter.setSecret(s);
        const connected = await connect(settings, (audience: string) => core.getIDToken(audience), mask, process.env);
        return clusterFor(connected, systemClock, reporter);
      },
      reporter,
      systemClock,
    );
  } catch (thrown) {
    core.warning(`Cleanup could not complete: ${toError(thrown).message}`, { title: 'Post step' });
  }
}
