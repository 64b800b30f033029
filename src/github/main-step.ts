/** The action's main step: parse inputs, connect, run the Job, fail the step unless it succeeded. */
import * as core from '@actions/core';
import { connect, describeConnection } from '../connect.js';
import { parseRunSettings } from '../core/parse-settings.js';
import { clusterFor } from '../cluster-route.js';
import { runJob } from '../run/run-job.js';
import { systemClock } from '../system-clock.js';
import { failStep, GitHubReporter, readInput, runContextFromEnv } from './reporter.js';
import { runSignal } from '../run/run-signal.js';
import { localRunnerFacts } from '../runner-facts.js';

export async function mainStep(): Promise<void> {
  const reporter = new GitHubReporter();
  try {
    // Bad input fails here, before anything connects or is created.
    const settings = parseRunSettings(readInput, localRunnerFacts());
    const run = runSignal(settings.timeoutSeconds);
    try {
      const connected = await reporter.group('Connect', async () => {
        const c = await connect(settings, (audience: string) => core.getIDToken(audience), (s) => reporter.setSecret(s), process.env);
        reporter.info(describeConnection(settings, c.kubeConfig.getCurrentCluster()?.server));
        if (c.route) reporter.info(c.route);
        return c;
      });
      const { monitorUrl } = connected;
      const cluster = clusterFor(connected, systemClock, reporter);
      const context = runContextFromEnv(process.env);
      await runJob(settings, { cluster, reporter, clock: systemClock, context, random: Math.random, monitorUrl }, run.signal);
    } finally {
      run.dispose();
    }
  } catch (thrown) {
    failStep(thrown);
  }
}
