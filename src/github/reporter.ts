/** Reporter over @actions/core: groups, annotations with titles, outputs, state, the job summary. */
import * as core from '@actions/core';
import type { Reporter } from '../core/ports.js';

export class GitHubReporter implements Reporter {
  info(message: string): void {
    core.info(message);
  }
  debug(message: string): void {
    core.debug(message);
  }
  notice(message: string, title?: string): void {
    core.notice(message, title ? { title } : {});
  }
  warning(message: string, title?: string): void {
    core.warning(message, title ? { title } : {});
  }
  error(message: string, title?: string): void {
    core.error(message, title ? { title } : {});
  }
  group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return core.group(name, fn);
  }
  setOutput(name: string, value: string): void {
    core.setOutput(name, value);
  }
  saveState(name: string, value: string): void {
    core.saveState(name, value);
  }
  setSecret(value: string): void {
    if (value) core.setSecret(value);
  }
  async writeSummary(markdown: string): Promise<void> {
    // Outside a runner (local demo) there is no summary file: print nothing rather than fail.
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(markdown, true).write();
  }
}

/** Reads an input as the runner passes it (INPUT_<NAME>, hyphens kept); '' when absent. */
export function readInput(name: string): string {
  return core.getInput(name);
}

/** Who started the run, from the runner's GITHUB_* variables. */
export function runContextFromEnv(env: NodeJS.ProcessEnv) {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repository = env.GITHUB_REPOSITORY || undefined;
  const runId = env.GITHUB_RUN_ID || undefined;
  return {
    repository,
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT || undefined,
    runUrl: repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined,
  };
}
