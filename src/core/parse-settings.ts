/**
 * Inputs → one validated, typed settings object (checkout's input-helper.ts, made pure: the
 * platform adapter passes a `read` function, e.g. core.getInput).
 *
 * - '' means "not given": the value falls back to DEFAULTS (mirrored from action.yml), except
 *   `ttl-seconds-after-finished`, whose documented '' is "leave unset" (the runner supplies the
 *   manifest's default when the input is absent, so '' only arrives when a user asks for it).
 * - Every bad input is reported at once: one InputError listing each problem, so a user fixes a
 *   workflow in one round trip instead of one per input.
 */
import { AUTH_TYPES, chooseAuto, NO_RUNNER_FACTS, RunnerEnv, serviceAccountDir, type RunnerFacts } from './auth-type.js';
import { CONCURRENCY_POLICIES } from './concurrency.js';
import { parseDuration } from './duration.js';
import { InputError, shown } from './errors.js';
import { DEFAULTS, Input, type InputName } from './names.js';
import { parseParams } from './params.js';
import type {
  AuthChoice, AuthType, AzureConnection, AzureEnvironmentName, AzureSignIn, ConcurrencyPolicy, Connection, ConnectionSettings, FallbackSpec,
  RunSettings, SourceRef,
} from './settings.js';

/** Reads one input's raw value ('' when not given). */
export type InputReader = (name: InputName) => string;

/** Collects InputErrors; each parse step yields a placeholder so the others still run. */
class Problems {
  readonly errors: InputError[] = [];
  get<T>(placeholder: T, parse: () => T): T {
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      this.errors.push(e);
      return placeholder;
    }
  }
  throwIfAny(): void {
    if (this.errors.length > 0) throw InputError.combine(this.errors);
  }
}

function given(read: InputReader, name: InputName): string | undefined {
  const value = read(name).trim();
  return value === '' ? undefined : value;
}

function orDefault(read: InputReader, name: InputName): string {
  return given(read, name) ?? DEFAULTS[name] ?? '';
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
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

/** Job and CronJob names are DNS-1123 subdomains (apimachinery IsDNS1123Subdomain). */
function parseObjectName(input: InputName, value: string): string {
  if (value.length <= 253 && DNS_SUBDOMAIN.test(value)) return value;
  throw InputError.invalid(input, value,
    "a DNS-1123 subdomain (at most 253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit)");
}

/** Only true/false, any case (as @actions/core's getBooleanInput, without its YAML 1.2 quirks). */
function parseBoolean(input: InputName, value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  throw InputError.invalid(input, value, "'true' or 'false'");
}

function parseInteger(input: InputName, value: string, min: number, what: string): number {
  if (/^\d+$/.test(value) && Number(value) >= min && Number.isSafeInteger(Number(value))) return Number(value);
  throw InputError.invalid(input, value, `${what}, ${min} or more`);
}

/** Container names are DNS-1123 labels (apimachinery IsDNS1123Label). */
function parseContainerName(value: string): string {
  if (value.length <= 63 && DNS_LABEL.test(value)) return value;
  throw InputError.invalid(Input.container, value, "a container name of the source's pod template (a DNS-1123 label, like 'app')");
}

/** A LocalQueue name that is also a valid label value (it goes into kueue.x-k8s.io/queue-name). */
function parseQueueName(value: string): string {
  if (value.length <= 63 && DNS_LABEL.test(value)) return value;
  throw InputError.invalid(Input.queue, value, "a Kueue LocalQueue name in the Job's namespace (a DNS-1123 label, like 'team-a-batch')");
}

function parseImage(input: InputName, value: string): string {
  if (/^\S+$/.test(value)) return value;
  throw InputError.invalid(input, value, "an image reference without spaces, like 'ghcr.io/org/app:1.2'");
}

function parseStringArray(input: InputName, value: string): string[] {
  const expected = `a JSON array of strings like '["sh","-c"]'`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw InputError.invalid(input, value, expected, e);
  }
  if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
  throw InputError.invalid(input, value, expected);
}

/** `a`, `a and b`, `a, b and c`. */
function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** Placeholder source of an `attach` run (run/attach-job.ts reads the real one from the Job). */
const ATTACHED: SourceRef = { kind: 'Job', name: '' };
const SOURCE_INPUTS = [Input.job, Input.cronjob, Input.attach] as const;

/** Exactly one of `job` / `cronjob` / `attach`. */
function parseSource(read: InputReader): { source: SourceRef; attach: string | undefined } {
  const set = SOURCE_INPUTS.filter((name) => given(read, name) !== undefined);
  if (set.length > 1) {
    const got = andList(set.map((name) => `${name} '${given(read, name) ?? ''}'`));
    throw new InputError(`Inputs ${andList(set.map((n) => `'${n}'`))} exclude each other; set exactly one. Got ${got}.`, { inputs: set });
  }
  const job = given(read, Input.job);
  const cronjob = given(read, Input.cronjob);
  const attach = given(read, Input.attach);
  if (job !== undefined) return { source: { kind: 'Job', name: parseObjectName(Input.job, job) }, attach: undefined };
  if (cronjob !== undefined) return { source: { kind: 'CronJob', name: parseObjectName(Input.cronjob, cronjob) }, attach: undefined };
  if (attach !== undefined) return { source: ATTACHED, attach: parseObjectName(Input.attach, attach) };
  throw new InputError(`Set exactly one of inputs '${Input.job}' (a Job to clone), '${Input.cronjob}' (a CronJob to run now) and '${Input.attach}' (a run to follow); got none.`, { inputs: [...SOURCE_INPUTS] });
}

function parseConcurrency(value: string): ConcurrencyPolicy {
  const found = CONCURRENCY_POLICIES.find((p) => p.toLowerCase() === value.toLowerCase());
  if (found) return found;
  throw InputError.invalid(Input.concurrency, value, `one of ${CONCURRENCY_POLICIES.join(', ')}`);
}

/** `attach` follows a Job that exists: inputs that shape or create a new one would be silently ignored. */
function attachConflicts(read: InputReader, problems: Problems): void {
  const shaping = [Input.params, Input.secretParams, Input.image, Input.container, Input.queue, Input.fallbackImage, Input.fallbackCommand, Input.fallbackArgs]
    .filter((name) => given(read, name) !== undefined && orDefault(read, name) !== (DEFAULTS[name] ?? ''));
  const switched = ([[Input.dryRun, 'true'], [Input.wait, 'false']] as const).filter(([name, v]) => orDefault(read, name).toLowerCase() === v);
  const policy = orDefault(read, Input.concurrency).toLowerCase() === (DEFAULTS[Input.concurrency] ?? '').toLowerCase() ? [] : [Input.concurrency];
  const names = [...shaping, ...switched.map(([name]) => name), ...policy];
  if (names.length === 0) return;
  problems.errors.push(new InputError(
    `Input '${Input.attach}' follows a run that already exists, so ${quoted(names)} cannot apply to it; remove ${names.length === 1 ? 'it' : 'them'}.`,
    { inputs: [Input.attach, ...names] },
  ));
}

/** Seed 000's fallback: only for a `job` source, and command/args need an image. */
function parseFallback(read: InputReader, problems: Problems): FallbackSpec | undefined {
  const image = given(read, Input.fallbackImage);
  const command = given(read, Input.fallbackCommand);
  const args = given(read, Input.fallbackArgs);
  const spec: FallbackSpec = {
    image: image === undefined ? '' : problems.get('', () => parseImage(Input.fallbackImage, image)),
    command: command === undefined ? [] : problems.get([], () => parseStringArray(Input.fallbackCommand, command)),
    args: args === undefined ? [] : problems.get([], () => parseStringArray(Input.fallbackArgs, args)),
  };
  if (image !== undefined) {
    if (given(read, Input.cronjob) !== undefined) {
      problems.errors.push(new InputError(`Input '${Input.fallbackImage}' applies to a '${Input.job}' source only (seed 000's fallback when the Job was deleted); remove it when using '${Input.cronjob}'.`, { inputs: [Input.fallbackImage, Input.cronjob] }));
    }
    return spec;
  }
  const orphans = [Input.fallbackCommand, Input.fallbackArgs].filter((name) => given(read, name) !== undefined);
  if (orphans.length > 0) {
    const names = orphans.map((n) => `'${n}'`).join(' and ');
    const one = orphans.length === 1;
    problems.errors.push(new InputError(`Input${one ? '' : 's'} ${names} need${one ? 's' : ''} '${Input.fallbackImage}': set it, or remove ${one ? 'it' : 'them'}.`, { inputs: [...orphans, Input.fallbackImage] }));
  }
  return undefined;
}

const AZURE_IDENTITY = [Input.clientId, Input.tenantId, Input.subscriptionId, Input.resourceGroup, Input.clusterName] as const;
const AZURE_CLUSTER = [Input.subscriptionId, Input.resourceGroup, Input.clusterName] as const;
const AZURE_OPTIONS = [Input.azureEnvironment, Input.admin, Input.audience] as const;
const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

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
  };
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
      return result(fallback);
    case 'in-cluster':
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

function connectionSettings(read: InputReader, problems: Problems, facts: RunnerFacts): ConnectionSettings {
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

/**
 * All settings of a run, validated eagerly.
 * @throws InputError listing every bad input
 */
export function parseRunSettings(read: InputReader, facts: RunnerFacts = NO_RUNNER_FACTS): RunSettings {
  const problems = new Problems();
  const value = (name: InputName): string => orDefault(read, name);
  const optional = <T>(name: InputName, parse: (v: string) => T): T | undefined => {
    const raw = given(read, name);
    return raw === undefined ? undefined : problems.get(undefined, () => parse(raw));
  };
  // Source first: the error users most need to see leads the list.
  const { source, attach } = problems.get({ source: ATTACHED, attach: undefined }, () => parseSource(read));
  if (attach !== undefined) attachConflicts(read, problems);
  const settings: RunSettings = {
    ...connectionSettings(read, problems, facts),
    source,
    params: problems.get([], () => parseParams(value(Input.params))),
    secretParams: problems.get([], () => parseParams(value(Input.secretParams), Input.secretParams)),
    allowNewParams: problems.get(false, () => parseBoolean(Input.allowNewParams, value(Input.allowNewParams))),
    timeoutSeconds: optional(Input.timeout, (v) => parseDuration(Input.timeout, v)),
    image: optional(Input.image, (v) => parseImage(Input.image, v)),
    container: optional(Input.container, parseContainerName),
    queue: optional(Input.queue, parseQueueName),
    ignoreSidecars: problems.get(false, () => parseBoolean(Input.ignoreSidecars, value(Input.ignoreSidecars))),
    wait: problems.get(true, () => parseBoolean(Input.wait, value(Input.wait))),
    followLogs: problems.get(true, () => parseBoolean(Input.followLogs, value(Input.followLogs))),
    dryRun: problems.get(false, () => parseBoolean(Input.dryRun, value(Input.dryRun))),
    fallback: parseFallback(read, problems),
    ttlSecondsAfterFinished: optional(Input.ttlSecondsAfterFinished,
      (v) => parseInteger(Input.ttlSecondsAfterFinished, v, 0, 'a whole number of seconds')),
    imagePullGraceSeconds: problems.get(0, () => parseDuration(Input.imagePullGracePeriod, value(Input.imagePullGracePeriod))),
    maxLogStreams: problems.get(0, () => parseInteger(Input.maxLogStreams, value(Input.maxLogStreams), 1, 'a whole number')),
    concurrency: problems.get<ConcurrencyPolicy>('Allow', () => parseConcurrency(value(Input.concurrency))),
    attach,
  };
  const both = settings.params.filter(([name]) => settings.secretParams.some(([secret]) => secret === name)).map(([name]) => name);
  if (both.length > 0) {
    problems.errors.push(new InputError(`Inputs '${Input.params}' and '${Input.secretParams}' both set ${both.join(', ')}; set each name in one of them.`, { inputs: [Input.params, Input.secretParams] }));
  }
  problems.throwIfAny();
  return settings;
}
