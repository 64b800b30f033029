/** The action's main step: parse inputs, connect, run the Job, fail the step unless it succeeded. */
import * as core from '@actions/core';
import { connect, describeConnection } from '../connect.js';
import { parseRunSettings } from '../core/parse-settings.js';
import { KubeJobCluster } from '../kubernetes/job-cluster.js';
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
      const { kubeConfig, monitorUrl } = await reporter.group('Connect', async () => {
        const connected = await connect(settings, (audience: string) => core.getIDToken(audience), (s) => reporter.setSecret(s), process.env);
        reporter.info(describeConnection(settings, connected.kubeConfig.getCurrentCluster()?.server));
        return connected;
      });
      const cluster = new KubeJobCluster(kubeConfig, systemClock, reporter);
      const context = runContextFromEnv(process.env);
      await runJob(settings, { cluster, reporter, clock: systemClock, context, random: Math.random, monitorUrl }, run.signal);
    } finally {
      run.dispose();
    }
  } catch (thrown) {
    failStep(thrown);
  }
}
