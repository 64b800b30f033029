/**
 * The action's small error family (house style §5). Adapters normalise whatever they catch into
 * one of these, with `cause` set, so the entry file prints one message that says what failed, on
 * which object, and what to do next.
 */

const MAX_SHOWN = 80;

/** Error options with `cause` only when there is one (an explicit `cause: undefined` shows up in logs). */
function withCause(cause: unknown): ErrorOptions | undefined {
  return cause === undefined ? undefined : { cause };
}

/** A value as quoted in a message: control characters escaped, long values shortened. */
export function shown(value: string): string {
  // eslint-disable-next-line no-control-regex -- escaping control characters is the point
  const escaped = value.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return escaped.length > MAX_SHOWN ? `${escaped.slice(0, MAX_SHOWN)}…` : escaped;
}

/**
 * A bad input. `inputs` names the inputs involved; `problems` holds each single error when
 * several were collected into one (parse-settings reports every bad input at once).
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly inputs: readonly string[];
  readonly problems: readonly InputError[];

  constructor(message: string, options: { inputs?: readonly string[]; problems?: readonly InputError[]; cause?: unknown } = {}) {
    super(message, withCause(options.cause));
    this.inputs = options.inputs ?? [];
    this.problems = options.problems ?? [this];
  }

  /** `Input 'timeout' must be a duration like '30m', '90s' or '2h'; got 'abc'.` */
  static invalid(input: string, value: string, expected: string, cause?: unknown): InputError {
    return new InputError(`Input '${input}' must be ${expected}; got '${shown(value)}'.`, { inputs: [input], cause });
  }

  /** One error for several: the single error itself, or a list of every problem (flattened). */
  static combine(errors: readonly InputError[]): InputError {
    const problems = errors.flatMap((e) => e.problems);
    const [first] = problems;
    if (problems.length === 1 && first) return first;
    const lines = problems.map((p) => `- ${p.message}`).join('\n');
    const inputs = [...new Set(problems.flatMap((p) => p.inputs))];
    return new InputError(`${problems.length} inputs are invalid:\n${lines}`, { inputs, problems });
  }
}

/** The source Job or CronJob cannot be used as given (not found, no containers...). */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  /** `jobs/<ns>/<name>` or `cronjobs/<ns>/<name>`. */
  readonly object: string;

  constructor(object: string, message: string, options: { cause?: unknown } = {}) {
    super(message, withCause(options.cause));
    this.object = object;
  }
}

/** `jobs/<namespace>/<name>`: how every message names a Job. */
export function jobPath(namespace: string, name: string): string {
  return `jobs/${namespace}/${name}`;
}

/** `cronjobs/<namespace>/<name>`. */
export function cronJobPath(namespace: string, name: string): string {
  return `cronjobs/${namespace}/${name}`;
}

/** What to try next for a Kubernetes API status code (undefined: no response at all). */
function nextStep(statusCode: number | undefined, namespace: string | undefined, server: string | undefined): string {
  const where = namespace === undefined ? 'the namespace' : `namespace '${namespace}'`;
  if (statusCode === undefined) {
    const which = server === undefined ? 'the API server' : `the API server ${server}`;
    return `Check that ${which} is reachable from the runner (network, firewall, authorized IP ranges) and that the kubeconfig points at the right cluster.`;
  }
  if (statusCode === 401) return 'The credentials were refused: check that the kubeconfig or Azure sign-in is for this cluster and has not expired.';
  if (statusCode === 403) return `Grant the action's identity the verbs it needs on Jobs, CronJobs, Pods, pods/log and Events in ${where} (the README lists the minimal Role).`;
  if (statusCode === 404) return `Check the name and that it exists in ${where}.`;
  if (statusCode === 409) return 'The object changed or already exists; run the step again.';
  if (statusCode === 422 || statusCode === 400) return 'The API server rejected the object: fix the field it names in the source.';
  if (statusCode === 429 || statusCode >= 500) return 'The API server is overloaded or unavailable; run the step again later.';
  return 'See the API server\'s message above.';
}

/** A Kubernetes API call failed. The message names the operation, object, status and next step. */
export class KubernetesApiError extends Error {
  override readonly name = 'KubernetesApiError';
  /** HTTP status; undefined when no response arrived (connection refused, reset, DNS...). */
  readonly statusCode: number | undefined;
  /** The Status object's reason, e.g. NotFound, Forbidden, AlreadyExists. */
  readonly reason: string | undefined;
  /** `jobs/<ns>/<name>`, or `jobs/<ns>` for a list. */
  readonly object: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(fields: {
    operation: string;
    object: string;
    statusCode: number | undefined;
    reason: string | undefined;
    detail: string | undefined;
    namespace?: string;
    /** The API server's URL: named when no answer came, since the address itself may be what is wrong. */
    server?: string;
    /** Retry-After of a 429 or 503, in seconds. */
    retryAfterSeconds?: number;
    cause?: unknown;
  }) {
    const status = [fields.statusCode, fields.reason].filter((x) => x !== undefined).join(' ');
    const head = `Could not ${fields.operation} ${fields.object}${status === '' ? '' : ` (${status})`}`;
    const detail = fields.detail === undefined || fields.detail === '' ? '' : `: ${fields.detail.replace(/\.$/, '')}`;
    super(`${head}${detail}. ${nextStep(fields.statusCode, fields.namespace, fields.server)}`, withCause(fields.cause));
    this.statusCode = fields.statusCode;
    this.reason = fields.reason;
    this.object = fields.object;
    this.retryAfterSeconds = fields.retryAfterSeconds;
  }
}

/** Longest Retry-After honoured: a server asking for more is waited for this long, then asked again. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * How long the server asked to wait (Retry-After of a 429 or 503), in ms; 0 when it did not say.
 * API Priority and Fairness answers 429 with Retry-After, and a client that retries sooner only
 * adds to the load it is being throttled for (client-go's rest client waits it out too).
 */
export function retryAfterMs(err: unknown): number {
  const seconds = err instanceof KubernetesApiError ? err.retryAfterSeconds : undefined;
  return seconds === undefined ? 0 : Math.min(MAX_RETRY_AFTER_MS, seconds * 1000);
}

/** Worth retrying with the same request: no answer, throttled, or a server-side failure. */
export function isTransient(err: KubernetesApiError): boolean {
  return err.statusCode === undefined || err.statusCode === 429 || err.statusCode >= 500;
}

/** Signing in failed (federated token, Entra ID, ARM credentials). */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, withCause(options.cause));
  }
}

/** The Job ran and did not succeed (or was cancelled): the step fails with this message. */
export class JobFailedError extends Error {
  override readonly name = 'JobFailedError';
  readonly status: string;
  readonly reason: string | undefined;
  constructor(message: string, fields: { status: string; reason: string | undefined; cause?: unknown }) {
    super(message, withCause(fields.cause));
    this.status = fields.status;
    this.reason = fields.reason;
  }
}

/**
 * Whatever was thrown, as an Error: a thrown string or object must still fail the step
 * (typescript-action's catch only handles Error instances and leaves the step green otherwise).
 */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  let text: string;
  try {
    text = JSON.stringify(thrown) ?? String(thrown);
  } catch {
    text = String(thrown);
  }
  return new Error(`Unexpected error: ${text}`, { cause: thrown });
}
