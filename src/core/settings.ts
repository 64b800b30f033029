/** The one typed settings object every run is driven by. Built and validated eagerly by parseSettings. */
export type SourceKind = 'Job' | 'CronJob';

export interface SourceRef {
  readonly kind: SourceKind;
  /** metadata.name of the source Job or CronJob (Polysync's "External Id"). */
  readonly name: string;
}

/** Seed 000: a busybox-style Job reconstructed when the source Job no longer exists. */
export interface FallbackSpec {
  readonly image: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
}

export type AzureEnvironmentName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export interface AzureConnection {
  readonly kind: 'azure';
  readonly clientId: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly environment: AzureEnvironmentName;
  /** listClusterAdminCredential instead of listClusterUserCredential. */
  readonly admin: boolean;
  /** Audience of the federated (GitHub / Azure DevOps) token. */
  readonly audience: string;
}

export interface KubeconfigConnection {
  readonly kind: 'kubeconfig';
  /** The kubeconfig's content; undefined means "the KUBECONFIG file the runner has". */
  readonly kubeconfig: string | undefined;
}

export type Connection = AzureConnection | KubeconfigConnection;

/** Where and how the cluster is reached: shared by run, discovery and post. */
export interface ConnectionSettings {
  readonly namespace: string;
  readonly connection: Connection;
}

export interface RunSettings extends ConnectionSettings {
  readonly source: SourceRef;
  /** Ordered env var overlay for container[0]: [name, value]. */
  readonly params: ReadonlyArray<readonly [string, string]>;
  readonly allowNewParams: boolean;
  readonly timeoutSeconds: number | undefined;
  readonly image: string | undefined;
  readonly wait: boolean;
  readonly followLogs: boolean;
  readonly dryRun: boolean;
  readonly fallback: FallbackSpec | undefined;
  /** Used when the source sets no ttlSecondsAfterFinished; undefined leaves the field unset. */
  readonly ttlSecondsAfterFinished: number | undefined;
  readonly imagePullGraceSeconds: number;
  readonly maxLogStreams: number;
}

/** Who started the run: goes into the clone's annotations and the summary. */
export interface RunContext {
  readonly repository: string | undefined;
  readonly runId: string | undefined;
  readonly runAttempt: string | undefined;
  readonly runUrl: string | undefined;
}
