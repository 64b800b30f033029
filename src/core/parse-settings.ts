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
import { parseDuration } from './duration.js';
import { InputError } from './errors.js';
import { DEFAULTS, Input, type InputName } from './names.js';
import { parseParams } from './params.js';
import type {
  AzureConnection, AzureEnvironmentName, Connection, ConnectionSettings, FallbackSpec, RunSettings, SourceRef,
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

/** Exactly one of `job` / `cronjob`. */
function parseSource(read: InputReader): SourceRef {
  const job = given(read, Input.job);
  const cronjob = given(read, Input.cronjob);
  if (job !== undefined && cronjob !== undefined) {
    throw new InputError(`Inputs '${Input.job}' and '${Input.cronjob}' exclude each other; set exactly one. Got job '${job}' and cronjob '${cronjob}'.`, { inputs: [Input.job, Input.cronjob] });
  }
  if (job !== undefined) return { kind: 'Job', name: parseObjectName(Input.job, job) };
  if (cronjob !== undefined) return { kind: 'CronJob', name: parseObjectName(Input.cronjob, cronjob) };
  throw new InputError(`Set exactly one of inputs '${Input.job}' (a Job to clone) and '${Input.cronjob}' (a CronJob to run now); got neither.`, { inputs: [Input.job, Input.cronjob] });
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
const AZURE_OPTIONS = [Input.azureEnvironment, Input.admin, Input.audience] as const;
const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

function checked(input: InputName, value: string, ok: boolean, expected: string): string {
  if (ok) return value;
  throw InputError.invalid(input, value, expected);
}

function parseAzure(read: InputReader, problems: Problems): AzureConnection {
  const value = (name: InputName): string => orDefault(read, name);
  const guid = (name: InputName): string => problems.get('', () =>
    checked(name, value(name), GUID.test(value(name)), "a GUID like '00000000-0000-0000-0000-000000000000'"));
  const tenant = value(Input.tenantId);
  const environment = problems.get<AzureEnvironmentName>('AzureCloud', () => {
    const found = AZURE_ENVIRONMENTS.find((e) => e.toLowerCase() === value(Input.azureEnvironment).toLowerCase());
    if (found) return found;
    throw InputError.invalid(Input.azureEnvironment, value(Input.azureEnvironment), `one of ${AZURE_ENVIRONMENTS.join(', ')}`);
  });
  return {
    kind: 'azure',
    clientId: guid(Input.clientId),
    tenantId: problems.get('', () => checked(Input.tenantId, tenant, GUID.test(tenant) || DOMAIN.test(tenant), "a GUID or a domain like 'contoso.onmicrosoft.com'")),
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

/** Azure sign-in (all five identity inputs) or a kubeconfig (given, or the runner's file). */
function parseConnection(read: InputReader, problems: Problems): Connection {
  const kubeconfig = given(read, Input.kubeconfig);
  const identity = AZURE_IDENTITY.filter((name) => given(read, name) !== undefined);
  const options = AZURE_OPTIONS.filter((name) => orDefault(read, name).toLowerCase() !== (DEFAULTS[name] ?? '').toLowerCase());
  const azure = [...identity, ...options];
  if (kubeconfig !== undefined && azure.length > 0) {
    problems.errors.push(new InputError(`Input '${Input.kubeconfig}' cannot be combined with the Azure sign-in inputs ${quoted(azure)}: use a kubeconfig or Azure sign-in, not both.`, { inputs: [Input.kubeconfig, ...azure] }));
  } else if (azure.length > 0 && identity.length < AZURE_IDENTITY.length) {
    const missing = AZURE_IDENTITY.filter((name) => !identity.includes(name));
    problems.errors.push(new InputError(`Azure sign-in needs all of ${quoted(AZURE_IDENTITY)}; missing ${quoted(missing)} (given: ${quoted(azure)}).`, { inputs: [...missing] }));
  } else if (azure.length > 0) {
    return parseAzure(read, problems);
  }
  return { kind: 'kubeconfig', kubeconfig };
}

function connectionSettings(read: InputReader, problems: Problems): ConnectionSettings {
  return {
    namespace: problems.get('default', () => parseNamespace(orDefault(read, Input.namespace))),
    connection: parseConnection(read, problems),
  };
}

/**
 * Settings shared by run, discovery and post: namespace and how to reach the cluster.
 * @throws InputError listing every bad input
 */
export function parseConnectionSettings(read: InputReader): ConnectionSettings {
  const problems = new Problems();
  const settings = connectionSettings(read, problems);
  problems.throwIfAny();
  return settings;
}

/**
 * All settings of a run, validated eagerly.
 * @throws InputError listing every bad input
 */
export function parseRunSettings(read: InputReader): RunSettings {
  const problems = new Problems();
  const value = (name: InputName): string => orDefault(read, name);
  const optional = <T>(name: InputName, parse: (v: string) => T): T | undefined => {
    const raw = given(read, name);
    return raw === undefined ? undefined : problems.get(undefined, () => parse(raw));
  };
  // Source first: the error users most need to see leads the list.
  const source = problems.get<SourceRef>({ kind: 'Job', name: '' }, () => parseSource(read));
  const settings: RunSettings = {
    ...connectionSettings(read, problems),
    source,
    params: problems.get([], () => parseParams(value(Input.params))),
    allowNewParams: problems.get(false, () => parseBoolean(Input.allowNewParams, value(Input.allowNewParams))),
    timeoutSeconds: optional(Input.timeout, (v) => parseDuration(Input.timeout, v)),
    image: optional(Input.image, (v) => parseImage(Input.image, v)),
    wait: problems.get(true, () => parseBoolean(Input.wait, value(Input.wait))),
    followLogs: problems.get(true, () => parseBoolean(Input.followLogs, value(Input.followLogs))),
    dryRun: problems.get(false, () => parseBoolean(Input.dryRun, value(Input.dryRun))),
    fallback: parseFallback(read, problems),
    ttlSecondsAfterFinished: optional(Input.ttlSecondsAfterFinished,
      (v) => parseInteger(Input.ttlSecondsAfterFinished, v, 0, 'a whole number of seconds')),
    imagePullGraceSeconds: problems.get(0, () => parseDuration(Input.imagePullGracePeriod, value(Input.imagePullGracePeriod))),
    maxLogStreams: problems.get(0, () => parseInteger(Input.maxLogStreams, value(Input.maxLogStreams), 1, 'a whole number')),
  };
  problems.throwIfAny();
  return settings;
}
