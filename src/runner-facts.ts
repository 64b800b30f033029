/** What this process's runner offers for signing in (environment, files), for the parser's `auth-type`. */
import { existsSync } from 'node:fs';
import type { RunnerFacts } from './core/auth-type.js';

export function localRunnerFacts(env: NodeJS.ProcessEnv = process.env): RunnerFacts {
  return { env, fileExists: existsSync };
}
