/** The one typed settings object every run is driven by. Built and validated eagerly by parseSettings. */
export type SourceKind = 'Job' | 'CronJob';

/** The `concurrency` input: CronJob's concurrencyPolicy values, decided on in concurrency.ts. */
export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';

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

/**
 * How the first Entra token of an Azure connection is had; after it every way goes on alike (ARM
 * listClusterUserCredential, AKS tokens renewed before expiry).
 */
export type AzureSignIn =
  /** The platform's OIDC token (GitHub, Azure DevOps) federated with Entra ID. */
  | { readonly kind: 'oidc' }
  /** Azure Workload Identity: the projected service-account token the webhook names in AZURE_FEDERATED_TOKEN_FILE. */
  | { readonly kind: 'workload-identity'; readonly tokenFile: string; readonly authorityHost: string | undefined }
  /** IMDS on an Azure VM / VMSS. */
  | { readonly kind: 'managed-identity' };

export interface AzureConnection {
  readonly kind: 'azure';
  readonly signIn: AzureSignIn;
  /** '' for managed-identity without `client-id`: the VM's system-assigned (or only) identity. */
  readonly clientId: string;
  /** '' for managed-identity, which needs no tenant. */
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly environment: AzureEnvironmentName;
  /** listClusterAdminCredential instead of listClusterUserCredential. */
  readonly admin: boolean;
  /** Audience of the federated (GitHub / Azure DevOps) token. */
  readonly audience: string;
  /** Input `private-cluster`: reach the API server directly, through AKS runCommand, or decide at sign-in. */
  readonly privateCluster: PrivateClusterMode;
}

/**
 * `false`: the API server directly. `true`: every call through ARM runCommand (a private cluster
 * from a runner outside its network). `auto`: runCommand when the API server is private and the
 * runner cannot reach it.
 */
export type PrivateClusterMode = 'false' | 'true' | 'auto';

export interface KubeconfigConnection {
  readonly kind: 'kubeconfig';
  /** The kubeconfig's content; undefined means "the KUBECONFIG file the runner has". */
  readonly kubeconfig: string | undefined;
}

/** The runner pod's own service account, as kubelet mounts it (client-go's rest.InClusterConfig). */
export interface InClusterConnection {
  readonly kind: 'in-cluster';
  /** KUBERNETES_SERVICE_HOST / _PORT, which kubelet sets in every pod. */
  readonly host: string;
  readonly port: string;
  /** Holds token, ca.crt and namespace: kubelet's path, or POLYSYNC_SERVICEACCOUNT_DIR (tests). */
  readonly serviceAccountDir: string;
}

export type Connection = AzureConnection | KubeconfigConnection | InClusterConnection;

/** The `auth-type` input. */
export type AuthType = 'auto' | 'oidc' | 'workload-identity' | 'managed-identity' | 'in-cluster' | 'kubeconfig';

/** What `auth-type` came to, said in the Connect group. */
export interface AuthChoice {
  readonly type: Exclude<AuthType, 'auto'>;
  /** Why `auto` chose it; undefined when the input named the way. */
  readonly reason: string | undefined;
}

/** Where and how the cluster is reached: shared by run, discovery and post. */
export interface ConnectionSettings {
  readonly namespace: string;
  readonly connection: Connection;
  readonly auth: AuthChoice;
}

export interface RunSettings extends ConnectionSettings {
  readonly source: SourceRef;
  /** Ordered env var overlay for the app container (core/app-container.ts): [name, value]. */
  readonly params: ReadonlyArray<readonly [string, string]>;
  /** As params, but the values go into a Secret owned by the Job and reach the pod by secretKeyRef. */
  readonly secretParams: ReadonlyArray<readonly [string, string]>;
  readonly allowNewParams: boolean;
  readonly timeoutSeconds: number | undefined;
  readonly image: string | undefined;
  /** Input `container`: the app container (core/app-container.ts decides when undefined). */
  readonly container: string | undefined;
  /** Input `queue`: the Kueue LocalQueue (label kueue.x-k8s.io/queue-name); undefined keeps the source's. */
  readonly queue: string | undefined;
  /** End the run when the app container has ended, whatever legacy sidecars still run (core/sidecars.ts). */
  readonly ignoreSidecars: boolean;
  readonly wait: boolean;
  readonly followLogs: boolean;
  readonly dryRun: boolean;
  readonly fallback: FallbackSpec | undefined;
  /** Used when the source sets no ttlSecondsAfterFinished; undefined leaves the field unset. */
  readonly ttlSecondsAfterFinished: number | undefined;
  readonly imagePullGraceSeconds: number;
  readonly maxLogStreams: number;
  /** What to do about active runs of the same source (CronJob's concurrencyPolicy). */
  readonly concurrency: ConcurrencyPolicy;
  /**
   * Name of an earlier run to follow instead of creating one. When set, `source` is a placeholder
   * until run/attach-job.ts reads the real one from the attached Job's labels.
   */
  readonly attach: string | undefined;
}

/** Who started the run: goes into the clone's annotations and the summary. */
export interface RunContext {
  readonly repository: string | undefined;
  readonly runId: string | undefined;
  readonly runAttempt: string | undefined;
  readonly runUrl: string | undefined;
}
