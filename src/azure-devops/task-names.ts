/**
 * The Azure DevOps names of the core's inputs, outputs and state: the ONE place where task.json's
 * camelCase names meet the core's kebab-case names (src/core/names.ts). Azure DevOps input names
 * must match ^[A-Za-z][A-Za-z0-9]*$ (task-lib tasks.schema.json) and variable names are letters,
 * digits, '.' and '_', so neither can use the GitHub names as they are.
 * test/unit/azure-devops-task-json.test.ts checks task.json against these tables and DEFAULTS.
 */
import { Input, Output, State, type InputName, type OutputName, type StateName } from '../core/names.js';
import type { AuthType } from '../core/settings.js';

/** The task's own inputs that choose and describe the cluster connection (no core counterpart). */
export const TaskInput = {
  connectionType: 'connectionType',
  azureSubscription: 'azureSubscription',
  kubernetesServiceConnection: 'kubernetesServiceConnection',
} as const;

/**
 * Values of the connectionType pickList: the two service connections as the Kubernetes tasks
 * (KubernetesManifest@1) spell them, and two ways a self-hosted agent signs in as itself (issue #9).
 */
export const ConnectionType = {
  azureResourceManager: 'azureResourceManager',
  kubernetesServiceConnection: 'kubernetesServiceConnection',
  /** The agent VM's (or VMSS's) managed identity, through IMDS. */
  managedIdentity: 'managedIdentity',
  /** The agent pod's service account (an agent running in the cluster). */
  inCluster: 'inCluster',
} as const;
export type ConnectionTypeName = (typeof ConnectionType)[keyof typeof ConnectionType];

/** The core `auth-type` each connection type stands for; the service connections keep `auto`, which their inputs decide. */
export const CONNECTION_AUTH_TYPE = {
  [ConnectionType.azureResourceManager]: undefined,
  [ConnectionType.kubernetesServiceConnection]: undefined,
  [ConnectionType.managedIdentity]: 'managed-identity',
  [ConnectionType.inCluster]: 'in-cluster',
} as const satisfies Record<ConnectionTypeName, AuthType | undefined>;

/**
 * Core inputs the task takes as inputs of its own. The Azure identity (client, tenant,
 * subscription, cloud) and the kubeconfig come from the service connection instead; the
 * federated token's audience is fixed by Azure DevOps (api://AzureADTokenExchange).
 * Resource group, cluster and admin use the names of the Kubernetes@1 task.
 */
export const TASK_INPUT = {
  [Input.job]: 'job',
  [Input.cronjob]: 'cronJob',
  [Input.namespace]: 'namespace',
  [Input.params]: 'params',
  [Input.secretParams]: 'secretParams',
  [Input.allowNewParams]: 'allowNewParams',
  [Input.timeout]: 'timeout',
  [Input.image]: 'image',
  [Input.container]: 'container',
  [Input.queue]: 'queue',
  [Input.ignoreSidecars]: 'ignoreSidecars',
  [Input.wait]: 'wait',
  [Input.followLogs]: 'followLogs',
  [Input.dryRun]: 'dryRun',
  [Input.fallbackImage]: 'fallbackImage',
  [Input.fallbackCommand]: 'fallbackCommand',
  [Input.fallbackArgs]: 'fallbackArgs',
  [Input.ttlSecondsAfterFinished]: 'ttlSecondsAfterFinished',
  [Input.imagePullGracePeriod]: 'imagePullGracePeriod',
  [Input.maxLogStreams]: 'maxLogStreams',
  [Input.concurrency]: 'concurrency',
  [Input.attach]: 'attach',
  [Input.resourceGroup]: 'azureResourceGroup',
  [Input.clusterName]: 'kubernetesCluster',
  [Input.admin]: 'useClusterAdmin',
  [Input.privateCluster]: 'privateCluster',
  // Managed identity only: a service connection supplies these otherwise.
  [Input.subscriptionId]: 'azureSubscriptionId',
  [Input.clientId]: 'managedIdentityClientId',
} as const satisfies Partial<Record<InputName, string>>;
export type TaskInputName = (typeof TASK_INPUT)[keyof typeof TASK_INPUT];

const AZURE_TYPES = [ConnectionType.azureResourceManager, ConnectionType.managedIdentity] as const;
/**
 * Core inputs read from task inputs only with these connection types; task.json's visibleRule hides
 * them otherwise, and the task reads them as '' then (a leftover `useClusterAdmin: true` must not
 * turn a kubeconfig run into an Azure one).
 */
export const INPUT_ONLY_FOR: Readonly<Partial<Record<InputName, readonly ConnectionTypeName[]>>> = {
  [Input.resourceGroup]: AZURE_TYPES,
  [Input.clusterName]: AZURE_TYPES,
  [Input.admin]: AZURE_TYPES,
  [Input.privateCluster]: AZURE_TYPES,
  [Input.subscriptionId]: [ConnectionType.managedIdentity],
  [Input.clientId]: [ConnectionType.managedIdentity],
};

/** Core inputs derived from the service connection, and where each comes from (for messages). */
export const FROM_SERVICE_CONNECTION = {
  [Input.clientId]: `the '${TaskInput.azureSubscription}' service connection's service principal id`,
  [Input.tenantId]: `the '${TaskInput.azureSubscription}' service connection's tenant id`,
  [Input.subscriptionId]: `the '${TaskInput.azureSubscription}' service connection's subscription id`,
  [Input.azureEnvironment]: `the '${TaskInput.azureSubscription}' service connection's environment`,
  [Input.audience]: 'the Azure DevOps OIDC token audience',
  [Input.kubeconfig]: `the '${TaskInput.kubernetesServiceConnection}' service connection's kubeconfig`,
  // The task chooses the way by its connection type (CONNECTION_AUTH_TYPE).
  [Input.authType]: `the '${TaskInput.connectionType}' input`,
} as const satisfies Partial<Record<InputName, string>>;

/** Output variables (isOutput=true): read downstream as $(<step name>.<variable>). Discovery's `jobs` is GitHub-only. */
export const TASK_OUTPUT = {
  [Output.runId]: 'runId',
  [Output.status]: 'status',
  [Output.reason]: 'reason',
  [Output.succeeded]: 'succeeded',
  [Output.failed]: 'failed',
  [Output.startTime]: 'startTime',
  [Output.completionTime]: 'completionTime',
  [Output.durationSeconds]: 'durationSeconds',
  [Output.exitCode]: 'exitCode',
  [Output.result]: 'result',
  [Output.monitorUrl]: 'monitorUrl',
} as const satisfies Partial<Record<OutputName, string>>;

/** Task variables (task.settaskvariable) carried from the main step to the post-job step. */
export const TASK_STATE = {
  [State.namespace]: 'polysyncJobNamespace',
  [State.name]: 'polysyncJobName',
  [State.uid]: 'polysyncJobUid',
  [State.finished]: 'polysyncJobFinished',
  [State.submissionId]: 'polysyncJobSubmissionId',
} as const satisfies Record<StateName, string>;

/** The task.json name of a core input, or undefined when only a service connection supplies it. */
export function taskInputName(name: InputName): TaskInputName | undefined {
  return (TASK_INPUT as Partial<Record<InputName, TaskInputName>>)[name];
}

/** The output variable for a core output; unknown names pass through unchanged. */
export function taskOutputName(name: string): string {
  return (TASK_OUTPUT as Record<string, string>)[name] ?? name;
}

/** The task variable for a core state name; unknown names pass through unchanged. */
export function taskStateName(name: string): string {
  return (TASK_STATE as Record<string, string>)[name] ?? name;
}
