/**
 * ClusterCommandRunner over ARM's managedClusters/runCommand: one POST, then GETs of the Location
 * it returns (`…/commandResults/{id}`) until the result's provisioningState is terminal. Mirrors
 * azure-cli's RunCommandLocationPolling (acs/_polling.py): the state comes from the body, not the
 * HTTP code, compared case-insensitively (examples say `succeeded`, the CLI compares `Succeeded`).
 * Every request has a deadline, every command a deadline, and the signal aborts both; no token is
 * ever part of a message. Facts: beyond-notes §1.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ClusterCommandRunner, CommandFile, CommandResult } from '../core/cluster-commands.js';
import { zipStored } from '../core/zip.js';
import { AKS_API_VERSION, type ArmCaller } from './aks-credentials.js';
import { createArmSend, type ArmResponse, type ArmSend } from './arm-request.js';
import {
  RunCommandError, describeFailedCommand, describeRunCommandHttpFailure, type RunCommandCluster,
} from './run-command-errors.js';

export { RunCommandError, type RunCommandCluster, type RunCommandFailureKind } from './run-command-errors.js';

export interface RunCommandTiming {
  /** Deadline of one ARM request attempt. */
  readonly requestTimeoutMs: number;
  /** Deadline of one command, from the POST to its result. */
  readonly commandTimeoutMs: number;
  /** Bounds on the wait between polls; ARM's Retry-After is honoured within them. */
  readonly minPollMs: number;
  readonly maxPollMs: number;
  /** The wait between polls when ARM sends no Retry-After. */
  readonly defaultPollMs: number;
  /** Retries of one request after a reset, 408/5xx or 429/503 (with Retry-After). */
  readonly maxRetries: number;
  readonly retryDelayMs: number;
}

export const DEFAULT_RUN_COMMAND_TIMING: RunCommandTiming = {
  requestTimeoutMs: 30_000,
  commandTimeoutMs: 10 * 60_000,
  minPollMs: 1_000,
  maxPollMs: 30_000,
  defaultPollMs: 2_000,
  maxRetries: 4,
  retryDelayMs: 1_000,
};

export interface ArmRunCommandOptions {
  readonly cluster: RunCommandCluster;
  /** ARM base URL without trailing slash (AzureEndpoints.resourceManager). */
  readonly resourceManager: string;
  /** ARM access tokens (scope `<ARM>/.default`), cached and renewed by the credential. */
  readonly armToken: () => Promise<string>;
  /**
   * Entra (AAD) clusters: the AKS token (scope `<server app>/.default`), sent as `clusterToken` so the
   * command runs as the action's identity. undefined for local-account clusters.
   */
  readonly clusterToken: (() => Promise<string>) | undefined;
  readonly caller: ArmCaller;
  readonly extraCaPem?: string;
  readonly timing?: Partial<RunCommandTiming>;
  /** Injected for tests; defaults to a timer that the signal cancels. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Injected for tests; defaults to createArmSend with this runner's token, CA and timing. */
  readonly send?: ArmSend;
}

/** What a run has cost so far (for the workflow log and the bench). */
export interface RunCommandStats {
  readonly commands: number;
  readonly armRequests: number;
}

interface DecodedResult {
  readonly state: string;
  readonly exitCode: number | undefined;
  readonly logs: string;
  readonly reason: string;
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'cancelled']);

/** A commandResults (or operation status) body → its state and fields; undefined when it has none (pure). */
export function decodeCommandResult(bodyText: string): DecodedResult | undefined {
  let body: { status?: unknown; properties?: Record<string, unknown> };
  try {
    body = JSON.parse(bodyText) as typeof body;
  } catch {
    return undefined;
  }
  const p = body?.properties ?? {};
  const state = typeof p['provisioningState'] === 'string' ? p['provisioningState'] : typeof body?.status === 'string' ? body.status : undefined;
  if (state === undefined) return undefined;
  const exitCode = typeof p['exitCode'] === 'number' ? p['exitCode'] : undefined;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { state, exitCode, logs: str(p['logs']), reason: str(p['reason']) };
}

/**
 * A command that has already run for a while will most likely run a while longer (the follow
 * batches wait up to 90 s in the cluster): the wait between polls grows with the command's age, a
 * third of it, up to this cap, so a 90 s batch costs about a dozen polls instead of one a second
 * (ARM throttles reads per subscription), while a quick read is still polled at ARM's pace.
 */
const AGE_POLL_FRACTION = 1 / 3;
const AGE_POLL_CAP_MS = 15_000;

/**
 * Retry-After (seconds or an HTTP date) → ms, `defaultPollMs` when absent or unreadable; at least
 * a third of the command's age (`ageMs`, capped at 15 s); clamped to min/max (pure).
 */
export function pollDelayMs(
  retryAfter: string | undefined, t: Pick<RunCommandTiming, 'minPollMs' | 'maxPollMs' | 'defaultPollMs'>, now: number, ageMs = 0,
): number {
  let ms = t.defaultPollMs;
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(seconds)) ms = seconds * 1000;
    else if (Number.isFinite(date)) ms = date - now;
  }
  ms = Math.max(ms, Math.min(AGE_POLL_CAP_MS, ageMs * AGE_POLL_FRACTION));
  return Math.min(t.maxPollMs, Math.max(t.minPollMs, ms));
}

/** The runCommand POST URL (pure). */
export function runCommandUrl(resourceManager: string, c: RunCommandCluster): string {
  const e = encodeURIComponent;
  return `${resourceManager}/subscriptions/${e(c.subscriptionId)}/resourceGroups/${e(c.resourceGroup)}` +
    `/providers/Microsoft.ContainerService/managedClusters/${e(c.clusterName)}/runCommand?api-version=${AKS_API_VERSION}`;
}

/** The abort's own reason when it is an Error (the run's cancellation), so callers see why. */
function abandoned(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new RunCommandError('failed', 'The runCommand was abandoned: the run was cancelled.', { cause: signal.reason });
}

export class ArmRunCommandRunner implements ClusterCommandRunner {
  private readonly timing: RunCommandTiming;
  private readonly send: ArmSend;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private commands = 0;
  private armRequests = 0;

  constructor(private readonly options: ArmRunCommandOptions) {
    this.timing = { ...DEFAULT_RUN_COMMAND_TIMING, ...options.timing };
    this.send = options.send ?? createArmSend({
      accessToken: options.armToken, requestTimeoutMs: this.timing.requestTimeoutMs,
      maxRetries: this.timing.maxRetries, retryDelayMs: this.timing.retryDelayMs,
      ...(options.extraCaPem === undefined ? {} : { extraCaPem: options.extraCaPem }),
    });
    this.sleep = options.sleep ?? (async (ms, signal) => void (await delay(ms, undefined, { signal })));
  }

  stats(): RunCommandStats {
    return { commands: this.commands, armRequests: this.armRequests };
  }

  async run(command: string, files: readonly CommandFile[], signal: AbortSignal): Promise<CommandResult> {
    if (signal.aborted) throw abandoned(signal);
    const deadline = AbortSignal.timeout(this.timing.commandTimeoutMs);
    const both = AbortSignal.any([signal, deadline]);
    try {
      return await this.submitAndPoll(command, files, both);
    } catch (error) {
      if (signal.aborted) throw abandoned(signal);
      if (deadline.aborted) {
        throw new RunCommandError('timeout', `The runCommand on AKS cluster '${this.options.cluster.clusterName}' did not finish within ${Math.round(this.timing.commandTimeoutMs / 1000)} s; ` +
          'ARM or the command pod is slow. Run the step again; if it keeps happening, check the cluster\'s aks-command namespace.', { cause: error });
      }
      throw error;
    }
  }

  private async submitAndPoll(command: string, files: readonly CommandFile[], signal: AbortSignal): Promise<CommandResult> {
    const body: Record<string, string> = { command };
    if (files.length > 0) body['context'] = Buffer.from(zipStored(files.map((f) => ({ name: f.name, content: f.content })))).toString('base64');
    if (this.options.clusterToken) body['clusterToken'] = await this.options.clusterToken();
    const url = runCommandUrl(this.options.resourceManager, this.options.cluster);
    const submitted = Date.now();
    let response = await this.request('POST', url, JSON.stringify(body), signal);
    this.commands += 1;
    let pollUrl = this.nextPollUrl(response, undefined);
    for (;;) {
      if (response.status !== 200 && response.status !== 201 && response.status !== 202) {
        throw describeRunCommandHttpFailure(response.status, response.bodyText, this.options.cluster, this.options.caller);
      }
      const result = decodeCommandResult(response.bodyText);
      if (result && TERMINAL.has(result.state.toLowerCase())) return this.finish(result);
      if (pollUrl === undefined) {
        throw new RunCommandError('failed', `ARM answered the runCommand with ${response.status} but no Location to poll and no finished result.`, { status: response.status });
      }
      const now = Date.now();
      await this.sleep(pollDelayMs(response.header('retry-after'), this.timing, now, now - submitted), signal);
      response = await this.request('GET', pollUrl, undefined, signal);
      pollUrl = this.nextPollUrl(response, pollUrl);
    }
  }

  /** Location (final-state-via: location), else Azure-AsyncOperation, else the previous URL; only on ARM's own origin, which gets our token. */
  private nextPollUrl(response: ArmResponse, previous: string | undefined): string | undefined {
    const raw = response.header('location') ?? response.header('azure-asyncoperation');
    if (raw === undefined || raw === '') return previous;
    const next = new URL(raw, this.options.resourceManager);
    if (next.origin !== new URL(this.options.resourceManager).origin) {
      throw new RunCommandError('failed', `ARM asked to poll ${next.origin}, not the ARM endpoint ${this.options.resourceManager}; refusing to send the token there.`);
    }
    return next.toString();
  }

  private async request(method: 'GET' | 'POST', url: string, body: string | undefined, signal: AbortSignal): Promise<ArmResponse> {
    this.armRequests += 1;
    try {
      return await this.send(method, url, body, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      const text = error instanceof Error ? error.message : String(error);
      throw new RunCommandError('unavailable', `Could not reach ARM at ${this.options.resourceManager} for the runCommand on AKS cluster '${this.options.cluster.clusterName}': ${text}. ` +
        'Check input \'azure-environment\' and the runner\'s network, then run the step again.', { cause: error });
    }
  }

  private finish(result: DecodedResult): CommandResult {
    const state = result.state.toLowerCase();
    if (state === 'succeeded') return { exitCode: result.exitCode ?? 0, logs: result.logs };
    // A failed state with an exit code and no reason is the command's own failure, not the pod's.
    if (state === 'failed' && result.reason === '' && result.exitCode !== undefined && result.exitCode !== 0) return { exitCode: result.exitCode, logs: result.logs };
    throw describeFailedCommand(result.state, result.reason, result.logs, this.options.cluster);
  }
}
