/** The discovery action: list runnable Jobs and CronJobs with their parameters. */
import * as core from '@actions/core';
import { connect } from '../connect.js';
import { discoveryEntries, renderDiscoveryTable } from '../core/discovery.js';
import { Output } from '../core/names.js';
import { parseConnectionSettings } from '../core/parse-settings.js';
import { clusterFor } from '../cluster-route.js';
import { discoverSources } from '../run/discover.js';
import { localRunnerFacts } from '../runner-facts.js';
import { systemClock } from '../system-clock.js';
import { failStep, GitHubReporter, readInput } from './reporter.js';

export async function discoverStep(): Promise<void> {
  const reporter = new GitHubReporter();
  try {
    const settings = parseConnectionSettings(readInput, localRunnerFacts());
    const mask = (s: string): void => reporter.setSecret(s);
    const connected = await connect(settings, (audience: string) => core.getIDToken(audience), mask, process.env);
    const cluster = clusterFor(connected, systemClock, reporter);
    const { jobs, cronJobs } = await discoverSources(cluster, settings.namespace);
    const entries = discoveryEntries(jobs, cronJobs);
    reporter.info(`Found ${jobs.length} Job(s) and ${cronJobs.length} CronJob(s) in namespace ${settings.namespace}.`);
    reporter.setOutput(Output.jobs, JSON.stringify(entries));
    await reporter.writeSummary(`## Jobs in \`${settings.namespace}\`\n\n${renderDiscoveryTable(entries, settings.namespace)}`);
  } catch (thrown) {
    failStep(thrown);
  }
}
