/**
 * Starts the bundled Azure DevOps task the way the agent's Node handler does: a `node` child process
 * whose environment carries, before start, the inputs (INPUT_<NAME>, task.json defaults filled in),
 * the service connections (ENDPOINT_URL_<id>, ENDPOINT_AUTH_<id> JSON, ENDPOINT_AUTH_SCHEME_<id>,
 * ENDPOINT_AUTH_PARAMETER_<id>_<KEY>, ENDPOINT_DATA_<id>_<KEY>), the SystemVssConnection with the job's
 * access token, the predefined variables (SYSTEM_*, BUILD_*, AGENT_*; names upper-cased with '.' → '_'
 * as task-lib's _getVariableKey expects) and, for the post-job step, the task variables the main step
 * set (VSTS_TASKVARIABLE_<NAME>). Cancellation follows azure-pipelines-agent ProcessInvoker: SIGINT,
 * 7.5 s, SIGTERM, 2.5 s, kill. stdout's ##vso commands are parsed with task-lib's own parser, which
 * accepts anything, then checked as the agent's command handlers check them (agentRejects): a
 * command the agent would refuse is reported in `rejected` and fails the step, as it does on an agent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandFromString } from 'azure-pipelines-task-lib/taskcommand.js';
import { ROOT } from '../../scripts/lib/runner.mjs';
import type { AzureDevOpsJob } from '../fakes/azure-devops-oidc.js';

export const TASK_DIR = join(ROOT, 'azure-devops', 'run-aks-job');

export interface ServiceEndpoint {
  readonly id: string;
  readonly url?: string;
  readonly scheme?: string;
  readonly authParameters?: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, string>>;
}

export interface VsoCommand {
  readonly command: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly message: string;
}

export interface TaskRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly commands: readonly VsoCommand[];
  /**
   * The step's result as the agent records it: the accepted task.complete results merged (a result
   * only gets worse), Failed when a command was rejected or the process did not exit 0.
   */
  readonly result: AgentTaskResult;
  /** The last accepted task.complete's message. */
  readonly resultMessage: string | undefined;
  /** Commands the agent would refuse ("Unable to process command"), with its reason. */
  readonly rejected: ReadonlyArray<{ readonly line: string; readonly reason: string }>;
  /** task.setvariable with isOutput=true. */
  readonly outputs: Readonly<Record<string, string>>;
  /** task.settaskvariable: what the agent hands to the post-job step. */
  readonly taskVariables: Readonly<Record<string, string>>;
  /** task.issue / task.logissue, plus the agent's own errors for rejected commands. */
  readonly issues: ReadonlyArray<{ readonly type: string; readonly message: string }>;
  readonly secrets: readonly string[];
  /** Lines that are not ##vso commands (log text, ##[group]...). */
  readonly log: readonly string[];
}

export interface StartTask {
  readonly step: 'main' | 'post';
  readonly inputs: Readonly<Record<string, string>>;
  readonly endpoints?: readonly ServiceEndpoint[];
  /** The pipeline job: SYSTEM_* variables and the SystemVssConnection. */
  readonly job?: AzureDevOpsJob;
  /** Task variables from the main step (TaskRun.taskVariables). */
  readonly taskVariables?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  /** Agent.TempDirectory; a new one when omitted. */
  readonly tempDir?: string;
  readonly onLine?: (line: string) => void;
  /** The script the handler runs; the bundle (dist/<step>/index.js) when omitted (sourceTask() for src/). */
  readonly script?: string;
}

/** task-lib's _getVariableKey: '.' and ' ' → '_', upper case. */
export const variableKey = (name: string): string => name.replace(/\./g, '_').replace(/ /g, '_').toUpperCase();

/** task.json's defaults, as the agent fills them in for inputs the pipeline leaves out. */
export function taskDefaults(): Record<string, string> {
  const task = JSON.parse(readFileSync(join(TASK_DIR, 'task.json'), 'utf8')) as { inputs: Array<{ name: string; defaultValue?: string }> };
  return Object.fromEntries(task.inputs.map((i) => [i.name, i.defaultValue ?? '']));
}

function endpointEnv(e: ServiceEndpoint): Record<string, string> {
  const env: Record<string, string> = {};
  if (e.url !== undefined) env[`ENDPOINT_URL_${e.id}`] = e.url;
  if (e.scheme !== undefined) {
    env[`ENDPOINT_AUTH_${e.id}`] = JSON.stringify({ parameters: e.authParameters ?? {}, scheme: e.scheme });
    env[`ENDPOINT_AUTH_SCHEME_${e.id}`] = e.scheme;
  }
  for (const [k, v] of Object.entries(e.authParameters ?? {})) env[`ENDPOINT_AUTH_PARAMETER_${e.id}_${k.toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(e.data ?? {})) env[`ENDPOINT_DATA_${e.id}_${k.toUpperCase()}`] = v;
  return env;
}

function jobEnv(job: AzureDevOpsJob): Record<string, string> {
  const variables: Record<string, string> = {
    'System.CollectionUri': job.collectionUri,
    'System.TeamFoundationCollectionUri': job.collectionUri,
    'System.TeamProject': job.project,
    'System.TeamProjectId': job.projectId,
    'System.PlanId': job.planId,
    'System.JobId': job.jobId,
    'System.HostType': 'build',
    'System.OidcRequestUri': job.oidcRequestUri,
    'System.JobAttempt': '1',
    'Build.BuildId': '4711',
    'Build.Repository.Name': 'etl-pipelines',
  };
  const env: Record<string, string> = Object.fromEntries(Object.entries(variables).map(([k, v]) => [variableKey(k), v]));
  env['VSTS_PUBLIC_VARIABLES'] = JSON.stringify(Object.keys(variables));
  // The agent gives every task the SystemVssConnection; System.AccessToken is a secret variable.
  Object.assign(env, endpointEnv({ id: 'SYSTEMVSSCONNECTION', url: job.collectionUri, scheme: 'OAuth', authParameters: { AccessToken: job.accessToken } }));
  env['SECRET_SYSTEM_ACCESSTOKEN'] = job.accessToken;
  env['VSTS_SECRET_VARIABLES'] = JSON.stringify(['System.AccessToken']);
  return env;
}

export function parseVsoCommands(stdout: string): VsoCommand[] {
  return vsoLines(stdout).map(parseVsoCommand);
}

const vsoLines = (stdout: string): string[] => stdout.split(/\r?\n/).filter((l) => l.startsWith('##vso['));

function parseVsoCommand(line: string): VsoCommand {
  const c = commandFromString(line);
  // The agent's Command.TryParse keeps properties in an OrdinalIgnoreCase dictionary.
  const properties = Object.fromEntries(Object.entries(c.properties ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return { command: c.command.toLowerCase(), properties, message: String(c.message ?? '') };
}

/**
 * The agent's TaskResult members in order (Microsoft.TeamFoundation.DistributedTask.WebApi). The
 * agent also parses `Abandoned` (the server's) and numbers; a task has no reason to print either.
 */
const AGENT_RESULTS = ['Succeeded', 'SucceededWithIssues', 'Failed', 'Canceled', 'Skipped'] as const;
export type AgentTaskResult = (typeof AGENT_RESULTS)[number];

/** TaskResultUtil.MergeTaskResults: the first Failed/Canceled/Skipped sticks, otherwise the worse wins. */
function mergeResults(current: AgentTaskResult | undefined, coming: AgentTaskResult): AgentTaskResult {
  if (current === undefined) return coming;
  const [c, n] = [AGENT_RESULTS.indexOf(current), AGENT_RESULTS.indexOf(coming)];
  return c > 1 || n < c ? current : coming;
}

/** Boolean.TryParse: anything else silently reads as false, which would lose an output variable. */
const BOOLEAN = /^(true|false)$/i;
const TASK_EVENTS = new Set([
  'logissue', 'issue', 'setprogress', 'logdetail', 'complete', 'setsecret', 'setvariable', 'addattachment',
  'debug', 'uploadsummary', 'uploadfile', 'settaskvariable', 'setendpoint', 'prependpath',
]);

/**
 * Why the agent would refuse a command, or undefined when it accepts it: the checks of
 * azure-pipelines-agent src/Agent.Worker/TaskCommandExtension.cs for the commands a task prints.
 */
export function agentRejects(c: VsoCommand): string | undefined {
  const [area, event] = c.command.split('.', 2);
  if (area !== 'task' || event === undefined || !TASK_EVENTS.has(event)) return `##vso[${c.command}] is not a recognized command.`;
  const p = c.properties;
  switch (event) {
    case 'complete':
      // Enum.TryParse<TaskResult>(resultText, out result): case-sensitive, names only here.
      return AGENT_RESULTS.includes(p['result'] as AgentTaskResult) ? undefined : `Command doesn't have valid result value (result=${p['result'] ?? ''}).`;
    case 'logissue':
    case 'issue': {
      const type = p['type'];
      if (type === undefined) return "Can't create TaskIssue from logging event.";
      return /^(error|warning)$/i.test(type) ? undefined : `issue type ${type} is not an expected issue type.`;
    }
    case 'setvariable':
    case 'settaskvariable': {
      if (!p['variable']) return event === 'setvariable' ? 'Missing variable name.' : 'Missing task variable name.';
      const notBoolean = ['issecret', 'isoutput', 'isreadonly'].find((k) => p[k] !== undefined && !BOOLEAN.test(p[k] ?? ''));
      if (notBoolean) return `${notBoolean}=${p[notBoolean] ?? ''} is not a boolean: the agent reads it as false.`;
      if (/^true$/i.test(p['issecret'] ?? '') && /\r?\n/.test(c.message)) return 'Multi-line secrets are not allowed.';
      return undefined;
    }
    case 'uploadsummary':
    case 'uploadfile':
      return c.message !== '' && existsSync(c.message) ? undefined : `The file to upload does not exist: '${c.message}'.`;
    default:
      return undefined;
  }
}

function summarise(code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string): TaskRun {
  const lines = vsoLines(stdout);
  const checked = lines.map((line) => {
    const command = parseVsoCommand(line);
    return { line, command, reason: agentRejects(command) };
  });
  const commands = checked.filter((c) => c.reason === undefined).map((c) => c.command);
  const rejected = checked.flatMap((c) => (c.reason === undefined ? [] : [{ line: c.line, reason: c.reason }]));
  const completes = commands.filter((c) => c.command === 'task.complete');
  let result = completes.reduce<AgentTaskResult | undefined>((r, c) => mergeResults(r, c.properties['result'] as AgentTaskResult), undefined);
  // WorkerCommandManager sets CommandResult = Failed for a command it could not process; the Node
  // handler requires exit code 0.
  if (rejected.length > 0 || code !== 0) result = mergeResults(result, 'Failed');
  const of = (name: string) => commands.filter((c) => c.command === name);
  return {
    code, signal, stdout, stderr, commands, rejected,
    result: result ?? 'Succeeded',
    resultMessage: completes.at(-1)?.message,
    outputs: Object.fromEntries(of('task.setvariable').filter((c) => /^true$/i.test(c.properties['isoutput'] ?? '')).map((c) => [c.properties['variable'] ?? '', c.message])),
    taskVariables: Object.fromEntries(of('task.settaskvariable').map((c) => [c.properties['variable'] ?? '', c.message])),
    issues: [
      ...commands.filter((c) => c.command === 'task.issue' || c.command === 'task.logissue').map((c) => ({ type: c.properties['type'] ?? '', message: c.message })),
      ...rejected.map((r) => ({ type: 'error', message: `Unable to process command '${r.line}' successfully. ${r.reason}` })),
    ],
    secrets: of('task.setsecret').map((c) => c.message),
    log: stdout.split(/\r?\n/).filter((l) => l !== '' && !l.startsWith('##vso[')),
  };
}

export interface RunningTask {
  readonly child: ChildProcess;
  readonly done: Promise<TaskRun>;
  /** The agent's cancellation: SIGINT, then SIGTERM after 7.5 s, then SIGKILL after 2.5 s more. */
  cancel(): Promise<TaskRun>;
}

export function startTask(o: StartTask): RunningTask {
  const temp = o.tempDir ?? mkdtempSync(join(tmpdir(), 'agent-temp-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TF_BUILD: 'True',
    AGENT_TEMPDIRECTORY: temp,
    AGENT_WORKFOLDER: temp,
    AGENT_VERSION: '4.266.2',
    AGENT_OS: 'Linux',
  };
  if (o.job) Object.assign(env, jobEnv(o.job));
  for (const e of o.endpoints ?? []) Object.assign(env, endpointEnv(e));
  for (const [name, value] of Object.entries({ ...taskDefaults(), ...o.inputs })) env[`INPUT_${variableKey(name)}`] = value;
  for (const [name, value] of Object.entries(o.taskVariables ?? {})) env[`VSTS_TASKVARIABLE_${variableKey(name)}`] = value;
  Object.assign(env, o.env);

  const child = spawn(process.execPath, [o.script ?? join(TASK_DIR, 'dist', o.step, 'index.js')], { cwd: temp, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) o.onLine?.(line);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  const done = new Promise<TaskRun>((resolve) => {
    child.on('close', (code, signal) => resolve(summarise(code, signal, stdout, stderr)));
  });
  return {
    child,
    done,
    async cancel() {
      const exited = (ms: number) => Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
      child.kill('SIGINT');
      if (!(await exited(7500))) {
        child.kill('SIGTERM');
        if (!(await exited(2500))) child.kill('SIGKILL');
      }
      return done;
    },
  };
}
