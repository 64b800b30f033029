/**
 * ARM's managedClusters/runCommand and commandResults/{id}, as the spec (2025-10-01
 * managedClusters.json, examples RunCommandRequest / RunCommandResultSucceed / …Failed) and the docs
 * describe them (beyond-notes §1): the POST answers 202 with Location `…/commandResults/{id}` and
 * Retry-After, polls answer 202 with a running body until the command ends, then 200 with
 * `properties: {provisioningState, exitCode, startedAt, finishedAt, logs, reason}` in lower case, logs
 * capped at 512 kB. The command runs as AKS runs it: `sh -c` with the real kubectl against the
 * cluster's API server, as the identity of `clusterToken` (runKubectlCommand), in a directory holding
 * the unzipped `context`. Authentication and Azure RBAC are arm.ts's; this file is the resource
 * provider's part. Lines marked (guess) follow no source we read.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CommandFile } from '../../src/core/cluster-commands.js';
import { runKubectlCommand } from '../support/kubectl-command.js';
import { sendJson } from './https-server.js';
import { unzipFiles } from './unzip.js';
import type { ClusterSpec } from './arm.js';

/** How runCommand behaves on one cluster; plain JSON (it crosses the identity world's admin endpoint). */
export interface RunCommandBehaviour {
  /** apiServerAccessProfile.disableRunCommand. */
  readonly disabled?: boolean;
  /** The command pod never starts: each command fails after the polls, as after ARM's 60 s limit. */
  readonly notScheduled?: boolean;
  /** Azure Policy denies the command pod in namespace aks-command. */
  readonly policyBlocked?: boolean;
  /** Polls answered "running" before the result, on top of the command's own run time. */
  readonly pendingPolls?: number;
  /** Retry-After on the 202s, seconds (default 1). */
  readonly retryAfterSeconds?: number;
  /** The first N runCommand/commandResults requests are throttled (429 with Retry-After: 1). */
  readonly throttledRequests?: number;
  /** The POST waits for the command and answers 200 with the result (the spec's autorest-only 200). */
  readonly synchronous?: boolean;
}

export interface RunCommandRecord {
  readonly id: string;
  /** `<subscription>/<resource group>/<cluster>`, lower case. */
  readonly cluster: string;
  readonly command: string;
  /** Names of the files the context zip held. */
  readonly files: readonly string[];
  readonly clusterTokenSent: boolean;
  /** GETs of its commandResults, answered or not. */
  polls: number;
  state: 'running' | 'succeeded' | 'failed';
}

/** What runCommand returns at most in `logs` (access-private-cluster.md: "limited to 512 kB"). */
export const LOGS_CAP_BYTES = 512 * 1024;

interface Entry {
  readonly record: RunCommandRecord;
  readonly clusterKey: string;
  readonly startedAt: string;
  done?: Promise<void>;
  finishedAt?: string;
  exitCode?: number;
  logs?: string;
  reason?: string;
}

const cloudError = (res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void =>
  sendJson(res, status, { error: { code, message, ...extra } });

// The troubleshooting article's wording for a pod that did not start (its example names 30 s; the
// scheduling limit is ARM's 60 s, access-private-cluster.md).
const notScheduledReason = (id: string): string =>
  `KubernetesPerformanceError: container command-${id} in aks-command namespace did not start within 60s`;

/** Azure/AKS#4769: the error ARM gave a user whose cluster's policy denied the pod. */
const POLICY_ERROR = {
  code: 'RunCommandBlockedByAzurePolicy',
  message: 'Run command is blocked by external resource, please check the error message for more details. details: AKS runCommand feature is blocked by Azure Policy applied to this cluster, to fix this issue you will need to run `kubectl get k8sazurecustomcontainerallowedimages -o yaml` find policy assignment by `azure-policy-assignment-id` annotation, then fix the policy.',
  subcode: 'PodCreateBlockedByAzurePolicy',
};

function truncateLogs(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  // (guess) AKS keeps the beginning; the docs only say the output is limited to 512 kB.
  return bytes.length <= LOGS_CAP_BYTES ? text : bytes.subarray(0, LOGS_CAP_BYTES).toString('utf8');
}

export function createRunCommandService() {
  const entries = new Map<string, Entry>();
  const order: RunCommandRecord[] = [];
  const throttled = new Map<string, number>();
  const keyOf = (c: ClusterSpec): string => `${c.subscriptionId}/${c.resourceGroup}/${c.name}`.toLowerCase();

  const throttle = (res: ServerResponse, c: ClusterSpec): boolean => {
    const n = throttled.get(keyOf(c)) ?? 0;
    if (n >= (c.runCommand?.throttledRequests ?? 0)) return false;
    throttled.set(keyOf(c), n + 1);
    sendJson(res, 429, { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } }, { 'retry-after': '1' });
    return true;
  };

  const resultBody = (e: Entry): unknown => ({
    id: e.record.id,
    properties: e.record.state === 'running'
      ? { provisioningState: 'running', startedAt: e.startedAt }
      : {
          provisioningState: e.record.state, startedAt: e.startedAt, finishedAt: e.finishedAt,
          ...(e.exitCode === undefined ? {} : { exitCode: e.exitCode }),
          ...(e.logs === undefined ? {} : { logs: e.logs }),
          ...(e.reason === undefined ? {} : { reason: e.reason }),
        },
  });

  /** Absolute, on the host the client called (the fake's port), as ARM's Location is. */
  const locationOf = (req: IncomingMessage, url: URL, id: string): string => {
    const base = url.pathname.replace(/\/runCommand$/i, '').replace(/\/commandResults\/[^/]+$/i, '');
    return `https://${req.headers.host ?? '127.0.0.1'}${base}/commandResults/${id}?api-version=${url.searchParams.get('api-version') ?? ''}`;
  };

  /** POST …/runCommand: ARM's checks passed; the resource provider's own. */
  async function submit(req: IncomingMessage, res: ServerResponse, url: URL, bodyText: string, c: ClusterSpec): Promise<void> {
    const b = c.runCommand ?? {};
    if (throttle(res, c)) return;
    // (guess) code and wording: the docs name the property but not the error a disabled cluster returns.
    if (b.disabled) return cloudError(res, 400, 'OperationNotAllowed', 'Run command is disabled for this managed cluster: apiServerAccessProfile.disableRunCommand is true.');
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      return cloudError(res, 415, 'UnsupportedMediaType', `The content media type '${type}' is not supported. Only 'application/json' is supported.`);
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(bodyText) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    } catch (error) {
      return cloudError(res, 400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${String(error)}'.`);
    }
    const { command, context, clusterToken } = body;
    if (typeof command !== 'string' || command === '') return cloudError(res, 400, 'InvalidParameter', "The value of parameter 'command' is invalid: a command is required.");
    let files: CommandFile[] = [];
    if (context !== undefined && context !== '') {
      try {
        if (typeof context !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(context)) throw new Error('context is not base64');
        files = unzipFiles(Buffer.from(context, 'base64'));
      } catch (error) {
        return cloudError(res, 400, 'InvalidParameter', `The value of parameter 'context' is invalid: ${error instanceof Error ? error.message : String(error)}.`);
      }
    }
    if (clusterToken !== undefined && typeof clusterToken !== 'string') return cloudError(res, 400, 'InvalidParameter', "The value of parameter 'clusterToken' is invalid.");
    // (guess) wording: azure-cli sends clusterToken exactly when aadProfile.managed, "so the command
    // execution also using current user identity"; without it an AAD cluster has no identity to use.
    if (c.entra && !clusterToken) return cloudError(res, 400, 'BadRequest', 'clusterToken is required for an AAD-enabled managed cluster: pass a token for the AKS AAD server application.');
    const token = c.entra ? (clusterToken as string) : c.localUser?.token;
    if (token === undefined) return cloudError(res, 500, 'InternalServerError', 'fake: a local-account cluster needs localUser.token to run commands');

    const id = randomBytes(16).toString('hex');
    const record: RunCommandRecord = { id, cluster: keyOf(c), command, files: files.map((f) => f.name), clusterTokenSent: typeof clusterToken === 'string', polls: 0, state: 'running' };
    const startedAt = new Date().toISOString();
    const entry: Entry = { record, clusterKey: keyOf(c), startedAt };
    entry.done = (async () => {
        if (b.notScheduled) {
          entry.reason = notScheduledReason(id);
          record.state = 'failed';
        } else if (b.policyBlocked) {
          record.state = 'failed';
        } else {
          const result = await runKubectlCommand({ server: c.server, caPem: c.caPem, token }, command, files);
          entry.exitCode = result.exitCode;
          entry.logs = truncateLogs(result.logs);
          record.state = 'succeeded';
        }
        entry.finishedAt = new Date().toISOString();
      })().catch((error: unknown) => {
        entry.reason = `fake: ${String(error)}`;
        record.state = 'failed';
      });
    entries.set(id, entry);
    order.push(record);

    if (b.synchronous) {
      await entry.done;
      return sendJson(res, 200, resultBody(entry));
    }
    res.writeHead(202, { location: locationOf(req, url, id), 'retry-after': String(b.retryAfterSeconds ?? 1), 'content-length': 0 });
    res.end();
  }

  /** GET …/commandResults/{id}. */
  function result(req: IncomingMessage, res: ServerResponse, url: URL, c: ClusterSpec, id: string): void {
    const b = c.runCommand ?? {};
    const entry = entries.get(id);
    if (!entry || entry.clusterKey !== keyOf(c)) return cloudError(res, 404, 'NotFound', `Command result '${id}' was not found.`);
    entry.record.polls += 1;
    if (throttle(res, c)) return;
    if (b.policyBlocked) return cloudError(res, 400, POLICY_ERROR.code, POLICY_ERROR.message, { subcode: POLICY_ERROR.subcode });
    if (entry.record.state === 'running' || entry.record.polls <= (b.pendingPolls ?? 0)) {
      const running = { id, properties: { provisioningState: 'running', startedAt: entry.startedAt } };
      return sendJson(res, 202, running, { location: locationOf(req, url, id), 'retry-after': String(b.retryAfterSeconds ?? 1) });
    }
    sendJson(res, 200, resultBody(entry));
  }

  return { submit, result, records: (): readonly RunCommandRecord[] => order.map((r) => ({ ...r })) };
}
