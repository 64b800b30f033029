/**
 * Runs the shipped bundles (dist/, staged without node_modules) as the GitHub runner does, through
 * scripts/lib/runner.mjs, and reads back what the runner would: exit code, stdout's workflow
 * commands, the output / state / summary files.
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, inject } from 'vitest';
import {
  node24Path,
  parseFileCommands,
  parseWorkflowCommands,
  runnerFiles,
  stageBundle,
  startStep,
  type RunnerFiles,
  type StartedStep,
  type StepResult,
} from '../../scripts/lib/runner.mjs';

export interface WorkflowCommand {
  readonly command: string;
  readonly properties: string;
  readonly message: string;
}

export interface StepRun extends StepResult {
  readonly files: RunnerFiles;
  readonly commands: WorkflowCommand[];
  readonly outputs: Record<string, string>;
  readonly state: Record<string, string>;
  readonly summary: string;
}

const created: string[] = [];

// Registered when a test file first imports this module: the runner files of every step it started
// (outputs, state, summary, RUNNER_TEMP) are removed after that file.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The admin kubeconfig of the local control plane, as a workflow would pass it in `with: kubeconfig`. */
export function kubeconfigText(): string {
  return readFileSync(inject('kubeconfigPath'), 'utf8');
}

/** A staged copy of dist/ + action.yml; `dispose()` removes it. */
export function stagedAction(): { readonly root: string; dispose(): void } {
  const root = stageBundle();
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

export interface StepOptions {
  readonly root: string;
  readonly inputs?: Record<string, string>;
  readonly env?: Record<string, string>;
  /** Reuse the job's runner files (the post step reads the main step's state file). */
  readonly files?: RunnerFiles;
  readonly onStdout?: (chunk: string) => void;
}

/** Starts a step with Node 24; the caller awaits `done` or cancels it. */
export function start(step: 'main' | 'post' | 'discover', o: StepOptions): StartedStep & { files: RunnerFiles } {
  const files = o.files ?? runnerFiles();
  if (!o.files) created.push(files.dir);
  const started = startStep({
    step,
    files,
    bundleRoot: o.root,
    nodePath: node24Path(),
    inputs: o.inputs ?? {},
    env: o.env ?? {},
    ...(o.onStdout ? { onStdout: o.onStdout } : {}),
  });
  return { ...started, files };
}

/** What the runner reads after a step ended. */
export function collect(result: StepResult, files: RunnerFiles): StepRun {
  return {
    ...result,
    files,
    commands: parseWorkflowCommands(result.stdout),
    outputs: parseFileCommands(readFileSync(files.output, 'utf8')),
    state: parseFileCommands(readFileSync(files.state, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

/** Runs a step to its end. */
export async function runStep(step: 'main' | 'post' | 'discover', o: StepOptions): Promise<StepRun> {
  const started = start(step, o);
  return collect(await started.done, started.files);
}

/** Group names in order, checking that groups are closed and never nested (the runner shows no nesting). */
export function groupsOf(commands: readonly WorkflowCommand[]): string[] {
  const names: string[] = [];
  let open = false;
  for (const c of commands) {
    if (c.command === 'group') {
      if (open) throw new Error(`group '${c.message}' opened inside another group`);
      open = true;
      names.push(c.message);
    } else if (c.command === 'endgroup') {
      if (!open) throw new Error('endgroup without group');
      open = false;
    }
  }
  if (open) throw new Error('a group was never closed');
  return names;
}

/** Annotations (error, warning, notice) with their `title` property, if any. */
export function annotationsOf(commands: readonly WorkflowCommand[]): { level: string; title: string | undefined; message: string }[] {
  return commands
    .filter((c) => c.command === 'error' || c.command === 'warning' || c.command === 'notice')
    .map((c) => ({ level: c.command, title: /(?:^|,)title=([^,]*)/.exec(c.properties)?.[1], message: unescapeData(c.message) }));
}

/** @actions/core escapes %, \r and \n in command data (toCommandValue/escapeData). */
export function unescapeData(s: string): string {
  return s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

/**
 * Where `secret` shows up in a step's visible output. The runner hides the `::add-mask::` line itself
 * and masks the value in every later line, so a leak is an occurrence in any other stdout line that
 * comes before the mask (or with no mask at all), or anywhere in stderr, outputs, state or summary.
 */
export function leaksOf(run: StepRun, secret: string): string[] {
  const leaks: string[] = [];
  let masked = false;
  for (const line of run.stdout.split(/\r?\n/)) {
    if (line === `::add-mask::${secret}`) {
      masked = true;
      continue;
    }
    if (line.includes(secret) && !masked) leaks.push(`stdout before ::add-mask::: ${line.slice(0, 120)}`);
    if (line.includes(secret) && masked && /^::(error|warning|notice)/.test(line)) {
      // Masked by the runner, but an annotation also lands in the check run's API: still a smell.
      leaks.push(`annotation carries the secret: ${line.slice(0, 120)}`);
    }
  }
  if (run.stderr.includes(secret)) leaks.push('stderr');
  if (JSON.stringify(run.outputs).includes(secret)) leaks.push('outputs');
  if (JSON.stringify(run.state).includes(secret)) leaks.push('state');
  if (run.summary.includes(secret)) leaks.push('summary');
  return leaks;
}
