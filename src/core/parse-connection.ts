/**
 * The connection inputs → how to reach the cluster: `auth-type` and each way's inputs (Azure
 * sign-in, workload or managed identity, the runner pod's service account, a kubeconfig), the
 * namespace, and `private-cluster` (through AKS runCommand). Every way takes the inputs it needs
 * and refuses the ones it would ignore. Pure.
 */
import { AUTH_TYPES, chooseAuto, NO_RUNNER_FACTS, RunnerEnv, serviceAccountDir, type RunnerFacts } from './auth-type.js';
import { InputError, shown } from './errors.js';
import { andList, DNS_LABEL, given, orDefault, parseBoolean, Problems, quoted, type InputReader } from './input-reading.js';
import { DEFAULTS, Input, type InputName } from './names.js';
import type { AuthChoice, AuthType, AzureConnection, AzureEnvironmentName, AzureSignIn, Connection, ConnectionSettings, PrivateClusterMode } from './settings.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/i;
/** Azure naming rules (learn.microsoft.com, "Naming rules and restrictions for Azure resources"). */
const RESOURCE_GROUP = /^[-\p{L}\p{N}_.()]{0,89}[-\p{L}\p{N}_()]$/u;
const CLUSTER_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_]{0,61}[A-Za-z0-9])?$/;
const AZURE_ENVIRONMENTS: readonly AzureEnvironmentName[] = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'];

/** Namespaces are DNS-1123 labels (apimachinery IsDNS1123Label). */
function parseNamespace(value: string): string {
  if (value.length <= 63 && DNS_LABEL.test(value)) return value;
  throw InputError.invalid(Input.namespace, value,
    "a DNS-1123 label (at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit)");
}

const AZURE_IDENTITY = [Input.clientId, Input.tenantId, Input.subscriptionId, Input.resourceGroup, Input.clusterName] as const;
const AZURE_CLUSTER = [Input.subscriptionId, Input.resourceGroup, Input.clusterName] as const;
const AZURE_OPTIONS = [Input.azureEnvironment, Input.admin, Input.audience] as const;

function checked(input: InputName, value: string, ok: boolean, expected: string): string {
  if (ok) return value;
  throw InputError.invalid(input, value, expected);
}

/** Client and tenant ids as a way supplies them: from the inputs (oidc), or the webhook's variables. */
interface AzureIds {
  readonly clientId: string | undefined;
  readonly tenantId: string | undefined;
  /** The variables the ids came from when no input gave them, for messages. */
  readonly fromVariable?: { readonly clientId?: string; readonly tenantId?: string };
}

/** As checked(), naming the variable when the value came from one. */
function checkedId(input: InputName, variable: string | undefined, value: string, ok: boolean, expected: string): string {
  if (ok || variable === undefined) return checked(input, value, ok, expected);
  throw new InputError(`Variable ${variable} must be ${expected}; got '${shown(value)}'.`, { inputs: [input] });
}

function parseAzure(read: InputReader, problems: Problems, signIn: AzureSignIn, ids: AzureIds): AzureConnection {
  const value = (name: InputName): string => orDefault(read, name);
  const guid = (name: InputName): string => problems.get('', () =>
    checked(name, value(name), GUID.test(value(name)), "a GUID like '00000000-0000-0000-0000-000000000000'"));
  const tenant = ids.tenantId;
  const environment = problems.get<AzureEnvironmentName>('AzureCloud', () => {
    const found = AZURE_ENVIRONMENTS.find((e) => e.toLowerCase() === value(Input.azureEnvironment).toLowerCase());
    if (found) return found;
    throw InputError.invalid(Input.azureEnvironment, value(Input.azureEnvironment), `one of ${AZURE_ENVIRONMENTS.join(', ')}`);
  });
  return {
    kind: 'azure',
    signIn,
    clientId: ids.clientId === undefined ? '' : problems.get('', () =>
      checkedId(Input.clientId, ids.fromVariable?.clientId, ids.clientId ?? '', GUID.test(ids.clientId ?? ''), "a GUID like '00000000-0000-0000-0000-000000000000'")),
    tenantId: tenant === undefined ? '' : problems.get('', () => checkedId(Input.tenantId, ids.fromVariable?.tenantId, tenant, GUID.test(tenant) || DOMAIN.test(tenant), "a GUID or a domain like 'contoso.onmicrosoft.com'")),
    subscriptionId: guid(Input.subscriptionId),
    resourceGroup: problems.get('', () => checked(Input.resourceGroup, value(Input.resourceGroup), RESOURCE_GROUP.test(value(Input.resourceGroup)),
      "a resource group name (1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending with '.')")),
    clusterName: problems.get('', () => checked(Input.clusterName, value(Input.clusterName), CLUSTER_NAME.test(value(Input.clusterName)),
      "an AKS cluster name (1 to 63 letters, digits, '-' or '_', starting and ending with a letter or digit)")),
    environment,
    admin: problems.get(false, () => parseBoolean(Input.admin, value(Input.admin))),
    audience: value(Input.audience),
    privateCluster: problems.get<PrivateClusterMode>('false', () => parsePrivateCluster(value(Input.privateCluster))),
  };
}

const PRIVATE_CLUSTER_MODES: readonly PrivateClusterMode[] = ['false', 'true', 'auto'];

function parsePrivateCluster(value: string): PrivateClusterMode {
  const found = PRIVATE_CLUSTER_MODES.find((m) => m === value.toLowerCase());
  if (found) return found;
  throw InputError.invalid(Input.privateCluster, value, "'false' (the API server directly), 'true' (through AKS runCommand) or 'auto' (runCommand when the API server is private and out of reach)");
}

/**
 * runCommand is an ARM API on the managed cluster: without Azure sign-in there is no cluster
 * resource to call it on, so anything but 'false' is refused rather than ignored.
 */
function privateClusterNeedsAzure(read: InputReader, problems: Problems, type: AuthType): void {
  const value = orDefault(read, Input.privateCluster);
  if (value.toLowerCase() === 'false') return;
  problems.errors.push(new InputError(
    `Input '${Input.privateCluster}' is '${shown(value)}', but reaching a private cluster through AKS runCommand needs Azure sign-in ` +
      `('${Input.authType}' oidc, workload-identity or managed-identity, with ${quoted(AZURE_CLUSTER)}); with '${Input.authType}: ${type}' it must be 'false' (or left out).`,
    { inputs: [Input.privateCluster, Input.authType] },
  ));
}

function parseAuthType(value: string): AuthType {
  const found = AUTH_TYPES.find((t) => t === value.toLowerCase());
  if (found) return found;
  throw InputError.invalid(Input.authType, value, `one of ${AUTH_TYPES.join(', ')}`);
}

/** Inputs that do not apply to the chosen way: an error rather than silently ignored. */
function notFor(problems: Problems, type: AuthType, names: readonly InputName[]): void {
  if (names.length === 0) return;
  problems.errors.push(new InputError(`Input${names.length === 1 ? '' : 's'} ${quoted(names)} cannot be used with '${Input.authType}: ${type}'; remove ${names.length === 1 ? 'it' : 'them'}.`,
    { inputs: [Input.authType, ...names] }));
}

function needs(problems: Problems, type: AuthType, missing: readonly string[], hint = ''): boolean {
  if (missing.length === 0) return true;
  problems.errors.push(new InputError(`'${Input.authType}: ${type}' needs ${andList(missing)}${hint}`, { inputs: [Input.authType] }));
  return false;
}

/** Azure Workload Identity: ids from the inputs or the webhook's variables, the token file from the webhook. */
function parseWorkloadIdentity(read: InputReader, problems: Problems, facts: RunnerFacts): Connection | undefined {
  const env = (name: string): string | undefined => facts.env[name] || undefined;
  const clientId = given(read, Input.clientId) ?? env(RunnerEnv.clientId);
  const tenantId = given(read, Input.tenantId) ?? env(RunnerEnv.tenantId);
  const tokenFile = env(RunnerEnv.federatedTokenFile);
  const missing = [
    ...AZURE_CLUSTER.filter((name) => given(read, name) === undefined).map((name) => `input '${name}'`),
    ...(clientId === undefined ? [`input '${Input.clientId}' or variable ${RunnerEnv.clientId}`] : []),
    ...(tenantId === undefined ? [`input '${Input.tenantId}' or variable ${RunnerEnv.tenantId}`] : []),
    ...(tokenFile === undefined ? [`variable ${RunnerEnv.federatedTokenFile}`] : []),
  ];
  const hint = tokenFile === undefined
    ? `. The Azure Workload Identity webhook sets ${RunnerEnv.federatedTokenFile}, ${RunnerEnv.clientId} and ${RunnerEnv.tenantId} only in pods labelled azure.workload.identity/use: "true" whose service account is annotated azure.workload.identity/client-id: this runner pod likely lacks the label (for ARC, in the runner template's metadata.labels).`
    : '.';
  if (!needs(problems, 'workload-identity', missing, hint) || tokenFile === undefined) return undefined;
  const authorityHost = env(RunnerEnv.authorityHost)?.replace(/\/+$/, '');
  const fromVariable = {
    ...(given(read, Input.clientId) === undefined ? { clientId: RunnerEnv.clientId } : {}),
    ...(given(read, Input.tenantId) === undefined ? { tenantId: RunnerEnv.tenantId } : {}),
  };
  return parseAzure(read, problems, { kind: 'workload-identity', tokenFile, authorityHost }, { clientId, tenantId, fromVariable });
}

function parseInCluster(problems: Problems, facts: RunnerFacts): Connection | undefined {
  const host = facts.env[RunnerEnv.serviceHost] || undefined;
  const port = facts.env[RunnerEnv.servicePort] || undefined;
  const dir = serviceAccountDir(facts);
  const token = `${dir}/token`;
  const missing = [
    ...(host === undefined ? [`variable ${RunnerEnv.serviceHost}`] : []),
    ...(port === undefined ? [`variable ${RunnerEnv.servicePort}`] : []),
    ...(facts.fileExists(token) ? [] : [`a service-account token at ${token}`]),
  ];
  const hint = '. kubelet sets the variables and mounts the token in every pod whose service account (or pod spec) does not set automountServiceAccountToken: false; is this step running in a pod?';
  if (!needs(problems, 'in-cluster', missing, hint) || host === undefined || port === undefined) return undefined;
  return { kind: 'in-cluster', host, port, serviceAccountDir: dir };
}

/** How `auth-type` reaches the cluster, each way with the inputs it needs and none it would ignore. */
function parseConnection(read: InputReader, problems: Problems, facts: RunnerFacts): { connection: Connection; auth: AuthChoice } {
  const kubeconfig = given(read, Input.kubeconfig);
  const identity = AZURE_IDENTITY.filter((name) => given(read, name) !== undefined);
  const options = AZURE_OPTIONS.filter((name) => orDefault(read, name).toLowerCase() !== (DEFAULTS[name] ?? '').toLowerCase());
  const azure = [...identity, ...options];
  const requested = problems.get<AuthType>('auto', () => parseAuthType(orDefault(read, Input.authType)));
  const auth: AuthChoice = requested === 'auto'
    ? chooseAuto({ azureInputs: azure, kubeconfigInput: kubeconfig !== undefined }, facts)
    : { type: requested, reason: undefined };
  const fallback: Connection = { kind: 'kubeconfig', kubeconfig };
  const result = (connection: Connection | undefined): { connection: Connection; auth: AuthChoice } => ({ connection: connection ?? fallback, auth });

  if (kubeconfig !== undefined && azure.length > 0 && (requested === 'auto' || requested === 'kubeconfig')) {
    problems.errors.push(new InputError(`Input '${Input.kubeconfig}' cannot be combined with the Azure sign-in inputs ${quoted(azure)}: use a kubeconfig or Azure sign-in, not both.`, { inputs: [Input.kubeconfig, ...azure] }));
    return result(undefined);
  }
  if (auth.type !== 'kubeconfig' && auth.type !== 'in-cluster' && kubeconfig !== undefined) notFor(problems, auth.type, [Input.kubeconfig]);
  switch (auth.type) {
    case 'kubeconfig':
      notFor(problems, auth.type, azure);
      privateClusterNeedsAzure(read, problems, auth.type);
      return result(fallback);
    case 'in-cluster':
      privateClusterNeedsAzure(read, problems, auth.type);
      notFor(problems, auth.type, [...(kubeconfig === undefined ? [] : [Input.kubeconfig]), ...azure]);
      return result(parseInCluster(problems, facts));
    case 'oidc': {
      if (kubeconfig !== undefined) return result(undefined);
      const missing = AZURE_IDENTITY.filter((name) => !identity.includes(name));
      if (missing.length > 0) {
        // In a workload-identity pod the webhook's variables supply the ids: say how to use them.
        const hint = requested === 'auto' && facts.env[RunnerEnv.federatedTokenFile]
          ? ` ${RunnerEnv.federatedTokenFile} is set: for Azure Workload Identity set '${Input.authType}: workload-identity', which takes the ids from the webhook's variables.`
          : '';
        problems.errors.push(new InputError(`Azure sign-in needs all of ${quoted(AZURE_IDENTITY)}; missing ${quoted(missing)} (given: ${quoted(azure)}).${hint}`, { inputs: [...missing] }));
        return result(undefined);
      }
      return result(parseAzure(read, problems, { kind: 'oidc' }, { clientId: given(read, Input.clientId), tenantId: given(read, Input.tenantId) }));
    }
    case 'workload-identity':
      notFor(problems, auth.type, options.filter((name) => name === Input.audience));
      return result(parseWorkloadIdentity(read, problems, facts));
    case 'managed-identity': {
      notFor(problems, auth.type, [...identity.filter((name) => name === Input.tenantId), ...options.filter((name) => name === Input.audience)]);
      const missing = AZURE_CLUSTER.filter((name) => given(read, name) === undefined).map((name) => `input '${name}'`);
      if (!needs(problems, auth.type, missing, '.')) return result(undefined);
      return result(parseAzure(read, problems, { kind: 'managed-identity' }, { clientId: given(read, Input.clientId), tenantId: undefined }));
    }
  }
}


export function connectionSettings(read: InputReader, problems: Problems, facts: RunnerFacts): ConnectionSettings {
  const namespace = problems.get('default', () => parseNamespace(orDefault(read, Input.namespace)));
  return { namespace, ...parseConnection(read, problems, facts) };
}

/**
 * Settings shared by run, discovery and post: namespace and how to reach the cluster.
 * @param facts what the runner offers (environment, files), for `auth-type`
 * @throws InputError listing every bad input
 */
export function parseConnectionSettings(read: InputReader, facts: RunnerFacts = NO_RUNNER_FACTS): ConnectionSettings {
  const problems = new Problems();
  const settings = connectionSettings(read, problems, facts);
  problems.throwIfAny();
  return settings;
}
