/**
 * Reporter over azure-pipelines-task-lib and the agent's logging commands
 * (learn.microsoft.com azure/devops/pipelines/scripts/logging-commands):
 * - groups: `##[group]` / `##[endgroup]`; notices: `##[section]` (Azure DevOps has no notice level);
 * - warnings and errors: task issues (`##vso[task.issue type=warning]`, the task-lib form of logissue);
 * - outputs: output variables, `##vso[task.setvariable variable=runId;isOutput=true]`;
 * - state for the post-job step: task variables (`##vso[task.settaskvariable]`), which the agent
 *   hands only to later steps of the same task instance as VSTS_TASKVARIABLE_* (the post-job step's
 *   Variables are the main step's: azure-pipelines-agent JobExtension.cs taskVariablesMapping);
 * - the summary: a markdown file attached with `##vso[task.uploadsummary]`.
 * Log lines may come from pods, so `##vso[` in them is neutralised as task-lib's external-output
 * filter does (externaloutput.ts): otherwise a pod could set variables or fail the task.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter } from '../core/ports.js';
import { AZURE_DEVOPS_TERMS } from '../core/terms.js';
import type { TaskLib } from './task-lib.js';
import { taskOutputName, taskStateName } from './task-names.js';

/** Title of the summary section on the run's Extensions tab (the attachment's file name). */
export const SUMMARY_FILE = 'AKS Job.md';

/**
 * A log line that cannot act as a command: `##vso[` anywhere → `##_vso[` (task-lib's rewrite), and
 * a leading formatting command (`##[group]`, `##[error]`…) → `##_[`.
 */
export function neutralise(line: string): string {
  return line.replace(/##vso\[/gi, '##_vso[').replace(/^##\[/gm, '##_[');
}

export class AzureDevOpsReporter implements Reporter {
  readonly terms = AZURE_DEVOPS_TERMS;
  /** Warnings issued so far: the post-job step reports SucceededWithIssues when there were any. */
  warnings = 0;

  constructor(
    private readonly tl: TaskLib,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  info(message: string): void {
    for (const line of message.split(/\r?\n/)) this.write(neutralise(line));
  }
  debug(message: string): void {
    this.tl.debug(message);
  }
  notice(message: string, title?: string): void {
    this.write(`##[section]${neutralise(titled(message, title)).replace(/\r?\n/g, ' ')}`);
  }
  warning(message: string, title?: string): void {
    this.warnings++;
    this.tl.warning(titled(message, title));
  }
  error(message: string, title?: string): void {
    this.tl.error(titled(message, title));
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.write(`##[group]${neutralise(name)}`);
    try {
      return await fn();
    } finally {
      this.write('##[endgroup]');
    }
  }
  setOutput(name: string, value: string): void {
    this.tl.setVariable(taskOutputName(name), value, false, true);
  }
  saveState(name: string, value: string): void {
    this.tl.setTaskVariable(taskStateName(name), value, false);
  }
  setSecret(value: string): void {
    // task-lib refuses multi-line secrets; mask each line, as the agent would match them.
    for (const line of value.split(/\r?\n/)) if (line.trim() !== '') this.tl.setSecret(line);
  }
  async writeSummary(markdown: string): Promise<void> {
    const dir = join(this.tl.getVariable('Agent.TempDirectory') || tmpdir(), `polysync-${randomUUID()}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, SUMMARY_FILE);
    writeFileSync(file, markdown, 'utf8');
    this.tl.uploadSummary(file);
    return Promise.resolve();
  }
}

/** Reads a task variable the main step saved ('' when absent: the main step never got that far). */
export function readState(tl: TaskLib, name: string): string {
  return tl.getTaskVariable(taskStateName(name)) ?? '';
}

function titled(message: string, title: string | undefined): string {
  return title ? `${title}: ${message}` : message;
}
