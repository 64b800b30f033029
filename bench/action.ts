/** Runs one step of the bundled action as the runner does, timed, optionally with its CPU time and peak RSS. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, readOutputs, runnerFiles, startStep } from '../scripts/lib/runner.mjs';

export interface Usage {
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

export interface ActionRun {
  readonly ms: number;
  /** performance.now() at exit. */
  readonly exitedAt: number;
  readonly code: number | null;
  readonly outputs: Record<string, string>;
  readonly stdout: string;
  readonly usage: Usage | undefined;
}

export async function runAction(
  inputs: Record<string, string>,
  o: { step?: 'main' | 'discover'; usage?: boolean; onStdout?: (chunk: string) => void } = {},
): Promise<ActionRun> {
  const files = runnerFiles();
  const usageFile = join(mkdtempSync(join(tmpdir(), 'usage-')), 'usage.json');
  const env: Record<string, string> = o.usage
    ? { NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'bench', 'usage-probe.mjs')).href}`, BENCH_USAGE_FILE: usageFile }
    : {};
  const t0 = performance.now();
  const step = startStep({ step: o.step ?? 'main', files, inputs, env, onStdout: o.onStdout });
  const result = (await step.done) as { code: number | null; stdout: string };
  const exitedAt = performance.now();
  let usage: Usage | undefined;
  try {
    usage = o.usage ? (JSON.parse(readFileSync(usageFile, 'utf8')) as Usage) : undefined;
  } catch {
    usage = undefined;
  }
  const outputs = readOutputs(files);
  rmSync(files.dir, { recursive: true, force: true });
  return { ms: exitedAt - t0, exitedAt, code: result.code, outputs, stdout: result.stdout, usage };
}
