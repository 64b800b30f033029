/** Reporter over @actions/core: groups, annotations with titles, outputs, state, the job summary. */
import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import { AuthError, InputError, JobFailedError, KubernetesApiError, SourceError, toError } from '../core/errors.js';
import type { Reporter } from '../core/ports.js';
import { GITHUB_TERMS } from '../core/terms.js';

/**
 * Whether the runner could read a line of this text as a workflow command: `::name::` at the start
 * of a line after leading whitespace, or the older `##[name]` anywhere in it (actions/runner
 * ActionCommand.TryParseV2 and TryParse).
 */
export function mayBeCommand(text: string): boolean {
  return /(^|\n)\s*::/.test(text) || text.includes('##[');
}

export class GitHubReporter implements Reporter {
  readonly terms = GITHUB_TERMS;

  // docs.github.com: job summaries are GitHub Flavored Markdown, which renders Mermaid diagrams.
  readonly rendersMermaid = true;

  /**
   * Pod logs and other text from the cluster go through here: a line that looks like a command is
   * fenced with `stop-commands` and a fresh random token, so no pod can add annotations, masks or
   * outputs, or switch off the action's own commands (a pod printing `::stop-commands::x`).
   */
  info(message: string): void {
    if (!mayBeCommand(message)) {
      core.info(message);
      return;
    }
    const token = randomUUID();
    core.info(`::stop-commands::${token}`);
    core.info(message);
    core.info(`::${token}::`);
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

/** The title of the step's failure annotation, from the error's family. */
export function failureTitle(error: Error): string {
  if (error instanceof JobFailedError) return `Job ${error.status}`;
  if (error instanceof InputError) return 'Invalid input';
  if (error instanceof SourceError) return 'Source not usable';
  if (error instanceof AuthError) return 'Sign-in failed';
  if (error instanceof KubernetesApiError) return 'Kubernetes API error';
  return 'Action failed';
}

/**
 * Fails the step with one error annotation that has a title (core.setFailed sets none): the same
 * exit code 1, and a headline in the run's annotations list instead of a bare "Error".
 */
export function failStep(thrown: unknown): void {
  const error = toError(thrown);
  process.exitCode = 1;
  core.error(error.message, { title: failureTitle(error) });
}
