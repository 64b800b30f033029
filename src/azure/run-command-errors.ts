/**
 * What went wrong with an ARM runCommand, and what to do about it (pure). Each failure the docs
 * name has its own `kind`, so callers and tests can tell them apart, and a message that says what
 * to change. Sources: beyond-notes §1 (MicrosoftDocs access-private-cluster.md, the troubleshooting
 * article resolve-az-aks-command-invoke-failures.md, Azure/AKS#4769 for the policy error's shape).
 */
import type { ArmCaller, ClusterCredentialRequest } from './aks-credentials.js';
import { clusterResourceId } from './aks-credentials.js';

export type RunCommandFailureKind =
  /** `apiServerAccessProfile.disableRunCommand` is true on the cluster. */
  | 'disabled'
  /** The identity lacks `managedClusters/runcommand/action` or `commandResults/read`. */
  | 'forbidden'
  /** The command pod did not start within ARM's limit (60 s). */
  | 'not-scheduled'
  /** Azure Policy / Gatekeeper refused the pod in namespace `aks-command`. */
  | 'policy'
  /** ARM refused the ARM token (401). */
  | 'unauthenticated'
  /** The cluster, resource group or subscription does not exist. */
  | 'not-found'
  /** ARM kept answering 429/5xx, or could not be reached, or did not answer in time. */
  | 'unavailable'
  /** The command did not finish within the runner's deadline. */
  | 'timeout'
  /** Any other refusal or failed/canceled command. */
  | 'failed';

export class RunCommandError extends Error {
  override readonly name = 'RunCommandError';
  readonly kind: RunCommandFailureKind;
  /** The HTTP status when ARM answered with an error. */
  readonly status: number | undefined;
  /** The CloudError code, or the failed command's `reason`. */
  readonly code: string | undefined;

  constructor(kind: RunCommandFailureKind, message: string, fields: { status?: number; code?: string; cause?: unknown } = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.kind = kind;
    this.status = fields.status;
    this.code = fields.code;
  }
}

export type RunCommandCluster = Pick<ClusterCredentialRequest, 'subscriptionId' | 'resourceGroup' | 'clusterName'>;

const RUN_ACTION = 'Microsoft.ContainerService/managedClusters/runcommand/action';
const RESULT_ACTION = 'Microsoft.ContainerService/managedClusters/commandResults/read';

const clusterText = (c: RunCommandCluster): string =>
  `AKS cluster '${c.clusterName}' (resource group '${c.resourceGroup}', subscription '${c.subscriptionId}')`;
const idOf = (c: RunCommandCluster): string => clusterResourceId({ ...c, admin: false });

interface CloudError {
  readonly code: string;
  readonly message: string;
  readonly subcode: string;
}

function parseCloudError(bodyText: string): CloudError {
  try {
    const parsed = JSON.parse(bodyText) as { error?: Record<string, unknown> } & Record<string, unknown>;
    // ARM wraps it in {"error":{...}}; a failed LRO status carries the bare object.
    const e = (parsed.error ?? parsed) as { code?: unknown; message?: unknown; subcode?: unknown };
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    return { code: str(e.code), message: str(e.message) || bodyText.slice(0, 300), subcode: str(e.subcode) };
  } catch {
    return { code: '', message: bodyText.slice(0, 300), subcode: '' };
  }
}

function disabledFix(c: RunCommandCluster): string {
  return `runCommand is disabled on ${clusterText(c)} (apiServerAccessProfile.disableRunCommand). ` +
    `Enable it with: az aks update --resource-group ${c.resourceGroup} --name ${c.clusterName} --enable-run-command ` +
    `(or reach the API server directly: run on a self-hosted runner in the cluster's network and set 'private-cluster' to false).`;
}

function policyFix(c: RunCommandCluster): string {
  return `Azure Policy (or Gatekeeper) on ${clusterText(c)} blocked the runCommand pod in namespace 'aks-command'. ` +
    `Exempt namespace 'aks-command' from the policy assignment that denies it (kubectl get constraints, or the assignment named in the message).`;
}

function notScheduledFix(c: RunCommandCluster): string {
  return `The runCommand pod on ${clusterText(c)} did not start within ARM's limit of 60 seconds. ` +
    `It needs a Linux node with 200m CPU and 500Mi memory free and no taint it does not tolerate; add capacity (or a node pool without taints), then run the step again.`;
}

const mentionsDisabled = (text: string): boolean => /disableRunCommand|run ?command\b[^.]*\bdisabled/i.test(text);
const mentionsPolicy = (e: CloudError): boolean => /AzurePolicy|Gatekeeper|admission webhook .*denied/i.test(`${e.code} ${e.subcode} ${e.message}`);
const mentionsNotScheduled = (text: string): boolean => /did not start within|not be scheduled|FailedScheduling|Unschedulable|pending/i.test(text);

/** An ARM error answer to the POST or a poll → RunCommandError (pure). */
export function describeRunCommandHttpFailure(status: number, bodyText: string, cluster: RunCommandCluster, caller: ArmCaller): RunCommandError {
  const e = parseCloudError(bodyText);
  const detail = ` (ARM ${status}${e.code ? ` ${e.code}` : ''}${e.subcode ? `/${e.subcode}` : ''}: ${e.message})`;
  const make = (kind: RunCommandFailureKind, text: string): RunCommandError =>
    new RunCommandError(kind, `${text}${detail}`, { status, code: e.code || undefined });
  if (mentionsPolicy(e)) return make('policy', policyFix(cluster));
  if (mentionsDisabled(`${e.code} ${e.message}`)) return make('disabled', disabledFix(cluster));
  if (e.code === 'AuthorizationFailed' || status === 403) {
    return make('forbidden', `Application '${caller.clientId}' may not run commands on ${clusterText(cluster)}. ` +
      `Its Azure role needs '${RUN_ACTION}' and '${RESULT_ACTION}' (the "Azure Kubernetes Service Cluster Admin Role", Contributor, or a custom role with both): ` +
      `az role assignment create --assignee ${caller.clientId} --role "Azure Kubernetes Service Cluster Admin Role" --scope ${idOf(cluster)}`);
  }
  if (status === 401) return make('unauthenticated', `ARM refused the access token for ${clusterText(cluster)}. Check inputs 'azure-environment' and 'tenant-id'.`);
  if (e.code === 'ResourceNotFound' || e.code === 'ResourceGroupNotFound' || e.code === 'SubscriptionNotFound' || status === 404) {
    return make('not-found', `${clusterText(cluster)} was not found. Check inputs 'subscription-id', 'resource-group' and 'cluster-name'.`);
  }
  if (status === 429 || status >= 500) return make('unavailable', `ARM is unavailable for ${clusterText(cluster)}; run the step again later.`);
  return make('failed', `ARM refused the runCommand on ${clusterText(cluster)}.`);
}

/** A command result whose provisioningState is failed or canceled → RunCommandError (pure). */
export function describeFailedCommand(state: string, reason: string, logs: string, cluster: RunCommandCluster): RunCommandError {
  const tail = logs.trim() === '' ? '' : ` Output: ${logs.trim().slice(-500)}`;
  const detail = ` (provisioningState ${state}${reason ? `, reason: ${reason}` : ''}).${tail}`;
  const make = (kind: RunCommandFailureKind, text: string): RunCommandError =>
    new RunCommandError(kind, `${text}${detail}`, { code: reason || undefined });
  if (/AzurePolicy|Gatekeeper|admission webhook .*denied/i.test(reason)) return make('policy', policyFix(cluster));
  if (mentionsNotScheduled(reason)) return make('not-scheduled', notScheduledFix(cluster));
  if (state.toLowerCase() === 'canceled') return make('failed', `The runCommand on ${clusterText(cluster)} was canceled before it finished; run the step again.`);
  return make('failed', `The runCommand pod on ${clusterText(cluster)} failed before the command finished (namespace 'aks-command'; check its events).`);
}
