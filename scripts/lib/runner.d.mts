import type { ChildProcess } from 'node:child_process';

export const ROOT: string;
export interface RunnerFiles {
  dir: string;
  temp: string;
  output: string;
  state: string;
  summary: string;
  env: string;
  path: string;
}
export interface StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}
export interface StartedStep {
  child: ChildProcess;
  done: Promise<StepResult>;
  output(): string;
}
/** Node 24 (the npm `node` devDependency), as the runner's externals/node24. */
export function node24Path(): string;
/** Copies action.yml, discover/action.yml and dist/ into a temp dir with no node_modules; returns it. */
export function stageBundle(dir?: string): string;
export function actionDefaults(actionYml?: string): Record<string, string>;
export function inputEnvName(name: string): string;
export function runnerFiles(dir?: string): RunnerFiles;
export function parseFileCommands(text: string): Record<string, string>;
export function parseWorkflowCommands(stdout: string): Array<{ command: string; properties: string; message: string }>;
export function startStep(options: {
  step?: 'main' | 'post' | 'discover';
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  files: RunnerFiles;
  bundleRoot?: string;
  actionYml?: string;
  nodePath?: string;
  onStdout?: (chunk: string) => void;
}): StartedStep;
export function cancelLikeRunner(
  child: ChildProcess,
  done: Promise<StepResult>,
  options?: { sigtermAfterMs?: number; killAfterMs?: number },
): Promise<'SIGINT' | 'SIGTERM' | 'SIGKILL'>;
export function killNow(child: ChildProcess, done: Promise<StepResult>): Promise<'SIGKILL'>;
export function readOutputs(files: RunnerFiles): Record<string, string>;
