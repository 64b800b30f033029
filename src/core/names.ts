/**
 * One source of truth for the names users type and the runner passes around.
 * Defaults live in action.yml / task.json; `DEFAULTS` mirrors them and a test checks they agree.
 */
export const Input = {
  job: 'job',
  cronjob: 'cronjob',
  namespace: 'namespace',
  params: 'params',
  secretParams: 'secret-params',
  allowNewParams: 'allow-new-params',
  timeout: 'timeout',
  image: 'image',
  container: 'container',
  queue: 'queue',
  ignoreSidecars: 'ignore-sidecars',
  wait: 'wait',
  followLogs: 'follow-logs',
  dryRun: 'dry-run',
  fallbackImage: 'fallback-image',
  fallbackCommand: 'fallback-command',
  fallbackArgs: 'fallback-args',
  ttlSecondsAfterFinished: 'ttl-seconds-after-finished',
  imagePullGracePeriod: 'image-pull-grace-period',
  maxLogStreams: 'max-log-streams',
  concurrency: 'concurrency',
  attach: 'attach',
  authType: 'auth-type',
  kubeconfig: 'kubeconfig',
  clientId: 'client-id',
  tenantId: 'tenant-id',
  subscriptionId: 'subscription-id',
  resourceGroup: 'resource-group',
  clusterName: 'cluster-name',
  azureEnvironment: 'azure-environment',
  admin: 'admin',
  audience: 'audience',
  privateCluster: 'private-cluster',
} as const;
export type InputName = (typeof Input)[keyof typeof Input];

/** Defaults as declared in action.yml (checked by test/unit/manifest-defaults.test.ts). */
export const DEFAULTS: Readonly<Partial<Record<InputName, string>>> = {
  namespace: 'default',
  params: '{}',
  'secret-params': '{}',
  'allow-new-params': 'false',
  wait: 'true',
  'follow-logs': 'true',
  'dry-run': 'false',
  'ttl-seconds-after-finished': '86400',
  'image-pull-grace-period': '2m',
  'max-log-streams': '8',
  'ignore-sidecars': 'false',
  concurrency: 'Allow',
  'auth-type': 'auto',
  'azure-environment': 'AzureCloud',
  admin: 'false',
  audience: 'api://AzureADTokenExchange',
  'private-cluster': 'false',
};

export const Output = {
  runId: 'run-id',
  status: 'status',
  reason: 'reason',
  succeeded: 'succeeded',
  failed: 'failed',
  startTime: 'start-time',
  completionTime: 'completion-time',
  durationSeconds: 'duration-seconds',
  exitCode: 'exit-code',
  result: 'result',
  monitorUrl: 'monitor-url',
  jobs: 'jobs',
} as const;
export type OutputName = (typeof Output)[keyof typeof Output];

/** Step state carried from main to post (saved right after the create). */
export const State = {
  namespace: 'job-namespace',
  name: 'job-name',
  uid: 'job-uid',
  finished: 'job-finished',
  /** Saved before the create: lets the post step recognise a Job whose create answer never arrived. */
  submissionId: 'job-submission-id',
} as const;
export type StateName = (typeof State)[keyof typeof State];

/** Labels and annotations the action puts on every Job it creates. */
export const Label = {
  managedBy: 'app.kubernetes.io/managed-by',
  sourceKind: 'polysync.dev/source-kind',
  sourceName: 'polysync.dev/source-name',
} as const;
export const MANAGED_BY = 'polysync-aks-action';
export const Annotation = {
  repository: 'polysync.dev/repository',
  runId: 'polysync.dev/run-id',
  runAttempt: 'polysync.dev/run-attempt',
  runUrl: 'polysync.dev/run-url',
  cronjobInstantiate: 'cronjob.kubernetes.io/instantiate',
  /** Random id of one submission: lets a retried create recognise (adopt) its own Job. */
  submissionId: 'polysync.dev/submission-id',
} as const;
