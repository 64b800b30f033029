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
import { CONCURRENCY_POLICIES } from './concurrency.js';
import { parseDuration } from './duration.js';
import { InputError } from './errors.js';
import { andList, DNS_LABEL, given, orDefault, parseBoolean, Problems, quoted, type InputReader } from './input-reading.js';
import { DEFAULTS, Input, type InputName } from './names.js';
import { parseParams } from './params.js';
import { connectionSettings } from './parse-connection.js';
import { NO_RUNNER_FACTS, type RunnerFacts } from './auth-type.js';
import type { ConcurrencyPolicy, FallbackSpec, RunSettings, SourceRef } from './settings.js';

export type { InputReader } from './input-reading.js';
export { parseConnectionSettings } from './parse-connection.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Job and CronJob names are DNS-1123 subdomains (apimachinery IsDNS1123Subdomain). */
function parseObjectName(input: InputName, value: string): string {
  if (value.length <= 253 && DNS_SUBDOMAIN.test(value)) return value;
  throw InputError.invalid(input, value,
    "a DNS-1123 subdomain (at most 253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit)");
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
