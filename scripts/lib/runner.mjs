// Starts the bundled action the way the GitHub runner does: INPUT_<NAME> variables (uppercased,
// spaces to underscores, hyphens kept) with action.yml's defaults filled in, the file commands
// (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_PATH), the context
// variables, RUNNER_TEMP, and STATE_* from the main step's state file into the post step.
// Cancellation follows actions/runner ProcessInvoker.cs: SIGINT, 7.5 s, SIGTERM, 2.5 s, kill tree.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The Node 24 the runner would use for `runs.using: node24`: the npm `node` devDependency's binary
 * (this machine's system Node is older). Falls back to the current process's Node.
 */
export function node24Path() {
  const local = join(ROOT, 'node_modules', 'node', 'bin', 'node');
  return existsSync(local) ? local : process.execPath;
}

/**
 * Copies what a workflow's checkout of the action contains at run time (action.yml, discover/,
 * dist/) into a fresh temp directory with no node_modules on the way up, as the runner's
 * `_actions/<owner>/<repo>/<ref>` folder has none: the bundles must be self-contained.
 */
export function stageBundle(dir = mkdtempSync(join(tmpdir(), 'action-'))) {
  for (const item of ['action.yml', 'dist', 'discover/action.yml']) {
    const from = join(ROOT, item);
    if (!existsSync(from)) {
      if (item === 'dist') throw new Error(`${from} does not exist: run 'npm run bundle' first.`);
      continue;
    }
    cpSync(from, join(dir, item), { recursive: true });
  }
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) throw new Error(`${join(d, 'node_modules')} exists: the staged bundle could resolve packages from it.`);
    if (dirname(d) === d) break;
  }
  return dir;
}

/** Defaults of an action.yml's inputs, as the runner fills them in. */
export function actionDefaults(actionYml = join(ROOT, 'action.yml')) {
  const doc = parse(readFileSync(actionYml, 'utf8'));
  const defaults = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    if (spec && spec.default !== undefined) defaults[name] = String(spec.default);
  }
  return defaults;
}

export function inputEnvName(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** A fresh set of runner files for one job. */
export function runnerFiles(dir = mkdtempSync(join(tmpdir(), 'runner-'))) {
  const files = {
    dir,
    temp: join(dir, 'temp'),
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    summary: join(dir, 'summary.md'),
    env: join(dir, 'env'),
    path: join(dir, 'path'),
  };
  mkdirSync(files.temp, { recursive: true });
  for (const f of [files.output, files.state, files.summary, files.env, files.path]) writeFileSync(f, '');
  return files;
}

/** Parses the runner's file-command format (`name<<DELIM\nvalue\nDELIM` or `name=value`). */
export function parseFileCommands(text) {
  const result = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]);
      result[name] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return result;
}

/**
 * The workflow commands the runner acts on in a step's stdout, parsed as actions/runner does
 * (ActionCommandManager.TryProcessCommand, ActionCommand.TryParseV2 and TryParse): `::name props::data`
 * at the start of a line after leading whitespace, the older `##[name props]data` anywhere in a line,
 * and nothing at all between `::stop-commands::TOKEN` and `::TOKEN::`.
 */
export function parseWorkflowCommands(stdout) {
  const commands = [];
  let stopToken;
  for (const line of stdout.split(/\r?\n/)) {
    const command = parseCommandV2(line.trimStart()) ?? parseCommandV1(line);
    if (!command) continue;
    if (stopToken !== undefined) {
      if (command.command.toLowerCase() === stopToken.toLowerCase()) stopToken = undefined;
      continue;
    }
    if (command.command === 'stop-commands' && command.message !== '') {
      stopToken = command.message;
      continue;
    }
    commands.push(command);
  }
  return commands;
}

function parseCommandV2(line) {
  const m = /^::([^\s:]+)(?: (.*?))?::(.*)$/.exec(line);
  return m ? { command: m[1], properties: (m[2] ?? '').trim(), message: m[3] } : undefined;
}

function parseCommandV1(line) {
  const start = line.indexOf('##[');
  const end = start === -1 ? -1 : line.indexOf(']', start);
  if (end === -1) return undefined;
  const [name = '', ...props] = line.slice(start + 3, end).split(' ');
  return name ? { command: name, properties: props.join(' ').trim(), message: line.slice(end + 1) } : undefined;
}

/**
 * Starts one step (`main` or `post`) of the bundled action as a child process in its own process
 * group. Returns the child and a promise of { code, signal, stdout, stderr }.
 */
export function startStep({ step = 'main', inputs = {}, env = {}, files, bundleRoot = ROOT, actionYml, nodePath = process.execPath, onStdout }) {
  const entry = join(bundleRoot, 'dist', step, 'index.js');
  // The discovery action has its own manifest (discover/action.yml) and so its own defaults.
  actionYml ??= join(bundleRoot, step === 'discover' ? 'discover/action.yml' : 'action.yml');
  const stepEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_REPOSITORY: 'polysync/demo',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKFLOW: 'demo',
    GITHUB_JOB: 'run',
    GITHUB_ACTION: 'run-job',
    GITHUB_WORKSPACE: files.dir,
    RUNNER_TEMP: files.temp,
    RUNNER_OS: 'Linux',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: step === 'post' ? join(files.dir, 'post-state') : files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
  };
  const all = { ...actionDefaults(actionYml), ...inputs };
  for (const [name, value] of Object.entries(all)) stepEnv[inputEnvName(name)] = value;
  if (step === 'post') {
    for (const [name, value] of Object.entries(parseFileCommands(readFileSync(files.state, 'utf8')))) stepEnv[`STATE_${name}`] = value;
  }
  Object.assign(stepEnv, env);
  // The runner starts the step in the workspace, in a process group of its own (so the whole tree
  // can be killed on cancel).
  const child = spawn(nodePath, [entry], { cwd: files.dir, env: stepEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    stdout += d;
    onStdout?.(d);
  });
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const done = new Promise((resolveDone) => {
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return { child, done, output: () => stdout };
}

/** The runner's cancellation: SIGINT, then SIGTERM after 7.5 s, then SIGKILL of the tree after 2.5 s more. */
export async function cancelLikeRunner(child, done, { sigtermAfterMs = 7500, killAfterMs = 2500 } = {}) {
  const exited = done.then(() => true);
  const wait = (ms) => new Promise((r) => setTimeout(() => r(false), ms));
  try { process.kill(-child.pid, 'SIGINT'); } catch { /* already gone */ }
  if (await Promise.race([exited, wait(sigtermAfterMs)])) return 'SIGINT';
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  if (await Promise.race([exited, wait(killAfterMs)])) return 'SIGTERM';
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  await done;
  return 'SIGKILL';
}

/** Cancellation with no grace at all: SIGKILL of the process group, as when the runner machine dies. */
export async function killNow(child, done) {
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  await done;
  return 'SIGKILL';
}

/** Outputs the main step wrote. */
export function readOutputs(files) {
  return parseFileCommands(readFileSync(files.output, 'utf8'));
}
