export const id = 511;
export const ids = [511];
export const modules = {

/***/ 30511:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  mainStep: () => (/* binding */ mainStep)
});

;// CONCATENATED MODULE: ./src/core/errors.ts
/**
 * The action's small error family (house style §5). Adapters normalise whatever they catch into
 * one of these, with `cause` set, so the entry file prints one message that says what failed, on
 * which object, and what to do next.
 */
const MAX_SHOWN = 80;
/** Error options with `cause` only when there is one (an explicit `cause: undefined` shows up in logs). */
function withCause(cause) {
    return cause === undefined ? undefined : { cause };
}
/** A value as quoted in a message: control characters escaped, long values shortened. */
function shown(value) {
    // eslint-disable-next-line no-control-regex -- escaping control characters is the point
    const escaped = value.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
    return escaped.length > MAX_SHOWN ? `${escaped.slice(0, MAX_SHOWN)}…` : escaped;
}
/**
 * A bad input. `inputs` names the inputs involved; `problems` holds each single error when
 * several were collected into one (parse-settings reports every bad input at once).
 */
class InputError extends Error {
    name = 'InputError';
    inputs;
    problems;
    constructor(message, options = {}) {
        super(message, withCause(options.cause));
        this.inputs = options.inputs ?? [];
        this.problems = options.problems ?? [this];
    }
    /** `Input 'timeout' must be a duration like '30m', '90s' or '2h'; got 'abc'.` */
    static invalid(input, value, expected, cause) {
        return new InputError(`Input '${input}' must be ${expected}; got '${shown(value)}'.`, { inputs: [input], cause });
    }
    /** One error for several: the single error itself, or a list of every problem (flattened). */
    static combine(errors) {
        const problems = errors.flatMap((e) => e.problems);
        const [first] = problems;
        if (problems.length === 1 && first)
            return first;
        const lines = problems.map((p) => `- ${p.message}`).join('\n');
        const inputs = [...new Set(problems.flatMap((p) => p.inputs))];
        return new InputError(`${problems.length} inputs are invalid:\n${lines}`, { inputs, problems });
    }
}
/** The source Job or CronJob cannot be used as given (not found, no containers...). */
class SourceError extends Error {
    name = 'SourceError';
    /** `jobs/<ns>/<name>` or `cronjobs/<ns>/<name>`. */
    object;
    constructor(object, message, options = {}) {
        super(message, withCause(options.cause));
        this.object = object;
    }
}
/** `jobs/<namespace>/<name>`: how every message names a Job. */
function jobPath(namespace, name) {
    return `jobs/${namespace}/${name}`;
}
/** `cronjobs/<namespace>/<name>`. */
function cronJobPath(namespace, name) {
    return `cronjobs/${namespace}/${name}`;
}
/** What to try next for a Kubernetes API status code (undefined: no response at all). */
function nextStep(statusCode, namespace) {
    const where = namespace === undefined ? 'the namespace' : `namespace '${namespace}'`;
    if (statusCode === undefined)
        return 'Check that the API server is reachable from the runner and that the kubeconfig points at the right cluster.';
    if (statusCode === 401)
        return 'The credentials were refused: check that the kubeconfig or Azure sign-in is for this cluster and has not expired.';
    if (statusCode === 403)
        return `Grant the action's identity the verbs it needs on Jobs, CronJobs, Pods, pods/log and Events in ${where} (the README lists the minimal Role).`;
    if (statusCode === 404)
        return `Check the name and that it exists in ${where}.`;
    if (statusCode === 409)
        return 'The object changed or already exists; run the step again.';
    if (statusCode === 422 || statusCode === 400)
        return 'The API server rejected the object: fix the field it names in the source.';
    if (statusCode === 429 || statusCode >= 500)
        return 'The API server is overloaded or unavailable; run the step again later.';
    return 'See the API server\'s message above.';
}
/** A Kubernetes API call failed. The message names the operation, object, status and next step. */
class KubernetesApiError extends Error {
    name = 'KubernetesApiError';
    /** HTTP status; undefined when no response arrived (connection refused, reset, DNS...). */
    statusCode;
    /** The Status object's reason, e.g. NotFound, Forbidden, AlreadyExists. */
    reason;
    /** `jobs/<ns>/<name>`, or `jobs/<ns>` for a list. */
    object;
    retryAfterSeconds;
    constructor(fields) {
        const status = [fields.statusCode, fields.reason].filter((x) => x !== undefined).join(' ');
        const head = `Could not ${fields.operation} ${fields.object}${status === '' ? '' : ` (${status})`}`;
        const detail = fields.detail === undefined || fields.detail === '' ? '' : `: ${fields.detail.replace(/\.$/, '')}`;
        super(`${head}${detail}. ${nextStep(fields.statusCode, fields.namespace)}`, withCause(fields.cause));
        this.statusCode = fields.statusCode;
        this.reason = fields.reason;
        this.object = fields.object;
        this.retryAfterSeconds = fields.retryAfterSeconds;
    }
}
/** Signing in failed (federated token, Entra ID, ARM credentials). */
class AuthError extends Error {
    name = 'AuthError';
    constructor(message, options = {}) {
        super(message, withCause(options.cause));
    }
}
/** The Job ran and did not succeed (or was cancelled): the step fails with this message. */
class JobFailedError extends Error {
    name = 'JobFailedError';
    status;
    reason;
    constructor(message, fields) {
        super(message, withCause(fields.cause));
        this.status = fields.status;
        this.reason = fields.reason;
    }
}
/**
 * Whatever was thrown, as an Error: a thrown string or object must still fail the step
 * (typescript-action's catch only handles Error instances and leaves the step green otherwise).
 */
function toError(thrown) {
    if (thrown instanceof Error)
        return thrown;
    if (typeof thrown === 'string')
        return new Error(thrown);
    let text;
    try {
        text = JSON.stringify(thrown) ?? String(thrown);
    }
    catch {
        text = String(thrown);
    }
    return new Error(`Unexpected error: ${text}`, { cause: thrown });
}

;// CONCATENATED MODULE: ./src/core/duration.ts
/**
 * Durations for `timeout` and `image-pull-grace-period`.
 *
 * Grammar (a subset of Go's time.ParseDuration, which kubectl's `--timeout` uses): one to three
 * `<digits><unit>` parts, units `h`, `m`, `s` (case-insensitive) in that order, each at most once:
 * `90s`, `30m`, `2h`, `1h30m`, `1h0m30s`. Whitespace around the value is ignored.
 *
 * Rejected on purpose:
 * - a bare number (`30`): seconds or minutes? Kubernetes' own fields say seconds, CI tools often
 *   mean minutes; a unit removes the doubt;
 * - fractions (`1.5h`) and sub-second units: activeDeadlineSeconds is whole seconds;
 * - zero: a zero timeout would fail every run;
 * - more than 596h: the wait uses Node timers, which fire at once beyond 2^31-1 ms (~596.5h).
 */

const PART = /(\d+)([hms])/gy;
const UNIT_SECONDS = { h: 3600, m: 60, s: 1 };
const ORDER = 'hms';
/** 596h: the largest whole number of hours a Node timer can wait (2^31-1 ms). */
const MAX_DURATION_SECONDS = 596 * 3600;
const EXPECTED = "a duration like '30m', '90s' or '2h'";
/** Seconds in `text`, or undefined when it does not follow the grammar (no range check). */
function seconds(text) {
    PART.lastIndex = 0;
    let total = 0;
    let lastUnit = -1;
    let end = 0;
    let match;
    while ((match = PART.exec(text)) !== null) {
        const [, digits = '', unit = ''] = match;
        const rank = ORDER.indexOf(unit);
        if (rank <= lastUnit)
            return undefined;
        lastUnit = rank;
        total += Number(digits) * (UNIT_SECONDS[unit] ?? 0);
        end = PART.lastIndex;
    }
    // A failed sticky match resets lastIndex to 0, hence `end`: everything must have been consumed.
    return lastUnit >= 0 && end === text.length ? total : undefined;
}
/**
 * Parses a duration into whole seconds, 1 to MAX_DURATION_SECONDS.
 * @param input the input's name, for the error message
 * @throws InputError naming the input, the value and the grammar
 */
function parseDuration(input, value) {
    const text = value.trim().toLowerCase();
    const total = text === '' ? undefined : seconds(text);
    if (total === undefined)
        throw InputError.invalid(input, value, EXPECTED);
    if (total === 0)
        throw InputError.invalid(input, value, `a duration longer than zero, like '30m'`);
    if (total > MAX_DURATION_SECONDS)
        throw InputError.invalid(input, value, 'a duration of at most 596h');
    return total;
}

;// CONCATENATED MODULE: ./src/core/names.ts
/**
 * One source of truth for the names users type and the runner passes around.
 * Defaults live in action.yml / task.json; `DEFAULTS` mirrors them and a test checks they agree.
 */
const Input = {
    job: 'job',
    cronjob: 'cronjob',
    namespace: 'namespace',
    params: 'params',
    allowNewParams: 'allow-new-params',
    timeout: 'timeout',
    image: 'image',
    wait: 'wait',
    followLogs: 'follow-logs',
    dryRun: 'dry-run',
    fallbackImage: 'fallback-image',
    fallbackCommand: 'fallback-command',
    fallbackArgs: 'fallback-args',
    ttlSecondsAfterFinished: 'ttl-seconds-after-finished',
    imagePullGracePeriod: 'image-pull-grace-period',
    maxLogStreams: 'max-log-streams',
    kubeconfig: 'kubeconfig',
    clientId: 'client-id',
    tenantId: 'tenant-id',
    subscriptionId: 'subscription-id',
    resourceGroup: 'resource-group',
    clusterName: 'cluster-name',
    azureEnvironment: 'azure-environment',
    admin: 'admin',
    audience: 'audience',
};
/** Defaults as declared in action.yml (checked by test/unit/manifest-defaults.test.ts). */
const DEFAULTS = {
    namespace: 'default',
    params: '{}',
    'allow-new-params': 'false',
    wait: 'true',
    'follow-logs': 'true',
    'dry-run': 'false',
    'ttl-seconds-after-finished': '86400',
    'image-pull-grace-period': '2m',
    'max-log-streams': '8',
    'azure-environment': 'AzureCloud',
    admin: 'false',
    audience: 'api://AzureADTokenExchange',
};
const Output = {
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
};
/** Step state carried from main to post (saved right after the create). */
const State = {
    namespace: 'job-namespace',
    name: 'job-name',
    uid: 'job-uid',
    finished: 'job-finished',
};
/** Labels and annotations the action puts on every Job it creates. */
const Label = {
    managedBy: 'app.kubernetes.io/managed-by',
    sourceKind: 'polysync.dev/source-kind',
    sourceName: 'polysync.dev/source-name',
};
const MANAGED_BY = 'polysync-aks-action';
const Annotation = {
    repository: 'polysync.dev/repository',
    runId: 'polysync.dev/run-id',
    runAttempt: 'polysync.dev/run-attempt',
    runUrl: 'polysync.dev/run-url',
    cronjobInstantiate: 'cronjob.kubernetes.io/instantiate',
    /** Random id of one submission: lets a retried create recognise (adopt) its own Job. */
    submissionId: 'polysync.dev/submission-id',
};

;// CONCATENATED MODULE: ./src/core/params.ts
/**
 * The `params` input: a JSON object of env var name → value, overlaid on container[0]'s env.
 *
 * A small JSON reader of our own instead of JSON.parse, for three reasons:
 * - duplicate keys: JSON.parse silently keeps the last one; we report both positions' key;
 * - positions: V8's messages only sometimes carry one; ours always give line and column;
 * - numbers keep their source text (`12345678901234567890` stays exact; JSON.parse would round).
 * It follows RFC 8259's grammar; scalars are decoded with JSON.parse on their exact token.
 */


/**
 * Kubernetes' env var name rule, IsEnvVarName (apimachinery pkg/util/validation/validation.go):
 * accepted by every supported cluster version. (Clusters with RelaxedEnvironmentVariableValidation
 * accept more, but a workflow should not depend on the cluster's version to be valid.)
 */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** Names a POSIX shell can expand ($NAME): anything else gets a warning, not an error. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const params_EXPECTED = `a JSON object like '{"NAME": "value"}'`;
const MAX_DEPTH = 64;
class JsonSyntaxError extends Error {
    what;
    at;
    constructor(what, at) {
        super(what);
        this.what = what;
        this.at = at;
    }
}
// eslint-disable-next-line no-control-regex -- RFC 8259 forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
/** Recursive descent over RFC 8259 JSON; only the top-level object's members are kept. */
class Reader {
    text;
    pos = 0;
    constructor(text) {
        this.text = text;
    }
    skipSpace() {
        while (' \t\n\r'.includes(this.text[this.pos] ?? 'x'))
            this.pos++;
    }
    token(re) {
        re.lastIndex = this.pos;
        const m = re.exec(this.text);
        if (m === null)
            return undefined;
        this.pos = re.lastIndex;
        return m[0];
    }
    expect(char, what) {
        this.skipSpace();
        if (this.text[this.pos] !== char)
            throw new JsonSyntaxError(what, this.pos);
        this.pos++;
    }
    /** The whole document: one value, then only whitespace. */
    document() {
        const members = [];
        const value = this.value(0, members);
        this.skipSpace();
        if (this.pos < this.text.length)
            throw new JsonSyntaxError('unexpected text after the JSON value', this.pos);
        return { kind: value.kind, members };
    }
    value(depth, members) {
        this.skipSpace();
        if (depth > MAX_DEPTH)
            throw new JsonSyntaxError(`nested more than ${MAX_DEPTH} levels deep`, this.pos);
        const c = this.text[this.pos];
        if (c === '{')
            return { kind: 'object', text: this.object(depth, members) };
        if (c === '[')
            return { kind: 'array', text: this.array(depth) };
        const str = this.token(STRING);
        if (str !== undefined)
            return { kind: 'string', text: JSON.parse(str) };
        const num = this.token(NUMBER);
        if (num !== undefined)
            return { kind: 'number', text: num };
        const lit = this.token(LITERAL);
        if (lit !== undefined)
            return { kind: lit === 'null' ? 'null' : 'boolean', text: lit };
        if (c === '"')
            throw new JsonSyntaxError('unterminated string or invalid escape/control character in it', this.pos);
        throw new JsonSyntaxError(c === undefined ? 'expected a value, got the end of the text' : 'expected a value', this.pos);
    }
    object(depth, members) {
        this.pos++;
        this.skipSpace();
        if (this.text[this.pos] === '}')
            return (this.pos++, '');
        for (;;) {
            this.skipSpace();
            const at = this.pos;
            const key = this.token(STRING);
            if (key === undefined)
                throw new JsonSyntaxError('expected a property name in double quotes', at);
            this.expect(':', "expected ':' after the property name");
            const value = this.value(depth + 1, undefined);
            members?.push({ key: JSON.parse(key), at, kind: value.kind, text: value.text });
            this.skipSpace();
            if (this.text[this.pos] === '}')
                return (this.pos++, '');
            this.expect(',', "expected ',' or '}' after a property value");
        }
    }
    array(depth) {
        this.pos++;
        this.skipSpace();
        if (this.text[this.pos] === ']')
            return (this.pos++, '');
        for (;;) {
            this.value(depth + 1, undefined);
            this.skipSpace();
            if (this.text[this.pos] === ']')
                return (this.pos++, '');
            this.expect(',', "expected ',' or ']' after an array element");
        }
    }
}
/** 1-based line and column of an offset. */
function lineColumn(text, at) {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return `line ${line}, column ${column}`;
}
const ARTICLE = {
    string: 'a JSON string', number: 'a JSON number', boolean: 'a JSON boolean',
    null: 'JSON null', object: 'a JSON object', array: 'a JSON array',
};
/** Problems of one member (name rule, value type, NUL), or undefined when it is fine. */
function memberProblem(m) {
    const input = Input.params;
    if (!ENV_VAR_NAME.test(m.key)) {
        return new InputError(`Input '${input}' has an invalid env var name '${shown(m.key)}': a name must start with a letter, '_', '-' or '.' and go on with letters, digits, '_', '-' or '.'.`, { inputs: [input] });
    }
    if (m.kind === 'null' || m.kind === 'object' || m.kind === 'array') {
        return new InputError(`Input '${input}' sets '${m.key}' to ${ARTICLE[m.kind]}; a value must be a string, number or boolean.`, { inputs: [input] });
    }
    if (m.text.includes('\u0000')) {
        return new InputError(`Input '${input}' sets '${m.key}' to a value containing a NUL character, which an environment variable cannot carry.`, { inputs: [input] });
    }
    return undefined;
}
/** Errors for keys given more than once (every repeat, at its position). */
function duplicates(text, members) {
    const seen = new Set();
    const errors = [];
    for (const m of members) {
        if (seen.has(m.key)) {
            errors.push(new InputError(`Input '${Input.params}' sets '${shown(m.key)}' more than once (again at ${lineColumn(text, m.at)}); keep one.`, { inputs: [Input.params] }));
        }
        seen.add(m.key);
    }
    return errors;
}
/**
 * Parses the `params` JSON into ordered [name, value] pairs. Strings are taken as given, numbers
 * keep their JSON text, booleans become `true` / `false`.
 * @throws InputError (every problem at once: syntax, non-object, duplicates, names, values)
 */
function parseParams(text) {
    let doc;
    try {
        doc = new Reader(text).document();
    }
    catch (e) {
        if (!(e instanceof JsonSyntaxError))
            throw e;
        throw new InputError(`Input '${Input.params}' must be ${params_EXPECTED}; got invalid JSON at ${lineColumn(text, e.at)}: ${e.what}.`, { inputs: [Input.params], cause: e });
    }
    if (doc.kind !== 'object') {
        throw new InputError(`Input '${Input.params}' must be ${params_EXPECTED}; got ${ARTICLE[doc.kind]}.`, { inputs: [Input.params] });
    }
    const errors = [...duplicates(text, doc.members), ...doc.members.flatMap((m) => memberProblem(m) ?? [])];
    if (errors.length > 0)
        throw InputError.combine(errors);
    return doc.members.map((m) => [m.key, m.text]);
}
/**
 * Warnings (not errors) for names Kubernetes accepts but a shell cannot expand, e.g. `my.var`:
 * a script in the container would need `printenv my.var` rather than `$my.var`.
 */
function paramWarnings(params) {
    return params
        .filter(([name]) => !SHELL_NAME.test(name))
        .map(([name]) => `Param '${name}' is a valid Kubernetes env var name, but a shell cannot expand it as $${name}; read it with printenv or your language's environment API.`);
}

;// CONCATENATED MODULE: ./src/core/parse-settings.ts
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




/** Collects InputErrors; each parse step yields a placeholder so the others still run. */
class Problems {
    errors = [];
    get(placeholder, parse) {
        try {
            return parse();
        }
        catch (e) {
            if (!(e instanceof InputError))
                throw e;
            this.errors.push(e);
            return placeholder;
        }
    }
    throwIfAny() {
        if (this.errors.length > 0)
            throw InputError.combine(this.errors);
    }
}
function given(read, name) {
    const value = read(name).trim();
    return value === '' ? undefined : value;
}
function orDefault(read, name) {
    return given(read, name) ?? DEFAULTS[name] ?? '';
}
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/i;
/** Azure naming rules (learn.microsoft.com, "Naming rules and restrictions for Azure resources"). */
const RESOURCE_GROUP = /^[-\p{L}\p{N}_.()]{0,89}[-\p{L}\p{N}_()]$/u;
const CLUSTER_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_]{0,61}[A-Za-z0-9])?$/;
const AZURE_ENVIRONMENTS = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'];
/** Namespaces are DNS-1123 labels (apimachinery IsDNS1123Label). */
function parseNamespace(value) {
    if (value.length <= 63 && DNS_LABEL.test(value))
        return value;
    throw InputError.invalid(Input.namespace, value, "a DNS-1123 label (at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit)");
}
/** Job and CronJob names are DNS-1123 subdomains (apimachinery IsDNS1123Subdomain). */
function parseObjectName(input, value) {
    if (value.length <= 253 && DNS_SUBDOMAIN.test(value))
        return value;
    throw InputError.invalid(input, value, "a DNS-1123 subdomain (at most 253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit)");
}
/** Only true/false, any case (as @actions/core's getBooleanInput, without its YAML 1.2 quirks). */
function parseBoolean(input, value) {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false')
        return lower === 'true';
    throw InputError.invalid(input, value, "'true' or 'false'");
}
function parseInteger(input, value, min, what) {
    if (/^\d+$/.test(value) && Number(value) >= min && Number.isSafeInteger(Number(value)))
        return Number(value);
    throw InputError.invalid(input, value, `${what}, ${min} or more`);
}
function parseImage(input, value) {
    if (/^\S+$/.test(value))
        return value;
    throw InputError.invalid(input, value, "an image reference without spaces, like 'ghcr.io/org/app:1.2'");
}
function parseStringArray(input, value) {
    const expected = `a JSON array of strings like '["sh","-c"]'`;
    let parsed;
    try {
        parsed = JSON.parse(value);
    }
    catch (e) {
        throw InputError.invalid(input, value, expected, e);
    }
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string'))
        return parsed;
    throw InputError.invalid(input, value, expected);
}
/** Exactly one of `job` / `cronjob`. */
function parseSource(read) {
    const job = given(read, Input.job);
    const cronjob = given(read, Input.cronjob);
    if (job !== undefined && cronjob !== undefined) {
        throw new InputError(`Inputs '${Input.job}' and '${Input.cronjob}' exclude each other; set exactly one. Got job '${job}' and cronjob '${cronjob}'.`, { inputs: [Input.job, Input.cronjob] });
    }
    if (job !== undefined)
        return { kind: 'Job', name: parseObjectName(Input.job, job) };
    if (cronjob !== undefined)
        return { kind: 'CronJob', name: parseObjectName(Input.cronjob, cronjob) };
    throw new InputError(`Set exactly one of inputs '${Input.job}' (a Job to clone) and '${Input.cronjob}' (a CronJob to run now); got neither.`, { inputs: [Input.job, Input.cronjob] });
}
/** Seed 000's fallback: only for a `job` source, and command/args need an image. */
function parseFallback(read, problems) {
    const image = given(read, Input.fallbackImage);
    const command = given(read, Input.fallbackCommand);
    const args = given(read, Input.fallbackArgs);
    const spec = {
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
const AZURE_IDENTITY = [Input.clientId, Input.tenantId, Input.subscriptionId, Input.resourceGroup, Input.clusterName];
const AZURE_OPTIONS = [Input.azureEnvironment, Input.admin, Input.audience];
const quoted = (names) => names.map((n) => `'${n}'`).join(', ');
function checked(input, value, ok, expected) {
    if (ok)
        return value;
    throw InputError.invalid(input, value, expected);
}
function parseAzure(read, problems) {
    const value = (name) => orDefault(read, name);
    const guid = (name) => problems.get('', () => checked(name, value(name), GUID.test(value(name)), "a GUID like '00000000-0000-0000-0000-000000000000'"));
    const tenant = value(Input.tenantId);
    const environment = problems.get('AzureCloud', () => {
        const found = AZURE_ENVIRONMENTS.find((e) => e.toLowerCase() === value(Input.azureEnvironment).toLowerCase());
        if (found)
            return found;
        throw InputError.invalid(Input.azureEnvironment, value(Input.azureEnvironment), `one of ${AZURE_ENVIRONMENTS.join(', ')}`);
    });
    return {
        kind: 'azure',
        clientId: guid(Input.clientId),
        tenantId: problems.get('', () => checked(Input.tenantId, tenant, GUID.test(tenant) || DOMAIN.test(tenant), "a GUID or a domain like 'contoso.onmicrosoft.com'")),
        subscriptionId: guid(Input.subscriptionId),
        resourceGroup: problems.get('', () => checked(Input.resourceGroup, value(Input.resourceGroup), RESOURCE_GROUP.test(value(Input.resourceGroup)), "a resource group name (1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending with '.')")),
        clusterName: problems.get('', () => checked(Input.clusterName, value(Input.clusterName), CLUSTER_NAME.test(value(Input.clusterName)), "an AKS cluster name (1 to 63 letters, digits, '-' or '_', starting and ending with a letter or digit)")),
        environment,
        admin: problems.get(false, () => parseBoolean(Input.admin, value(Input.admin))),
        audience: value(Input.audience),
    };
}
/** Azure sign-in (all five identity inputs) or a kubeconfig (given, or the runner's file). */
function parseConnection(read, problems) {
    const kubeconfig = given(read, Input.kubeconfig);
    const identity = AZURE_IDENTITY.filter((name) => given(read, name) !== undefined);
    const options = AZURE_OPTIONS.filter((name) => orDefault(read, name).toLowerCase() !== (DEFAULTS[name] ?? '').toLowerCase());
    const azure = [...identity, ...options];
    if (kubeconfig !== undefined && azure.length > 0) {
        problems.errors.push(new InputError(`Input '${Input.kubeconfig}' cannot be combined with the Azure sign-in inputs ${quoted(azure)}: use a kubeconfig or Azure sign-in, not both.`, { inputs: [Input.kubeconfig, ...azure] }));
    }
    else if (azure.length > 0 && identity.length < AZURE_IDENTITY.length) {
        const missing = AZURE_IDENTITY.filter((name) => !identity.includes(name));
        problems.errors.push(new InputError(`Azure sign-in needs all of ${quoted(AZURE_IDENTITY)}; missing ${quoted(missing)} (given: ${quoted(azure)}).`, { inputs: [...missing] }));
    }
    else if (azure.length > 0) {
        return parseAzure(read, problems);
    }
    return { kind: 'kubeconfig', kubeconfig };
}
function connectionSettings(read, problems) {
    return {
        namespace: problems.get('default', () => parseNamespace(orDefault(read, Input.namespace))),
        connection: parseConnection(read, problems),
    };
}
/**
 * Settings shared by run, discovery and post: namespace and how to reach the cluster.
 * @throws InputError listing every bad input
 */
function parseConnectionSettings(read) {
    const problems = new Problems();
    const settings = connectionSettings(read, problems);
    problems.throwIfAny();
    return settings;
}
/**
 * All settings of a run, validated eagerly.
 * @throws InputError listing every bad input
 */
function parseRunSettings(read) {
    const problems = new Problems();
    const value = (name) => orDefault(read, name);
    const optional = (name, parse) => {
        const raw = given(read, name);
        return raw === undefined ? undefined : problems.get(undefined, () => parse(raw));
    };
    // Source first: the error users most need to see leads the list.
    const source = problems.get({ kind: 'Job', name: '' }, () => parseSource(read));
    const settings = {
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
        ttlSecondsAfterFinished: optional(Input.ttlSecondsAfterFinished, (v) => parseInteger(Input.ttlSecondsAfterFinished, v, 0, 'a whole number of seconds')),
        imagePullGraceSeconds: problems.get(0, () => parseDuration(Input.imagePullGracePeriod, value(Input.imagePullGracePeriod))),
        maxLogStreams: problems.get(0, () => parseInteger(Input.maxLogStreams, value(Input.maxLogStreams), 1, 'a whole number')),
    };
    problems.throwIfAny();
    return settings;
}

// EXTERNAL MODULE: ./node_modules/@kubernetes/client-node/dist/index.js + 117 modules
var dist = __webpack_require__(4198);
;// CONCATENATED MODULE: ./src/kubernetes/api-error.ts
/**
 * Normalises what the Kubernetes API answers (ApiException from the generated client, raw
 * responses from streams, network errors from undici) into the core's KubernetesApiError.
 */



function parseStatus(text) {
    try {
        const parsed = JSON.parse(text);
        return typeof parsed === 'object' && parsed !== null ? parsed : {};
    }
    catch {
        return {};
    }
}
function parseRetryAfter(value) {
    if (!value)
        return undefined;
    const n = Number(value);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
}
/** From a raw HTTP answer whose body may be a Kubernetes Status. */
function errorFromResponse(status, bodyText, target, retryAfter, cause) {
    const body = parseStatus(bodyText);
    return new KubernetesApiError({
        ...target,
        statusCode: status,
        reason: body.reason,
        detail: body.message ?? (bodyText.trim() || `HTTP ${status}`),
        retryAfterSeconds: parseRetryAfter(retryAfter),
        cause,
    });
}
/** From anything client-node or undici throws. */
function toApiError(err, target) {
    if (err instanceof KubernetesApiError)
        return err;
    if (err instanceof dist/* ApiException */.UJ4) {
        const e = err;
        const text = typeof e.body === 'string' ? e.body : e.body === undefined ? '' : JSON.stringify(e.body);
        const headers = (e.headers ?? {});
        return errorFromResponse(e.code, text, target, headers['retry-after'], err);
    }
    const cause = err.cause;
    const message = err instanceof Error ? `${err.message}${cause?.code ? ` (${cause.code})` : ''}` : String(err);
    return new KubernetesApiError({ ...target, statusCode: undefined, reason: undefined, detail: message, cause: err });
}
/** Worth retrying with the same request: no answer, throttled, or a server-side failure. */
function isTransient(err) {
    return err.statusCode === undefined || err.statusCode === 429 || err.statusCode >= 500;
}

;// CONCATENATED MODULE: ./src/kubernetes/create-job.ts


const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
async function createWithRetry(job, calls, o) {
    const submission = job.metadata?.annotations?.[Annotation.submissionId];
    const maxAttempts = o.maxAttempts ?? 6;
    for (let attempt = 1;; attempt++) {
        try {
            return await calls.create(job);
        }
        catch (thrown) {
            const err = toApiError(thrown, { operation: 'create', object: o.object });
            if (err.statusCode === 409 && err.reason === 'AlreadyExists' && attempt > 1) {
                const existing = await calls.read(job.metadata?.name ?? '');
                if (existing && submission && existing.metadata?.annotations?.[Annotation.submissionId] === submission) {
                    return existing;
                }
            }
            if (!isTransient(err) || attempt >= maxAttempts || o.signal.aborted)
                throw err;
            const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
            const delay = err.retryAfterSeconds !== undefined ? Math.min(MAX_DELAY_MS, err.retryAfterSeconds * 1000) : backoff;
            o.onRetry?.(err, delay);
            await o.clock.sleep(delay, o.signal);
        }
    }
}

// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(80481);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(46752);
;// CONCATENATED MODULE: ./src/kubernetes/http.ts
/**
 * Raw requests for what the generated client does poorly: long watches (its Watch has a fixed 30 s
 * inactivity timer) and log streams (its Log discards error bodies). Authentication comes from
 * KubeConfig.applySecurityAuthentication, so refreshing Azure tokens apply here as well.
 */





/** Counts every request the adapter sends, for the benchmark's request budget. */
const requestCounter = { count: 0 };
function buildUrl(kc, path, query) {
    const cluster = kc.getCurrentCluster();
    if (!cluster)
        throw new Error('The kubeconfig has no current cluster: set current-context.');
    const url = new URL(cluster.server + path);
    for (const [k, v] of Object.entries(query))
        if (v !== undefined)
            url.searchParams.set(k, String(v));
    return url.toString();
}
/**
 * Opens a streaming GET and yields its body line by line until the server closes it or the signal
 * aborts. Non-200 answers throw KubernetesApiError with the server's Status message.
 */
async function* streamLines(kc, path, query, signal, target) {
    const url = buildUrl(kc, path, query);
    const ctx = new dist/* RequestContext */.bb4(url, dist/* HttpMethod */.ym3.GET);
    await kc.applySecurityAuthentication(ctx);
    requestCounter.count++;
    const response = await (0,undici/* fetch */.hd)(url, {
        method: 'GET',
        headers: ctx.getHeaders(),
        dispatcher: ctx.getDispatcher(),
        signal,
    });
    if (response.status !== 200 || !response.body) {
        const text = await response.text().catch(() => '');
        throw errorFromResponse(response.status, text, target, response.headers.get('retry-after') ?? undefined);
    }
    const body = external_node_stream_.Readable.fromWeb(response.body);
    const onAbort = () => void body.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
        for await (const line of (0,external_node_readline_.createInterface)({ input: body, crlfDelay: Infinity }))
            yield line;
    }
    catch (err) {
        if (!signal.aborted)
            throw err;
    }
    finally {
        signal.removeEventListener('abort', onAbort);
        body.destroy();
    }
}

// EXTERNAL MODULE: ./node_modules/@kubernetes/client-node/dist/gen/models/ObjectSerializer.js
var ObjectSerializer = __webpack_require__(86876);
;// CONCATENATED MODULE: ./src/kubernetes/list-watch.ts



const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
/** Yields a 'listed' snapshot after every (re-)list, then each change, until the signal aborts. */
async function* listWatch(o, signal) {
    let failures = 0;
    while (!signal.aborted) {
        try {
            const listed = await o.list();
            yield { type: 'listed', items: listed.items };
            failures = 0;
            yield* watchFrom(o, listed.resourceVersion, signal);
            // Stream ended normally (server timeout) or with 410: re-list for ground truth.
        }
        catch (err) {
            if (signal.aborted)
                return;
            const apiErr = toApiError(err, o.target);
            if (!isTransient(apiErr) && apiErr.statusCode !== 410)
                throw apiErr;
            const delay = RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)] ?? 8000;
            if (++failures > 20)
                throw apiErr;
            await o.clock.sleep(delay, signal).catch(() => undefined);
        }
    }
}
async function* watchFrom(o, resourceVersion, signal) {
    const seconds = o.watchSeconds ?? 300 + Math.floor(Math.random() * 300);
    // A client-side deadline a little past the server's, in case the connection silently dies.
    const deadline = AbortSignal.any([signal, AbortSignal.timeout((seconds + 30) * 1000)]);
    const query = { ...o.query, watch: true, resourceVersion, allowWatchBookmarks: true, timeoutSeconds: seconds };
    try {
        for await (const line of streamLines(o.kc, o.path, query, deadline, o.target)) {
            const event = parseLine(line);
            if (!event?.type || !event.object)
                continue;
            if (event.type === 'BOOKMARK')
                continue;
            if (event.type === 'ERROR') {
                if (event.object.code === 410)
                    return; // Expired: caller re-lists.
                throw errorFromResponse(event.object.code ?? 500, JSON.stringify(event.object), o.target);
            }
            const object = ObjectSerializer/* ObjectSerializer */.CLi.deserialize(event.object, o.model, '');
            yield { type: event.type === 'DELETED' ? 'deleted' : 'changed', object };
        }
    }
    catch (err) {
        if (signal.aborted)
            return;
        if (deadline.aborted)
            return; // our own deadline: re-list
        throw err;
    }
}
function parseLine(line) {
    try {
        return JSON.parse(line);
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/kubernetes/job-cluster.ts
/** JobCluster over @kubernetes/client-node: generated APIs for reads and writes, raw streams for watches and logs. */





/** Server-side apply would also work; a plain create with a manager name keeps managedFields readable. */
const FIELD_MANAGER = 'polysync-aks-action';
class KubeJobCluster {
    kc;
    clock;
    log;
    batch;
    core;
    constructor(kc, clock, log = { debug() { }, info() { } }) {
        this.kc = kc;
        this.clock = clock;
        this.log = log;
        this.batch = kc.makeApiClient(dist/* BatchV1Api */.Q8C);
        this.core = kc.makeApiClient(dist/* CoreV1Api */.f5Y);
    }
    async call(target, fn) {
        requestCounter.count++;
        try {
            return await fn();
        }
        catch (err) {
            throw toApiError(err, target);
        }
    }
    async orUndefined(target, fn) {
        try {
            return await this.call(target, fn);
        }
        catch (err) {
            if (err instanceof KubernetesApiError && err.statusCode === 404)
                return undefined;
            throw err;
        }
    }
    readJob(namespace, name) {
        return this.orUndefined({ operation: 'read', object: `jobs/${namespace}/${name}`, namespace }, () => this.batch.readNamespacedJob({ namespace, name }));
    }
    readCronJob(namespace, name) {
        return this.orUndefined({ operation: 'read', object: `cronjobs/${namespace}/${name}`, namespace }, () => this.batch.readNamespacedCronJob({ namespace, name }));
    }
    createJob(namespace, job, options) {
        const name = job.metadata?.name ?? '';
        const objectPath = `jobs/${namespace}/${name}`;
        const dryRun = options.dryRun ? 'All' : undefined;
        return createWithRetry(job, {
            create: (body) => this.call({ operation: 'create', object: objectPath, namespace }, () => this.batch.createNamespacedJob({ namespace, body, dryRun, fieldManager: FIELD_MANAGER })),
            read: (n) => this.readJob(namespace, n),
        }, {
            object: objectPath,
            clock: this.clock,
            signal: options.signal,
            onRetry: (err, delayMs) => this.log.info(`Create of ${objectPath} failed (${err.message}); retrying in ${delayMs} ms.`),
        });
    }
    async deleteJob(namespace, name, uid) {
        const objectPath = `jobs/${namespace}/${name}`;
        try {
            await this.call({ operation: 'delete', object: objectPath, namespace }, () => this.batch.deleteNamespacedJob({
                namespace,
                name,
                // Background: the garbage collector removes the pods; batch/v1 would orphan them by default.
                propagationPolicy: 'Background',
                body: { propagationPolicy: 'Background', preconditions: uid ? { uid } : undefined },
            }));
            return 'deleted';
        }
        catch (err) {
            // 409 with a uid precondition: a different Job now has this name; it is not ours to delete.
            if (err instanceof KubernetesApiError && (err.statusCode === 404 || err.statusCode === 409))
                return 'not-found';
            throw err;
        }
    }
    async *watchJob(namespace, name, signal) {
        const fieldSelector = `metadata.name=${name}`;
        const objectPath = `jobs/${namespace}/${name}`;
        const events = listWatch({
            kc: this.kc,
            clock: this.clock,
            target: { operation: 'watch', object: objectPath, namespace },
            model: 'V1Job',
            path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
            query: { fieldSelector },
            list: async () => {
                const list = await this.call({ operation: 'list', object: objectPath, namespace }, () => this.batch.listNamespacedJob({ namespace, fieldSelector }));
                return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
            },
        }, signal);
        for await (const e of events) {
            if (e.type === 'listed') {
                const [job] = e.items;
                yield job ? { type: 'changed', job } : { type: 'deleted' };
            }
            else if (e.type === 'deleted')
                yield { type: 'deleted', job: e.object };
            else
                yield { type: 'changed', job: e.object };
        }
    }
    async *watchPods(namespace, jobUid, signal) {
        const labelSelector = `batch.kubernetes.io/controller-uid=${jobUid}`;
        const objectPath = `pods/${namespace} (${labelSelector})`;
        const events = listWatch({
            kc: this.kc,
            clock: this.clock,
            target: { operation: 'watch', object: objectPath, namespace },
            model: 'V1Pod',
            path: `/api/v1/namespaces/${namespace}/pods`,
            query: { labelSelector },
            list: async () => {
                const list = await this.call({ operation: 'list', object: objectPath, namespace }, () => this.core.listNamespacedPod({ namespace, labelSelector }));
                return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
            },
        }, signal);
        for await (const e of events) {
            if (e.type === 'listed')
                for (const pod of e.items)
                    yield { type: 'changed', pod };
            else
                yield { type: e.type, pod: e.object };
        }
    }
    async followLog(namespace, pod, container, onLine, signal) {
        const path = `/api/v1/namespaces/${namespace}/pods/${pod}/log`;
        for await (const line of streamLines(this.kc, path, { container, follow: true }, signal, {
            operation: 'follow the log of',
            object: `pods/${namespace}/${pod}/log`,
            namespace,
        })) {
            onLine(line);
        }
    }
    async podEvents(namespace, pod) {
        const fieldSelector = `involvedObject.kind=Pod,involvedObject.name=${pod}`;
        const list = await this.call({ operation: 'list', object: `events/${namespace}`, namespace }, () => this.core.listNamespacedEvent({ namespace, fieldSelector }));
        return list.items;
    }
    async listJobs(namespace, continueToken, limit) {
        const list = await this.call({ operation: 'list', object: `jobs/${namespace}`, namespace }, () => this.batch.listNamespacedJob({ namespace, limit, _continue: continueToken }));
        return { items: list.items, continueToken: list.metadata?._continue || undefined };
    }
    async listCronJobs(namespace, continueToken, limit) {
        const list = await this.call({ operation: 'list', object: `cronjobs/${namespace}`, namespace }, () => this.batch.listNamespacedCronJob({ namespace, limit, _continue: continueToken }));
        return { items: list.items, continueToken: list.metadata?._continue || undefined };
    }
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var yaml_dist = __webpack_require__(38815);
;// CONCATENATED MODULE: ./src/core/outputs.ts

function iso(value) {
    if (value === undefined)
        return '';
    return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
function millis(value) {
    if (value === undefined)
        return undefined;
    return (value instanceof Date ? value : new Date(value)).getTime();
}
/** When the Job finished: completionTime for Complete, else the deciding condition's transition time. */
function finishTime(job) {
    if (job.status?.completionTime)
        return job.status.completionTime;
    const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Failed' || x.type === 'Suspended') && x.status === 'True');
    return c?.lastTransitionTime;
}
function durationSeconds(job) {
    const start = millis(job.status?.startTime);
    const end = millis(finishTime(job));
    return start === undefined || end === undefined ? undefined : Math.max(0, Math.round((end - start) / 1000));
}
function terminatedOf(pod) {
    return (pod.status?.containerStatuses ?? []).map((status, index) => ({ status, index })).filter((x) => x.status.state?.terminated);
}
/** Exit code of the most recently finished container that failed. */
function lastFailedExitCode(pods) {
    let best;
    for (const pod of pods) {
        for (const { status } of terminatedOf(pod)) {
            const t = status.state?.terminated;
            if (!t || t.exitCode === 0)
                continue;
            const at = millis(t.finishedAt) ?? 0;
            if (!best || at >= best.at)
                best = { at, code: t.exitCode };
        }
    }
    return best?.code;
}
/** Container[0]'s termination message of the most recently succeeded pod: the run's result. */
function lastResult(job, pods) {
    const first = job.spec?.template.spec?.containers[0]?.name;
    let best;
    for (const pod of pods) {
        if (pod.status?.phase !== 'Succeeded')
            continue;
        const status = (pod.status.containerStatuses ?? []).find((s) => s.name === first);
        const t = status?.state?.terminated;
        if (!t)
            continue;
        const at = millis(t.finishedAt) ?? 0;
        if (!best || at >= best.at)
            best = { at, message: t.message ?? '' };
    }
    return best?.message;
}
/** Every output, as strings (empty when unknown), in declaration order. */
function runOutputs(f) {
    const s = f.job.status ?? {};
    const duration = durationSeconds(f.job);
    const exitCode = lastFailedExitCode(f.pods);
    return [
        [Output.runId, f.job.metadata?.name ?? ''],
        [Output.status, f.status],
        [Output.reason, f.reason ?? ''],
        [Output.succeeded, String(s.succeeded ?? 0)],
        [Output.failed, String(s.failed ?? 0)],
        [Output.startTime, iso(s.startTime)],
        [Output.completionTime, iso(finishTime(f.job))],
        [Output.durationSeconds, duration === undefined ? '' : String(duration)],
        [Output.exitCode, exitCode === undefined ? '' : String(exitCode)],
        [Output.result, lastResult(f.job, f.pods) ?? ''],
        [Output.monitorUrl, f.monitorUrl ?? ''],
    ];
}

;// CONCATENATED MODULE: ./src/core/status.ts
const TERMINAL_STATUSES = new Set(['Success', 'Failed', 'Cancelled']);
function conditionTrue(job, type) {
    return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}
/**
 * | condition / state                           | status    |
 * | Complete=True                               | Success   |
 * | Failed=True                                 | Failed    |
 * | Suspended=True                              | Cancelled |
 * | active > 0 or startTime set                 | Running   |
 * | no conditions and no startTime              | Starting  |
 * | otherwise (e.g. only FailureTarget=True)    | Unknown   |
 */
function decodeStatus(job) {
    if (conditionTrue(job, 'Complete'))
        return 'Success';
    if (conditionTrue(job, 'Failed'))
        return 'Failed';
    if (conditionTrue(job, 'Suspended'))
        return 'Cancelled';
    const status = job.status ?? {};
    if ((status.active ?? 0) > 0 || status.startTime !== undefined)
        return 'Running';
    if ((status.conditions ?? []).length === 0)
        return 'Starting';
    return 'Unknown';
}
/** Reason of the condition that decided the status (e.g. BackoffLimitExceeded), if any. */
function terminalReason(job) {
    for (const type of ['Complete', 'Failed', 'Suspended']) {
        const c = (job.status?.conditions ?? []).find((x) => x.type === type && x.status === 'True');
        if (c)
            return c.reason ?? undefined;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/core/summary.ts


/** Log lines in the summary's collapsed block and in the failure message. */
const SUMMARY_LOG_LINES = 50;
const MESSAGE_LOG_LINES = 20;
const ICON = {
    Success: '✅', Failed: '❌', Cancelled: '🚫', Running: '⏳', Starting: '⏳', Unknown: '❔',
};
/** What a terminal reason means, for the failure message (Job conditions' documented reasons). */
const REASON_HINT = {
    BackoffLimitExceeded: 'its pods failed more often than spec.backoffLimit allows',
    DeadlineExceeded: 'it ran longer than spec.activeDeadlineSeconds (the source\'s, or the \'timeout\' input\'s)',
    PodFailurePolicy: 'a pod failure matched a FailJob rule of spec.podFailurePolicy',
    MaxFailedIndexesExceeded: 'more indexes failed than spec.maxFailedIndexes allows',
    FailedIndexes: 'some indexes failed (spec.backoffLimitPerIndex)',
};
/** `0s`, `45s`, `1m 5s`, `2h`, `1h 0m 3s`: largest unit first, no trailing zero units. */
function formatDuration(seconds) {
    const total = Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : 0;
    const parts = [[Math.floor(total / 3600), 'h'], [Math.floor((total % 3600) / 60), 'm'], [total % 60, 's']];
    const first = parts.findIndex(([n]) => n > 0);
    if (first === -1)
        return '0s';
    let last = parts.length - 1;
    while (last > first && parts[last]?.[0] === 0)
        last--;
    return parts.slice(first, last + 1).map(([n, unit]) => `${n}${unit}`).join(' ');
}
/**
 * One progress line from a Job's status: `Pods: active 2, succeeded 3 of 10, failed 0`, plus the
 * completed (and failed) indexes of an Indexed Job, e.g. `; completed indexes 0-2,5`.
 */
function progressLine(job) {
    const s = job.status ?? {};
    const completions = job.spec?.completions;
    const of = completions != null && completions > 1 ? ` of ${completions}` : '';
    let line = `Pods: active ${s.active ?? 0}, succeeded ${s.succeeded ?? 0}${of}, failed ${s.failed ?? 0}`;
    if (job.spec?.completionMode === 'Indexed') {
        line += `; completed indexes ${s.completedIndexes || 'none'}`;
        if (s.failedIndexes)
            line += `; failed indexes ${s.failedIndexes}`;
    }
    return line;
}
/** A markdown table cell: pipes escaped, newlines flattened. */
function cell(text) {
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
/** A fenced code block no line can close early (fence longer than any backtick run inside). */
function fenced(lines) {
    const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    return `${fence}text\n${lines.join('\n')}\n${fence}`;
}
function rows(f) {
    const name = f.job.metadata?.name ?? '';
    const duration = durationSeconds(f.job);
    const exitCode = lastFailedExitCode(f.pods);
    const s = f.job.status ?? {};
    const link = f.monitorUrl !== undefined ? `[Azure portal](${f.monitorUrl})` : f.runUrl !== undefined ? `[Workflow run](${f.runUrl})` : undefined;
    const all = [
        ['Job', `\`${name}\``],
        ['Namespace', `\`${f.settings.namespace}\``],
        ['Source', `${f.settings.source.kind} \`${f.settings.source.name}\``],
        ['Status', `${ICON[f.status]} ${f.status}`],
        ['Reason', f.reason],
        ['Duration', duration === undefined ? undefined : formatDuration(duration)],
        ['Pods', `${s.succeeded ?? 0} succeeded, ${s.failed ?? 0} failed`],
        ['Exit code', exitCode === undefined ? undefined : String(exitCode)],
        ['Link', link],
    ];
    return all.filter((r) => r[1] !== undefined && r[1] !== '');
}
/** The job summary: a table of the run's facts and the last log lines in a collapsed block. */
function renderSummary(f) {
    const name = f.job.metadata?.name ?? '';
    const table = ['| | |', '|---|---|', ...rows(f).map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n');
    const lines = f.lastLines.slice(-SUMMARY_LOG_LINES);
    const logs = lines.length === 0
        ? ''
        : `\n\n<details><summary>Last ${lines.length} log line${lines.length === 1 ? '' : 's'}</summary>\n\n${fenced(lines)}\n\n</details>`;
    return `### ${ICON[f.status]} Job ${name}: ${f.status}\n\n${table}${logs}\n`;
}
/**
 * The step's failure message: the Job, its status and reason (explained), the exit code, why the
 * action gave up (`why`, e.g. timeout) and the last log lines.
 */
function failureMessage(f) {
    const path = jobPath(f.settings.namespace, f.job.metadata?.name ?? '');
    const hint = f.reason === undefined ? undefined : REASON_HINT[f.reason];
    const reason = f.reason === undefined ? '' : ` (${f.reason}${hint === undefined ? '' : `: ${hint}`})`;
    const exitCode = lastFailedExitCode(f.pods);
    const parts = [`Job ${path} ended ${f.status}${reason}.`];
    if (exitCode !== undefined)
        parts.push(`Last failed container exited with code ${exitCode}.`);
    if (f.why !== undefined && f.why !== '')
        parts.push(f.why);
    const lines = f.lastLines.slice(-MESSAGE_LOG_LINES);
    const logs = lines.length === 0
        ? 'No log lines were captured; see the pods\' events with kubectl describe pod.'
        : `Last ${lines.length} log line${lines.length === 1 ? '' : 's'}:\n${lines.map((l) => `  ${l}`).join('\n')}`;
    return `${parts.join(' ')}\n${logs}`;
}

;// CONCATENATED MODULE: ./src/run/log-streams.ts
const KEEP_LAST_LINES = 20;
class LogStreams {
    cluster;
    reporter;
    namespace;
    max;
    manyPods;
    signal;
    started = new Set();
    queue = [];
    running = new Set();
    lastLines = [];
    podsSeen = new Set();
    constructor(cluster, reporter, namespace, max, 
    /** Prefix lines with the pod name from the start when the Job runs several pods at once. */
    manyPods, signal) {
        this.cluster = cluster;
        this.reporter = reporter;
        this.namespace = namespace;
        this.max = max;
        this.manyPods = manyPods;
        this.signal = signal;
    }
    /** Starts streams for containers of this pod that have started and are not streamed yet. */
    onPod(pod) {
        const name = pod.metadata?.name;
        if (!name)
            return;
        this.podsSeen.add(name);
        for (const status of pod.status?.containerStatuses ?? []) {
            const startedOrDone = status.state?.running !== undefined || status.state?.terminated !== undefined;
            const key = `${name}/${status.name}`;
            if (!startedOrDone || this.started.has(key))
                continue;
            this.started.add(key);
            this.queue.push({ pod: name, container: status.name });
        }
        this.pump();
    }
    /** The last lines printed, newest last. */
    tail() {
        return this.lastLines;
    }
    /** Waits for open streams to end (their containers exited), at most `ms`. */
    async drain(ms) {
        const deadline = new Promise((resolve) => setTimeout(resolve, ms).unref());
        while (this.running.size > 0 || this.queue.length > 0) {
            const all = Promise.all([...this.running]).then(() => undefined);
            const timedOut = await Promise.race([all.then(() => false), deadline.then(() => true)]);
            if (timedOut)
                return;
        }
    }
    pump() {
        while (this.running.size < this.max && this.queue.length > 0) {
            const next = this.queue.shift();
            if (!next)
                return;
            const p = this.stream(next.pod, next.container).finally(() => {
                this.running.delete(p);
                this.pump();
            });
            this.running.add(p);
        }
    }
    async stream(pod, container) {
        const print = (line) => {
            const prefixed = this.manyPods || this.podsSeen.size > 1 ? `[${pod}] ${line}` : line;
            this.reporter.info(prefixed);
            this.lastLines.push(prefixed);
            if (this.lastLines.length > KEEP_LAST_LINES)
                this.lastLines.shift();
        };
        try {
            await this.cluster.followLog(this.namespace, pod, container, print, this.signal);
        }
        catch (err) {
            if (this.signal.aborted)
                return;
            // The container may not accept log requests yet; allow a retry on the next pod change.
            this.started.delete(`${pod}/${container}`);
            this.reporter.debug(`Log stream of ${pod}/${container} ended: ${err.message}`);
        }
    }
}

;// CONCATENATED MODULE: ./src/run/pod-diagnostics.ts
const STUCK_REASONS = new Set([
    'ErrImagePull',
    'ImagePullBackOff',
    'CreateContainerConfigError',
    'InvalidImageName',
]);
class PodDiagnostics {
    cluster;
    reporter;
    clock;
    namespace;
    graceMs;
    stuckSince = new Map();
    warned = new Set();
    constructor(cluster, reporter, clock, namespace, graceMs) {
        this.cluster = cluster;
        this.reporter = reporter;
        this.clock = clock;
        this.namespace = namespace;
        this.graceMs = graceMs;
    }
    /** Reports problems once per pod and reason; returns the first container stuck past the grace period. */
    async onPod(pod) {
        const name = pod.metadata?.name ?? '';
        if (pod.metadata?.deletionTimestamp)
            return undefined;
        const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
        if (scheduled?.status === 'False' && !this.warned.has(`${name}/unschedulable`)) {
            this.warned.add(`${name}/unschedulable`);
            await this.reportScheduling(name, scheduled.message);
        }
        for (const status of pod.status?.containerStatuses ?? []) {
            const waiting = status.state?.waiting;
            const key = `${name}/${status.name}`;
            if (!waiting?.reason || !STUCK_REASONS.has(waiting.reason)) {
                this.stuckSince.delete(key);
                continue;
            }
            const since = this.stuckSince.get(key) ?? this.clock.now();
            this.stuckSince.set(key, since);
            if (!this.warned.has(`${key}/${waiting.reason}`)) {
                this.warned.add(`${key}/${waiting.reason}`);
                this.reporter.warning(`Container ${status.name} of pod ${name} is waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}. ` +
                    `The Job is deleted if this lasts ${Math.round(this.graceMs / 1000)} s (input image-pull-grace-period).`, 'Container cannot start');
            }
            if (this.clock.now() - since >= this.graceMs) {
                return { pod: name, container: status.name, reason: waiting.reason, message: waiting.message ?? '' };
            }
        }
        return undefined;
    }
    /** Milliseconds until the earliest stuck container reaches the grace period, if any is stuck. */
    nextDeadlineIn() {
        if (this.stuckSince.size === 0)
            return undefined;
        const earliest = Math.min(...this.stuckSince.values());
        return Math.max(0, earliest + this.graceMs - this.clock.now());
    }
    async reportScheduling(pod, conditionMessage) {
        const events = await this.cluster.podEvents(this.namespace, pod).catch(() => []);
        const failed = events.filter((e) => e.reason === 'FailedScheduling').map((e) => e.message ?? '');
        const detail = failed.at(-1) ?? conditionMessage ?? 'no scheduling event yet';
        this.reporter.warning(`Pod ${pod} is Pending: ${detail}. Check the node pool's capacity, node selectors, tolerations and the resource requests.`, 'Pod cannot be scheduled');
    }
}

;// CONCATENATED MODULE: ./src/run/follow-job.ts




const LOG_DRAIN_MS = 5000;
const STUCK_CHECK_MS = 5000;
async function followJob(deps, o, signal) {
    const stop = new AbortController();
    const inner = AbortSignal.any([signal, stop.signal]);
    const name = o.job.metadata?.name ?? '';
    const uid = o.job.metadata?.uid ?? '';
    const manyPods = (o.job.spec?.parallelism ?? 1) > 1;
    const logs = new LogStreams(deps.cluster, deps.reporter, o.namespace, o.maxLogStreams, manyPods, inner);
    const diagnostics = new PodDiagnostics(deps.cluster, deps.reporter, deps.clock, o.namespace, o.imagePullGraceMs);
    const pods = new Map();
    let job = o.job;
    let status = decodeStatus(job);
    const jobLoop = async () => {
        let lastProgress = '';
        for await (const e of deps.cluster.watchJob(o.namespace, name, inner)) {
            if (e.job && e.job.metadata?.uid !== uid)
                return 'deleted'; // same name, different Job
            if (e.type === 'deleted') {
                // A CronJob's history limit or a TTL of 0 deletes the Job right after it finishes:
                // the DELETED event's last state still tells how it ended.
                if (e.job && TERMINAL_STATUSES.has(decodeStatus(e.job))) {
                    job = e.job;
                    status = decodeStatus(job);
                    return 'terminal';
                }
                return 'deleted';
            }
            job = e.job;
            const next = decodeStatus(job);
            if (next !== status)
                deps.reporter.info(`Status: ${status} → ${next}`);
            status = next;
            const progress = progressLine(job);
            if (progress !== lastProgress)
                deps.reporter.info(progress);
            lastProgress = progress;
            if (TERMINAL_STATUSES.has(status))
                return 'terminal';
        }
        return 'aborted';
    };
    let stuck;
    const checkPod = async (pod) => {
        stuck = await diagnostics.onPod(pod);
        return stuck !== undefined;
    };
    const podLoop = async () => {
        for await (const e of deps.cluster.watchPods(o.namespace, uid, inner)) {
            const podName = e.pod.metadata?.name ?? '';
            if (e.type === 'deleted') {
                pods.set(podName, e.pod);
                continue;
            }
            pods.set(podName, e.pod);
            if (o.followLogs)
                logs.onPod(e.pod);
            if (await checkPod(e.pod))
                return 'stuck';
        }
        return new Promise(() => undefined); // only the job loop decides after an abort
    };
    // Backoff states may produce no further pod events: re-check stuck containers on a timer.
    const stuckTimer = async () => {
        while (!inner.aborted) {
            await deps.clock.sleep(Math.min(diagnostics.nextDeadlineIn() ?? STUCK_CHECK_MS, STUCK_CHECK_MS), inner).catch(() => undefined);
            for (const pod of pods.values())
                if (!inner.aborted && (await checkPod(pod)))
                    return 'stuck';
        }
        return new Promise(() => undefined);
    };
    const aborted = new Promise((resolve) => {
        if (signal.aborted)
            resolve('aborted');
        signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    let end;
    try {
        const loops = [jobLoop(), podLoop(), stuckTimer()];
        // Losers of the race keep running until `stop` aborts them; their late errors are moot.
        for (const loop of loops)
            loop.catch(() => undefined);
        end = await Promise.race([...loops, aborted]);
        if (end === 'terminal') {
            await settlePods(pods, deps.clock, inner);
            if (o.followLogs)
                await logs.drain(LOG_DRAIN_MS);
        }
    }
    finally {
        stop.abort();
    }
    return { end, job, status, stuck, pods, lastLines: logs.tail() };
}
/** The Job's condition can arrive a moment before the last pod's final status: wait briefly. */
async function settlePods(pods, clock, signal) {
    for (let i = 0; i < 20; i++) {
        const open = [...pods.values()].some((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
        if (!open)
            return;
        await clock.sleep(50, signal).catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/core/naming.ts
/**
 * Kubernetes' generateName alphabet (apimachinery pkg/util/rand/rand.go): no vowels, so no words,
 * and no 0/1/3 that read like letters.
 */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** As generateName's: 27^5 ≈ 14 million names per source, enough for runs that overlap. */
const SUFFIX_LENGTH = 5;
/** DNS-1123 label limit; the Job name is also copied into the pods' `job-name` label value (≤ 63). */
const MAX_NAME_LENGTH = 63;
/**
 * The longest name a Job with this spec may have. Indexed Jobs name their pods' hostnames
 * `<job-name>-<index>`, and the API server rejects the Job unless `<name>-<completions-1>` is a
 * DNS label (pkg/apis/batch/validation/validation.go, ValidateJob).
 */
function maxRunNameLength(spec) {
    if (spec?.completionMode !== 'Indexed' || spec.completions == null || spec.completions < 1)
        return MAX_NAME_LENGTH;
    return MAX_NAME_LENGTH - 1 - String(spec.completions - 1).length;
}
function suffix(random) {
    let out = '';
    for (let i = 0; i < SUFFIX_LENGTH; i++) {
        const index = Math.min(Math.floor(random() * SUFFIX_ALPHABET.length), SUFFIX_ALPHABET.length - 1);
        out += SUFFIX_ALPHABET[index];
    }
    return out;
}
/**
 * `<source>-<5 random chars>`, a valid DNS-1123 label of at most `maxLength` (default 63)
 * characters whatever the source name: lower-cased, dots (allowed in the source's DNS subdomain
 * name, not in a label) and other characters replaced by '-', the base truncated and stripped of
 * trailing '-' (a label must end alphanumeric, and `foo--x2b4c` from a cut reads like a typo).
 * Unlike generateName, the name is known before the create, so a retried create reuses it.
 */
function runJobName(sourceName, random, maxLength = MAX_NAME_LENGTH) {
    const room = Math.max(maxLength, SUFFIX_LENGTH + 2) - SUFFIX_LENGTH - 1;
    const cleaned = sourceName
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .replace(/^-+/, '');
    const base = cleaned.slice(0, room).replace(/-+$/, '');
    return `${base === '' ? 'job' : base}-${suffix(random)}`;
}
/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits: short, stable, dependency-free. */
function fnv1a(text) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(16).padStart(8, '0');
}
const LABEL_VALUE_MAX = 63;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/**
 * A string as a valid label value (≤ 63 characters, alphanumeric at both ends). Source names are
 * DNS subdomains of up to 253 characters: a longer one keeps its first 54 characters plus '-' and
 * an FNV-1a hash of the whole name, so two long names sharing a prefix still get distinct values.
 */
function labelValue(text) {
    if (text.length <= LABEL_VALUE_MAX && LABEL_VALUE.test(text))
        return text;
    const head = text
        .replace(/[^-A-Za-z0-9_.]/g, '-')
        .slice(0, LABEL_VALUE_MAX - 9)
        .replace(/^[^A-Za-z0-9]+/, '')
        .replace(/[^A-Za-z0-9]+$/, '');
    const hash = fnv1a(text);
    return head === '' ? hash : `${head}-${hash}`;
}

;// CONCATENATED MODULE: ./src/core/clone.ts



/**
 * Labels the Job controller sets on a Job's pod template (and, through Job defaulting, often on
 * the Job itself). Copied, they make the API server reject the clone: "`selector` not
 * auto-generated" (kubernetes/kubernetes PR #118604; api-notes §1.9).
 */
const CONTROLLER_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name'];
/**
 * Annotations describing the source rather than the run: kubectl apply's snapshot of the source
 * (applying it to the clone would be wrong, and it can be large), and controller bookkeeping.
 */
const DROPPED_ANNOTATIONS = [
    'kubectl.kubernetes.io/last-applied-configuration',
    'batch.kubernetes.io/job-tracking',
    'batch.kubernetes.io/cronjob-scheduled-timestamp',
];
function without(map, keys) {
    return Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => !keys.includes(k)));
}
function runAnnotations(context) {
    const entries = [
        [Annotation.repository, context.repository],
        [Annotation.runId, context.runId],
        [Annotation.runAttempt, context.runAttempt],
        [Annotation.runUrl, context.runUrl],
    ];
    return Object.fromEntries(entries.filter((e) => e[1] !== undefined && e[1] !== ''));
}
function unknownParamsError(unknown, container, object) {
    const known = (container.env ?? []).map((e) => e.name);
    const envFrom = (container.envFrom ?? []).length > 0
        ? " Names it gets from envFrom are not listed; 'allow-new-params: true' overrides them." : '';
    return new InputError(`Input '${Input.params}' sets ${unknown.join(', ')}, which container '${container.name}' of ${object} does not declare in its env. ` +
        `Known names: ${known.length > 0 ? known.join(', ') : '(none)'}. Add them to the source's env, or set '${Input.allowNewParams}: true' to append them.${envFrom}`, { inputs: [Input.params, Input.allowNewParams] });
}
/**
 * Overlays params on an env list: an entry with a param's name becomes `{name, value}` (its
 * valueFrom dropped; every entry of that name, since with duplicates Kubernetes uses the last),
 * order and other entries kept; new names appended in params order when allowed.
 */
function overlayEnv(container, params, allowNew, object) {
    if (params.length === 0)
        return container.env;
    const env = container.env ?? [];
    const values = new Map(params);
    const known = new Set(env.map((e) => e.name));
    const unknown = params.map(([name]) => name).filter((name) => !known.has(name));
    if (unknown.length > 0 && !allowNew)
        throw unknownParamsError(unknown, container, object);
    const overlaid = env.map((e) => {
        const value = values.get(e.name);
        return value === undefined ? e : { name: e.name, value };
    });
    return [...overlaid, ...unknown.map((name) => ({ name, value: values.get(name) ?? '' }))];
}
/** Spec changes: no selector, runs now, cluster-side deadline and TTL, container[0] overlay. */
function finishSpec(draft, opts) {
    const spec = structuredClone(draft.spec ?? { template: {} });
    const { settings } = opts;
    delete spec.selector;
    delete spec.manualSelector;
    spec.suspend = false;
    const template = spec.template;
    if (template.metadata?.labels)
        template.metadata.labels = without(template.metadata.labels, CONTROLLER_LABELS);
    if (spec.ttlSecondsAfterFinished == null && settings.ttlSecondsAfterFinished !== undefined) {
        spec.ttlSecondsAfterFinished = settings.ttlSecondsAfterFinished;
    }
    if (spec.activeDeadlineSeconds == null && settings.timeoutSeconds !== undefined) {
        spec.activeDeadlineSeconds = settings.timeoutSeconds;
    }
    const first = template.spec?.containers[0];
    if (template.spec === undefined || first === undefined) {
        throw new SourceError(draft.object, `${draft.object} has no containers in its pod template, so there is nothing to run; check the source's spec.template.spec.containers.`);
    }
    const env = overlayEnv(first, settings.params, draft.allowNewParams, draft.object);
    const container = { ...first, ...(env === undefined ? {} : { env }) };
    if (settings.image !== undefined)
        container.image = settings.image;
    template.spec.containers[0] = container;
    return spec;
}
/**
 * The steps every builder shares: finish the spec, name the Job (shorter for Indexed Jobs, see
 * maxRunNameLength), label it as ours with its source, annotate it with the run's identity.
 * The source-name label is shortened for long names (naming.ts labelValue); the full name then
 * goes into an annotation with the same key.
 */
function finishClone(draft, opts) {
    const spec = finishSpec(draft, opts);
    const name = runJobName(draft.name, opts.random, maxRunNameLength(spec));
    const sourceLabel = labelValue(draft.name);
    const labels = {
        ...draft.labels,
        [Label.managedBy]: MANAGED_BY,
        [Label.sourceKind]: draft.kind,
        [Label.sourceName]: sourceLabel,
    };
    const annotations = {
        ...draft.annotations,
        ...(sourceLabel === draft.name ? {} : { [Label.sourceName]: draft.name }),
        ...runAnnotations(opts.context),
    };
    return {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
            name,
            namespace: opts.settings.namespace,
            labels,
            ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
            ...(draft.ownerReferences ? { ownerReferences: draft.ownerReferences } : {}),
        },
        spec,
    };
}
/**
 * A new Job from an existing Job (e.g. a suspended template Job). Its labels and annotations are
 * kept, minus the controller's labels and DROPPED_ANNOTATIONS; its ownerReferences are not (the
 * clone belongs to this run, not to whatever created the source).
 * @throws InputError for params the source does not declare; SourceError without containers
 */
function jobFromJob(source, opts) {
    const name = source.metadata?.name ?? opts.settings.source.name;
    return finishClone({
        kind: 'Job',
        name,
        object: jobPath(opts.settings.namespace, name),
        labels: without(source.metadata?.labels, CONTROLLER_LABELS),
        annotations: without(source.metadata?.annotations, DROPPED_ANNOTATIONS),
        ownerReferences: undefined,
        spec: source.spec,
        allowNewParams: opts.settings.allowNewParams,
    }, opts);
}
/**
 * A Job from a CronJob's jobTemplate, as `kubectl create job --from=cronjob/X`: the template's
 * labels, `cronjob.kubernetes.io/instantiate: manual` then the template's annotations, and an
 * ownerReference with controller: true but no blockOwnerDeletion (kubectl: that would need the
 * cronjobs/finalizers permission). The CronJob itself is never modified.
 * Note: as the CronJob's child, the clone counts against successfulJobsHistoryLimit /
 * failedJobsHistoryLimit, so the CronJob controller may delete it soon after it finishes.
 */
function jobFromCronJob(source, opts) {
    const name = source.metadata?.name ?? opts.settings.source.name;
    const template = source.spec?.jobTemplate;
    const uid = source.metadata?.uid;
    return finishClone({
        kind: 'CronJob',
        name,
        object: cronJobPath(opts.settings.namespace, name),
        labels: without(template?.metadata?.labels, CONTROLLER_LABELS),
        annotations: {
            [Annotation.cronjobInstantiate]: 'manual',
            ...without(template?.metadata?.annotations, DROPPED_ANNOTATIONS),
        },
        ownerReferences: uid === undefined ? undefined : [{ apiVersion: 'batch/v1', kind: 'CronJob', name, uid, controller: true }],
        spec: template?.spec,
        allowNewParams: opts.settings.allowNewParams,
    }, opts);
}
/** Name of the fallback Job's only container. */
const FALLBACK_CONTAINER = 'main';
/**
 * Seed 000's reconstruction when the source Job was deleted: one container `main` with the
 * fallback image, command and args (empty ones left out: the image's entrypoint applies), every
 * param as an env var (there is no source env to check names against), restartPolicy Never and
 * backoffLimit 0: the run happens once, as a `kubectl create job` Job does, and a failure is
 * reported at once instead of after six retries.
 */
function jobFromFallback(spec, opts) {
    const name = opts.settings.source.name;
    const container = {
        name: FALLBACK_CONTAINER,
        image: spec.image,
        ...(spec.command.length > 0 ? { command: [...spec.command] } : {}),
        ...(spec.args.length > 0 ? { args: [...spec.args] } : {}),
    };
    return finishClone({
        kind: 'Job',
        name,
        object: jobPath(opts.settings.namespace, name),
        labels: {},
        annotations: {},
        ownerReferences: undefined,
        spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [container] } } },
        allowNewParams: true,
    }, opts);
}
function isEmpty(map) {
    return map === undefined || map === null || Object.keys(map).length === 0;
}
/**
 * Seed 000's best practices, checked on the Job about to be created: containers with neither
 * resources.requests nor resources.limits (limits alone are fine: requests default to them), and
 * no activeDeadlineSeconds (neither on the source nor from `timeout`).
 */
function cloneWarnings(job) {
    const name = job.metadata?.name ?? '';
    const warnings = [];
    const bare = (job.spec?.template.spec?.containers ?? [])
        .filter((c) => isEmpty(c.resources?.requests) && isEmpty(c.resources?.limits))
        .map((c) => `'${c.name}'`);
    if (bare.length > 0) {
        const one = bare.length === 1;
        warnings.push(`Container${one ? '' : 's'} ${bare.join(', ')} of Job ${name} set${one ? 's' : ''} no resources.requests or resources.limits, so its pods can oversubscribe the cluster's nodes; set them on the source.`);
    }
    if (job.spec?.activeDeadlineSeconds == null) {
        warnings.push(`Job ${name} has no activeDeadlineSeconds and input '${Input.timeout}' is not set, so nothing stops it if it hangs; set '${Input.timeout}' (e.g. '30m') or activeDeadlineSeconds on the source.`);
    }
    return warnings;
}
/** Seed 001: a notice (not an error) when the CronJob's own schedule keeps firing too. */
function cronJobNotice(source) {
    if (source.spec?.suspend === true)
        return undefined;
    const name = source.metadata?.name ?? '';
    return `CronJob ${name} is not suspended: its schedule '${source.spec?.schedule ?? ''}' keeps firing too; set spec.suspend: true on it for exclusive control from workflows.`;
}

;// CONCATENATED MODULE: ./src/run/prepare-job.ts



async function prepareJob(settings, deps) {
    const { cluster, reporter } = deps;
    const { namespace, source } = settings;
    const opts = { settings, context: deps.context, random: deps.random };
    let job;
    if (source.kind === 'CronJob') {
        const cron = await cluster.readCronJob(namespace, source.name);
        if (!cron) {
            throw new SourceError(cronJobPath(namespace, source.name), `CronJob ${cronJobPath(namespace, source.name)} was not found. Check input '${Input.cronjob}' and input '${Input.namespace}', and that the identity may get cronjobs there.`);
        }
        const notice = cronJobNotice(cron);
        if (notice)
            reporter.notice(notice, 'CronJob schedule still active');
        job = jobFromCronJob(cron, opts);
    }
    else {
        const found = await cluster.readJob(namespace, source.name);
        if (found)
            job = jobFromJob(found, opts);
        else if (settings.fallback) {
            reporter.warning(`Source Job ${jobPath(namespace, source.name)} was not found; running the fallback (image ${settings.fallback.image}) instead.`, 'Source job not found');
            job = jobFromFallback(settings.fallback, opts);
        }
        else {
            throw new SourceError(jobPath(namespace, source.name), `Source job not found: ${jobPath(namespace, source.name)} does not exist. Check input '${Input.job}' and input '${Input.namespace}', ` +
                `or set '${Input.fallbackImage}' (with '${Input.fallbackCommand}' / '${Input.fallbackArgs}') to run a reconstructed Job instead.`);
        }
    }
    for (const warning of cloneWarnings(job))
        reporter.warning(warning, 'Best practice');
    reporter.info(`Will create ${jobPath(namespace, job.metadata?.name ?? '')} from ${source.kind} ${source.name}.`);
    return job;
}

;// CONCATENATED MODULE: ./src/run/run-job.ts
/**
 * The run, as named phases: prepare the clone, submit it, follow it, report. Every wait takes the
 * run's AbortSignal (fired by timeout, SIGINT or SIGTERM); on abort the Job is deleted.
 */








async function runJob(settings, deps, signal) {
    const { reporter } = deps;
    const job = await reporter.group(`Prepare ${settings.source.kind.toLowerCase()}s/${settings.namespace}/${settings.source.name}`, () => prepareJob(settings, deps));
    const name = job.metadata?.name ?? '';
    if (settings.dryRun)
        return dryRun(settings, deps, job);
    const created = await reporter.group(`Submit ${jobPath(settings.namespace, name)}`, () => run_job_submit(settings, deps, job, signal));
    if (!settings.wait) {
        reporter.notice(`Submitted ${jobPath(settings.namespace, name)}; not waiting (wait: false).`, 'Job submitted');
        reporter.setOutput(Output.status, decodeStatus(created));
        return { name, status: 'Submitted' };
    }
    const outcome = await reporter.group(`Follow ${jobPath(settings.namespace, name)}`, () => followJob(deps, {
        namespace: settings.namespace,
        job: created,
        followLogs: settings.followLogs,
        maxLogStreams: settings.maxLogStreams,
        imagePullGraceMs: settings.imagePullGraceSeconds * 1000,
    }, signal));
    return reporter.group('Report', () => report(settings, deps, outcome, signal));
}
async function dryRun(settings, deps, job) {
    const validated = await deps.cluster.createJob(settings.namespace, job, { dryRun: true, signal: AbortSignal.timeout(60_000) });
    const name = validated.metadata?.name ?? '';
    deps.reporter.info(`The API server accepted the Job (dryRun=All); nothing was created:\n${(0,yaml_dist/* stringify */.As)(stripForDisplay(validated))}`);
    deps.reporter.setOutput(Output.runId, name);
    deps.reporter.setOutput(Output.status, 'DryRun');
    return { name, status: 'DryRun' };
}
async function run_job_submit(settings, deps, job, signal) {
    const submission = Math.floor(deps.random() * 2 ** 48).toString(36) + Math.floor(deps.random() * 2 ** 48).toString(36);
    const withId = {
        ...job,
        metadata: { ...job.metadata, annotations: { ...job.metadata?.annotations, [Annotation.submissionId]: submission } },
    };
    signal.throwIfAborted();
    const created = await deps.cluster.createJob(settings.namespace, withId, { dryRun: false, signal });
    const name = created.metadata?.name ?? '';
    // State first: if the runner kills us from here on, the post step still finds the Job.
    deps.reporter.saveState(State.namespace, settings.namespace);
    deps.reporter.saveState(State.name, name);
    deps.reporter.saveState(State.uid, created.metadata?.uid ?? '');
    deps.reporter.setOutput(Output.runId, name);
    deps.reporter.info(`Created ${jobPath(settings.namespace, name)} (uid ${created.metadata?.uid ?? '?'}).`);
    return created;
}
async function report(settings, deps, outcome, signal) {
    const { reporter, cluster } = deps;
    const name = outcome.job.metadata?.name ?? '';
    const path = jobPath(settings.namespace, name);
    let status = outcome.status;
    let reason = terminalReason(outcome.job);
    let why;
    if (outcome.end === 'aborted' && !TERMINAL_STATUSES.has(outcome.status)) {
        const cause = signal.reason;
        const deleted = await cluster.deleteJob(settings.namespace, name, outcome.job.metadata?.uid);
        status = 'Cancelled';
        reason = cause === 'timeout' ? 'Timeout' : 'WorkflowCancelled';
        why =
            cause === 'timeout'
                ? `The timeout of ${settings.timeoutSeconds ?? 0} s passed; ${path} was ${deleted === 'deleted' ? 'deleted' : 'already gone'}.`
                : `The workflow was cancelled (${cause ?? 'signal'}); ${path} was ${deleted === 'deleted' ? 'deleted' : 'already gone'}.`;
    }
    else if (outcome.end === 'stuck' && outcome.stuck) {
        await cluster.deleteJob(settings.namespace, name, outcome.job.metadata?.uid);
        status = 'Failed';
        reason = outcome.stuck.reason;
        why = `Container ${outcome.stuck.container} of pod ${outcome.stuck.pod} stayed in ${outcome.stuck.reason} for the image-pull-grace-period (${settings.imagePullGraceSeconds} s); ${path} was deleted. ${outcome.stuck.message}`.trim();
    }
    else if (outcome.end === 'deleted') {
        status = 'Failed';
        reason = 'Deleted';
        why = `${path} was deleted by someone else while the action waited for it.`;
    }
    reporter.saveState(State.finished, 'true');
    for (const [k, v] of runOutputs({ job: outcome.job, status, reason, pods: outcome.pods.values(), monitorUrl: deps.monitorUrl })) {
        reporter.setOutput(k, v);
    }
    const facts = { settings, job: outcome.job, status, reason, pods: [...outcome.pods.values()], lastLines: outcome.lastLines, monitorUrl: deps.monitorUrl, runUrl: deps.context.runUrl };
    await reporter.writeSummary(renderSummary(facts));
    if (status !== 'Success') {
        throw new JobFailedError(failureMessage({ ...facts, why }), { status, reason });
    }
    reporter.info(`${path} succeeded.`);
    return { name, status };
}
/** What a person wants to read in a dry run: no server-filled noise. */
function stripForDisplay(job) {
    const { managedFields: _m, uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, ...metadata } = job.metadata ?? {};
    const { status: _s, ...rest } = job;
    return { ...rest, metadata };
}

// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(58500);
;// CONCATENATED MODULE: ./src/system-clock.ts
/** The real clock for entry files; tests inject their own. */

const systemClock = {
    now: () => Date.now(),
    sleep: async (ms, signal) => {
        await (0,promises_.setTimeout)(ms, undefined, { signal });
    },
};

;// CONCATENATED MODULE: ./src/github/signals.ts
function runSignal(timeoutSeconds) {
    const controller = new AbortController();
    const abort = (cause) => () => {
        if (!controller.signal.aborted)
            controller.abort(cause);
    };
    const onInt = abort('SIGINT');
    const onTerm = abort('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const timer = timeoutSeconds === undefined ? undefined : setTimeout(abort('timeout'), timeoutSeconds * 1000);
    timer?.unref();
    return {
        signal: controller.signal,
        dispose() {
            process.off('SIGINT', onInt);
            process.off('SIGTERM', onTerm);
            if (timer)
                clearTimeout(timer);
        },
    };
}

;// CONCATENATED MODULE: ./src/azure-devops/task-names.ts
/**
 * The Azure DevOps names of the core's inputs, outputs and state: the ONE place where task.json's
 * camelCase names meet the core's kebab-case names (src/core/names.ts). Azure DevOps input names
 * must match ^[A-Za-z][A-Za-z0-9]*$ (task-lib tasks.schema.json) and variable names are letters,
 * digits, '.' and '_', so neither can use the GitHub names as they are.
 * test/unit/azure-devops-task-json.test.ts checks task.json against these tables and DEFAULTS.
 */

/** The task's own inputs that choose and describe the cluster connection (no core counterpart). */
const TaskInput = {
    connectionType: 'connectionType',
    azureSubscription: 'azureSubscription',
    kubernetesServiceConnection: 'kubernetesServiceConnection',
};
/** Values of the connectionType pickList, as the Kubernetes tasks (KubernetesManifest@1) spell them. */
const ConnectionType = {
    azureResourceManager: 'azureResourceManager',
    kubernetesServiceConnection: 'kubernetesServiceConnection',
};
/**
 * Core inputs the task takes as inputs of its own. The Azure identity (client, tenant,
 * subscription, cloud) and the kubeconfig come from the service connection instead; the
 * federated token's audience is fixed by Azure DevOps (api://AzureADTokenExchange).
 * Resource group, cluster and admin use the names of the Kubernetes@1 task.
 */
const TASK_INPUT = {
    [Input.job]: 'job',
    [Input.cronjob]: 'cronJob',
    [Input.namespace]: 'namespace',
    [Input.params]: 'params',
    [Input.allowNewParams]: 'allowNewParams',
    [Input.timeout]: 'timeout',
    [Input.image]: 'image',
    [Input.wait]: 'wait',
    [Input.followLogs]: 'followLogs',
    [Input.dryRun]: 'dryRun',
    [Input.fallbackImage]: 'fallbackImage',
    [Input.fallbackCommand]: 'fallbackCommand',
    [Input.fallbackArgs]: 'fallbackArgs',
    [Input.ttlSecondsAfterFinished]: 'ttlSecondsAfterFinished',
    [Input.imagePullGracePeriod]: 'imagePullGracePeriod',
    [Input.maxLogStreams]: 'maxLogStreams',
    [Input.resourceGroup]: 'azureResourceGroup',
    [Input.clusterName]: 'kubernetesCluster',
    [Input.admin]: 'useClusterAdmin',
};
/** Core inputs that only mean something with an Azure Resource Manager connection (task.json visibleRule). */
const AZURE_ONLY_INPUTS = [Input.resourceGroup, Input.clusterName, Input.admin];
/** Core inputs derived from the service connection, and where each comes from (for messages). */
const FROM_SERVICE_CONNECTION = {
    [Input.clientId]: `the '${TaskInput.azureSubscription}' service connection's service principal id`,
    [Input.tenantId]: `the '${TaskInput.azureSubscription}' service connection's tenant id`,
    [Input.subscriptionId]: `the '${TaskInput.azureSubscription}' service connection's subscription id`,
    [Input.azureEnvironment]: `the '${TaskInput.azureSubscription}' service connection's environment`,
    [Input.audience]: 'the Azure DevOps OIDC token audience',
    [Input.kubeconfig]: `the '${TaskInput.kubernetesServiceConnection}' service connection's kubeconfig`,
};
/** Output variables (isOutput=true): read downstream as $(<step name>.<variable>). Discovery's `jobs` is GitHub-only. */
const TASK_OUTPUT = {
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
};
/** Task variables (task.settaskvariable) carried from the main step to the post-job step. */
const TASK_STATE = {
    [State.namespace]: 'polysyncJobNamespace',
    [State.name]: 'polysyncJobName',
    [State.uid]: 'polysyncJobUid',
    [State.finished]: 'polysyncJobFinished',
};
/** The task.json name of a core input, or undefined when the service connection supplies it. */
function taskInputName(name) {
    return TASK_INPUT[name];
}
/** The output variable for a core output; unknown names pass through unchanged. */
function taskOutputName(name) {
    return TASK_OUTPUT[name] ?? name;
}
/** The task variable for a core state name; unknown names pass through unchanged. */
function task_names_taskStateName(name) {
    return TASK_STATE[name] ?? name;
}

;// CONCATENATED MODULE: ./src/azure-devops/inputs.ts
/**
 * Azure DevOps inputs → the core's `read(name)` (parse-settings.ts), so the task validates exactly
 * as the action does. The agent fills in task.json's defaultValue for every input a pipeline leaves
 * out (as the GitHub runner does with action.yml), so no default is repeated here.
 */


/** The connectionType pickList's value. */
function readConnectionType(getInput) {
    const value = (getInput(TaskInput.connectionType) ?? '').trim();
    const found = Object.values(ConnectionType).find((c) => c.toLowerCase() === value.toLowerCase());
    if (found)
        return found;
    throw InputError.invalid(TaskInput.connectionType, value, `one of ${Object.values(ConnectionType).join(', ')}`);
}
/**
 * The core's reader: task inputs by their task.json names, plus the values the service connection
 * supplies (`fromConnection`). Azure-only inputs read as '' with a Kubernetes service connection,
 * as task.json's visibleRule hides them there (a leftover `useClusterAdmin: true` must not turn a
 * kubeconfig run into an Azure one).
 */
function coreInputReader(getInput, connectionType, fromConnection) {
    return (name) => {
        const derived = fromConnection[name];
        if (derived !== undefined)
            return derived;
        if (connectionType !== ConnectionType.azureResourceManager && AZURE_ONLY_INPUTS.includes(name))
            return '';
        const taskName = taskInputName(name);
        return taskName === undefined ? '' : (getInput(taskName) ?? '');
    };
}
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * The core's messages name inputs as a workflow does (`Input 'allow-new-params' …`); a pipeline
 * author needs task.json's names (`allowNewParams`) or, for values that come from the service
 * connection, which connection field is wrong.
 */
function inTaskTerms(message) {
    let out = message;
    for (const [core, source] of Object.entries(FROM_SERVICE_CONNECTION)) {
        out = out.replace(new RegExp(`Input '${escapeRegExp(core)}'`, 'g'), source.charAt(0).toUpperCase() + source.slice(1));
        out = out.replace(new RegExp(`'${escapeRegExp(core)}'`, 'g'), source);
    }
    for (const [core, task] of Object.entries(TASK_INPUT)) {
        out = out.replace(new RegExp(`'${escapeRegExp(core)}'`, 'g'), `'${task}'`);
    }
    return out;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./src/azure-devops/reporter.ts
/**
 * Reporter over azure-pipelines-task-lib and the agent's logging commands
 * (learn.microsoft.com azure/devops/pipelines/scripts/logging-commands):
 * - groups: `##[group]` / `##[endgroup]`; notices: `##[section]` (Azure DevOps has no notice level);
 * - warnings and errors: task issues (`##vso[task.issue type=warning]`, the task-lib form of logissue);
 * - outputs: output variables, `##vso[task.setvariable variable=runId;isOutput=true]`;
 * - state for the post-job step: task variables (`##vso[task.settaskvariable]`), which the agent
 *   hands only to later steps of the same task instance as VSTS_TASKVARIABLE_* (the post-job step's
 *   Variables are the main step's: azure-pipelines-agent JobExtension.cs taskVariablesMapping);
 * - the summary: a markdown file attached with `##vso[task.uploadsummary]`.
 * Log lines may come from pods, so `##vso[` in them is neutralised as task-lib's external-output
 * filter does (externaloutput.ts): otherwise a pod could set variables or fail the task.
 */





/** Title of the summary section on the run's Extensions tab (the attachment's file name). */
const SUMMARY_FILE = 'AKS Job.md';
/**
 * A log line that cannot act as a command: `##vso[` anywhere → `##_vso[` (task-lib's rewrite), and
 * a leading formatting command (`##[group]`, `##[error]`…) → `##_[`.
 */
function neutralise(line) {
    return line.replace(/##vso\[/gi, '##_vso[').replace(/^##\[/gm, '##_[');
}
class AzureDevOpsReporter {
    tl;
    write;
    /** Warnings issued so far: the post-job step reports SucceededWithIssues when there were any. */
    warnings = 0;
    constructor(tl, write = (line) => process.stdout.write(`${line}\n`)) {
        this.tl = tl;
        this.write = write;
    }
    info(message) {
        for (const line of message.split(/\r?\n/))
            this.write(neutralise(line));
    }
    debug(message) {
        this.tl.debug(message);
    }
    notice(message, title) {
        this.write(`##[section]${neutralise(titled(message, title)).replace(/\r?\n/g, ' ')}`);
    }
    warning(message, title) {
        this.warnings++;
        this.tl.warning(titled(message, title));
    }
    error(message, title) {
        this.tl.error(titled(message, title));
    }
    async group(name, fn) {
        this.write(`##[group]${neutralise(name)}`);
        try {
            return await fn();
        }
        finally {
            this.write('##[endgroup]');
        }
    }
    setOutput(name, value) {
        this.tl.setVariable(taskOutputName(name), value, false, true);
    }
    saveState(name, value) {
        this.tl.setTaskVariable(task_names_taskStateName(name), value, false);
    }
    setSecret(value) {
        // task-lib refuses multi-line secrets; mask each line, as the agent would match them.
        for (const line of value.split(/\r?\n/))
            if (line.trim() !== '')
                this.tl.setSecret(line);
    }
    async writeSummary(markdown) {
        const dir = (0,external_node_path_.join)(this.tl.getVariable('Agent.TempDirectory') || (0,external_node_os_.tmpdir)(), `polysync-${(0,external_node_crypto_.randomUUID)()}`);
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
        const file = (0,external_node_path_.join)(dir, SUMMARY_FILE);
        (0,external_node_fs_.writeFileSync)(file, markdown, 'utf8');
        this.tl.uploadSummary(file);
        return Promise.resolve();
    }
}
/** Reads a task variable the main step saved ('' when absent: the main step never got that far). */
function readState(tl, name) {
    return tl.getTaskVariable(taskStateName(name)) ?? '';
}
function titled(message, title) {
    return title ? `${title}: ${message}` : message;
}

;// CONCATENATED MODULE: ./src/azure-devops/run-context.ts
function runContextFromVariables(getVariable) {
    const get = (name) => getVariable(name) || undefined;
    const project = get('System.TeamProject');
    const repository = get('Build.Repository.Name');
    const buildId = get('Build.BuildId');
    const collection = get('System.CollectionUri') ?? get('System.TeamFoundationCollectionUri');
    const base = collection?.endsWith('/') ? collection : collection && `${collection}/`;
    return {
        repository: repository && project ? `${project}/${repository}` : repository,
        runId: buildId,
        runAttempt: get('System.JobAttempt'),
        runUrl: base && project && buildId ? `${base}${encodeURIComponent(project)}/_build/results?buildId=${encodeURIComponent(buildId)}` : undefined,
    };
}

;// CONCATENATED MODULE: ./src/kubernetes/kubeconfig.ts
/** KubeConfig for the kubeconfig mode: the input's content, or the runner's KUBECONFIG file. */




/**
 * Loads and checks a kubeconfig; every credential in it is passed to `mask` first, so no later
 * log line can print it.
 */
function loadKubeConfig(content, env, mask) {
    const kc = new dist/* KubeConfig */.ypW();
    if (content !== undefined) {
        try {
            kc.loadFromString(content);
        }
        catch (err) {
            throw new InputError(`Input '${Input.kubeconfig}' must be a kubeconfig (YAML); it could not be read: ${err.message}`, {
                inputs: [Input.kubeconfig],
                cause: err,
            });
        }
    }
    else {
        const file = env.KUBECONFIG?.split(':').find((f) => f && (0,external_node_fs_.existsSync)(f));
        if (!file) {
            throw new InputError(`No cluster to connect to: set the Azure inputs (${Input.clientId}, ${Input.tenantId}, ${Input.subscriptionId}, ${Input.resourceGroup}, ${Input.clusterName}), ` +
                `or input '${Input.kubeconfig}', or run a step that sets KUBECONFIG (e.g. azure/aks-set-context) before this one.`, { inputs: [Input.kubeconfig] });
        }
        kc.loadFromFile(file);
    }
    for (const user of kc.users) {
        for (const secret of [user.token, user.password, user.keyData])
            if (secret)
                mask(secret);
    }
    if (!kc.getCurrentCluster()) {
        throw new InputError(`The kubeconfig has no current context with a cluster: set current-context.`, { inputs: [Input.kubeconfig] });
    }
    return kc;
}

;// CONCATENATED MODULE: ./src/core/monitor-url.ts
/** Portal host per cloud (learn.microsoft.com: Azure Government / Azure China portal addresses). */
const PORTAL_HOST = {
    AzureCloud: 'portal.azure.com',
    AzureUSGovernment: 'portal.azure.us',
    AzureChinaCloud: 'portal.azure.cn',
};
/**
 * `https://<portal>/#resource/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{cluster}/workloads`,
 * or undefined for a kubeconfig connection (the cluster's Azure identity is unknown).
 */
function monitorUrl(connection) {
    if (connection.kind !== 'azure')
        return undefined;
    const segment = encodeURIComponent;
    return (`https://${PORTAL_HOST[connection.environment]}/#resource/subscriptions/${segment(connection.subscriptionId)}` +
        `/resourceGroups/${segment(connection.resourceGroup)}/providers/Microsoft.ContainerService/managedClusters/` +
        `${segment(connection.clusterName)}/workloads`);
}

// EXTERNAL MODULE: ./node_modules/@azure/core-rest-pipeline/dist/esm/index.js + 81 modules
var esm = __webpack_require__(4792);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
var external_node_tls_default = /*#__PURE__*/__webpack_require__.n(external_node_tls_);
;// CONCATENATED MODULE: ./src/azure/tls.ts
/**
 * TLS options that trust one extra CA besides the default store, for @azure/core-rest-pipeline
 * (`tlsOptions`, used by both ClientAssertionCredential and the ARM call). NODE_EXTRA_CA_CERTS is
 * read only at process start, so in-process tests hand the fakes' CA over this way instead.
 */

/** `{}` when there is no extra CA, so production keeps Node's defaults untouched. */
function trustExtraCa(extraCaPem) {
    if (extraCaPem === undefined)
        return {};
    // A `ca` list replaces the defaults, so start from them: getCACertificates('default') (Node >= 22.15)
    // includes NODE_EXTRA_CA_CERTS; rootCertificates is the bundled store for older runtimes (Azure
    // DevOps agents may still run tasks on Node 20).
    const defaults = typeof (external_node_tls_default()).getCACertificates === 'function' ? external_node_tls_default().getCACertificates('default') : [...(external_node_tls_default()).rootCertificates];
    return { tlsOptions: { ca: [...defaults, extraCaPem] } };
}

;// CONCATENATED MODULE: ./src/azure/aks-credentials.ts
/**
 * ARM `listClusterUserCredential` / `listClusterAdminCredential` → the cluster's kubeconfig.
 *
 * One REST call rather than `@azure/arm-containerservice` 25.5.0. Measured as minified ncc bundles on
 * Node 24 (median of 21 runs, from process start to the module evaluated):
 *   identity only 567 KB / 51.4 ms; identity + this call via core-rest-pipeline 568 KB / 52.6 ms;
 *   identity + arm-containerservice 835 KB (+47%, +35 KB gzipped) / 58.0 ms.
 * The SDK's generated client (and core-lro, @azure-rest/core-client) buys nothing for one POST. The
 * call goes through `@azure/core-rest-pipeline`, which @azure/identity already bundles, so it costs ~0.5 KB
 * and keeps what the SDK would give: retries with Retry-After on 429/5xx, HTTPS_PROXY, and TLS options
 * (the tests' CA; global fetch can only be told about a CA at process start).
 */




/** Stable api-version with listClusterUserCredential (azure-rest-api-specs, Microsoft.ContainerService). */
const AKS_API_VERSION = '2025-10-01';
const clusterResourceId = (r) => `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${r.clusterName}`;
/** The POST URL (pure). Path segments are escaped; the ARM endpoint has no trailing slash. */
function clusterCredentialUrl(resourceManager, r) {
    const e = encodeURIComponent;
    const action = r.admin ? 'listClusterAdminCredential' : 'listClusterUserCredential';
    return `${resourceManager}/subscriptions/${e(r.subscriptionId)}/resourceGroups/${e(r.resourceGroup)}` +
        `/providers/Microsoft.ContainerService/managedClusters/${e(r.clusterName)}/${action}?api-version=${AKS_API_VERSION}`;
}
/** `{kubeconfigs:[{name,value:base64}]}` → kubeconfig YAML (pure). */
function decodeCredentialResults(bodyText, r) {
    let value;
    try {
        const body = JSON.parse(bodyText);
        value = body.kubeconfigs?.[0]?.value;
    }
    catch {
        value = undefined;
    }
    if (typeof value !== 'string' || value === '') {
        throw new AuthError(`ARM returned no kubeconfig for cluster '${r.clusterName}'.`);
    }
    return Buffer.from(value, 'base64').toString('utf8');
}
/** An ARM CloudError (`{"error":{"code","message"}}`) → what to fix (pure). */
function describeArmFailure(status, bodyText, r, caller) {
    let code = '';
    let message = bodyText.slice(0, 300);
    try {
        const err = JSON.parse(bodyText).error;
        code = err?.code ?? '';
        message = err?.message ?? message;
    }
    catch {
        // not a CloudError: keep the raw text
    }
    const cluster = `AKS cluster '${r.clusterName}' (resource group '${r.resourceGroup}', subscription '${r.subscriptionId}')`;
    const fix = (() => {
        if (code === 'ResourceNotFound' || (status === 404 && code === '')) {
            return `${cluster} was not found. Check inputs '${Input.subscriptionId}', '${Input.resourceGroup}' and '${Input.clusterName}'.`;
        }
        if (code === 'ResourceGroupNotFound') {
            return `Resource group '${r.resourceGroup}' was not found in subscription '${r.subscriptionId}'. Check inputs '${Input.resourceGroup}' and '${Input.subscriptionId}'.`;
        }
        if (code === 'SubscriptionNotFound' || code === 'InvalidSubscriptionId') {
            return `Subscription '${r.subscriptionId}' was not found. Check input '${Input.subscriptionId}' and that the subscription belongs to input '${Input.tenantId}'.`;
        }
        if (code === 'AuthorizationFailed' || status === 403) {
            const role = r.admin ? 'Azure Kubernetes Service Cluster Admin Role' : 'Azure Kubernetes Service Cluster User Role';
            return `Application '${caller.clientId}' may not list the ${r.admin ? 'admin' : 'user'} credentials of ${cluster}. ` +
                `Assign it the "${role}" on the cluster: az role assignment create --assignee ${caller.clientId} --role "${role}" --scope ${clusterResourceId(r)}`;
        }
        if (status === 400 && /local accounts/i.test(message)) {
            return `${cluster} has local accounts disabled, so admin credentials cannot be listed. Set input '${Input.admin}' to false and grant the identity access with Kubernetes RBAC (a Role and RoleBinding for its object id) or Azure RBAC for Kubernetes.`;
        }
        if (status === 401) {
            return `ARM refused the access token for ${cluster}. Check input '${Input.azureEnvironment}' and '${Input.tenantId}'.`;
        }
        if (status === 429 || status >= 500)
            return `ARM is unavailable for ${cluster}; run the step again later.`;
        return `ARM could not list the credentials of ${cluster}.`;
    })();
    return new AuthError(`${fix} (ARM ${status}${code ? ` ${code}` : ''}: ${message})`);
}
/** The one I/O function: POSTs the credential action and returns the kubeconfig YAML (never written to disk). */
async function listClusterKubeconfig(r, options) {
    const pipeline = (0,esm/* createPipelineFromOptions */.Fp)({
        userAgentOptions: { userAgentPrefix: 'polysync-aks-action' },
        ...trustExtraCa(options.extraCaPem),
    });
    const url = clusterCredentialUrl(options.resourceManager, r);
    const request = (0,esm/* createPipelineRequest */.G6)({
        url,
        method: 'POST',
        // ARM wants a Content-Length on POST, even an empty one.
        body: '',
        headers: (0,esm/* createHttpHeaders */.Nc)({ authorization: `Bearer ${options.accessToken}`, accept: 'application/json' }),
    });
    let response;
    try {
        response = await pipeline.sendRequest((0,esm/* createDefaultHttpClient */.fl)(), request);
    }
    catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        throw new AuthError(`Could not reach ARM at ${options.resourceManager}: ${text}. Check input '${Input.azureEnvironment}' and the runner's network.`, { cause: error });
    }
    const body = response.bodyAsText ?? '';
    if (response.status !== 200)
        throw describeArmFailure(response.status, body, r, options.caller);
    return decodeCredentialResults(body, r);
}

// EXTERNAL MODULE: ./node_modules/@azure/identity/dist/esm/index.js + 182 modules
var dist_esm = __webpack_require__(25563);
;// CONCATENATED MODULE: ./src/azure/entra-errors.ts
/**
 * Entra ID's AADSTS codes turned into what to fix (codes and texts from
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes and the replies quoted in
 * Azure/login#482, #515, #517). The federated-credential mismatches name the exact subject to register,
 * which is the single most common set-up mistake (Azure/login#379).
 */


/** The AADSTS code in an error message (identity puts Entra's error_description there), if any. */
function aadstsCode(text) {
    const m = /AADSTS(\d+)/.exec(text);
    return m?.[1] === undefined ? undefined : Number(m[1]);
}
/** Entra's description up to "Trace ID:" (the rest is per-request noise). */
function entraReason(text) {
    const m = /AADSTS\d+:[^\n]*?(?=\s*Trace ID:|\n|$)/.exec(text);
    return (m?.[0] ?? text.split('\n')[0] ?? text).trim().replace(/\.$/, '');
}
const q = (v) => `'${v ?? 'unknown'}'`;
function federatedCredentialFix(code, ctx) {
    const f = ctx.federated;
    const issuer = f?.issuer ?? 'https://token.actions.githubusercontent.com';
    const subject = f?.subject ?? 'unknown';
    const audience = f?.audience ?? ctx.audience;
    const which = code === 700211 ? `its issuer ${q(issuer)}`
        : code === 700212 ? `its audience ${q(audience)} (input '${Input.audience}')`
            : code === 7002138 ? `its subject ${q(subject)}, which differs from a registered one only in letter case (matching is case-sensitive)`
                : `its subject ${q(subject)}`;
    const params = JSON.stringify({ name: 'polysync-aks', issuer, subject, audiences: [audience] });
    return (`No federated credential of application ${q(ctx.clientId)} in tenant ${q(ctx.tenantId)} matches this run's OIDC token (AADSTS${code}): ` +
        `no record for ${which}. Add a federated credential with subject '${subject}' (exactly), issuer '${issuer}' ` +
        `and audience '${audience}': az ad app federated-credential create --id ${ctx.clientId} --parameters '${params}' ` +
        `(for a user-assigned managed identity: az identity federated-credential create --identity-name <identity> ` +
        `--resource-group <group> --name polysync-aks --issuer ${issuer} --subject '${subject}' --audiences ${audience}).`);
}
function messageFor(code, ctx, reason) {
    const resource = ctx.scope.replace(/\/\.default$/, '');
    switch (code) {
        case 70021:
        case 700211:
        case 700212:
        case 700213:
        case 7002138:
            return federatedCredentialFix(code, ctx);
        case 90002:
            return `Tenant ${q(ctx.tenantId)} was not found at ${ctx.authorityHost} (AADSTS90002). Check input '${Input.tenantId}' (the Directory (tenant) ID) and '${Input.azureEnvironment}' (${ctx.environment}): a tenant exists only in its own cloud.`;
        case 700016:
            return `Application ${q(ctx.clientId)} was not found in tenant ${q(ctx.tenantId)} (AADSTS700016). Check input '${Input.clientId}' (the Application (client) ID of the app registration, or the client ID of the user-assigned managed identity) and '${Input.tenantId}'.`;
        case 700024:
            return `Entra ID received an OIDC token outside its valid time range (AADSTS700024). The action asks for a new token each time Entra ID needs one, so check the runner's clock and that the token source returns fresh tokens (${reason}).`;
        case 50027:
        case 700027:
            return `Entra ID rejected the OIDC token as malformed or wrongly signed (${reason}). Check that the token comes from the platform's OIDC issuer for audience '${ctx.audience}'.`;
        case 500011:
            return `Tenant ${q(ctx.tenantId)} does not know the resource '${resource}' (AADSTS500011). ${resource.startsWith('https://') ? `Check input '${Input.azureEnvironment}' (${ctx.environment}).` : 'The cluster must use AKS-managed Entra ID integration for this resource id.'}`;
        case 7000112:
            return `Application ${q(ctx.clientId)} is disabled in tenant ${q(ctx.tenantId)} (AADSTS7000112): enable its service principal.`;
        default:
            return `Entra ID refused to sign in application ${q(ctx.clientId)} in tenant ${q(ctx.tenantId)} for '${resource}': ${reason}`;
    }
}
/** Maps whatever ClientAssertionCredential threw to an AuthError that says what to fix. */
function describeEntraFailure(error, ctx) {
    if (error instanceof AuthError)
        return error;
    const text = error instanceof Error ? error.message : String(error);
    const code = aadstsCode(text);
    if (code === undefined && /endpoints_resolution_error/.test(text)) {
        // MSAL reads /{tenant}/v2.0/.well-known/openid-configuration first and drops Entra's AADSTS90002
        // reply; that document is missing when the tenant does not exist in this cloud.
        return new AuthError(`Tenant ${q(ctx.tenantId)} could not be resolved at ${ctx.authorityHost}: Entra ID has no OpenID configuration for it (or the host is unreachable). ` +
            `Check input '${Input.tenantId}' (the Directory (tenant) ID) and '${Input.azureEnvironment}' (${ctx.environment}): a tenant exists only in its own cloud.`, { cause: error });
    }
    if (code === undefined) {
        return new AuthError(`Could not get an Entra ID token from ${ctx.authorityHost} for tenant ${q(ctx.tenantId)}: ${text.split('\n')[0] ?? text}. ` +
            `Check that the runner can reach ${ctx.authorityHost}.`, { cause: error });
    }
    return new AuthError(messageFor(code, ctx, entraReason(text)), { cause: error });
}
/** The platform could not give us an OIDC token (GitHub: missing `permissions: id-token: write`). */
function describeTokenSourceFailure(error, audience) {
    if (error instanceof AuthError)
        return error;
    const text = error instanceof Error ? error.message : String(error);
    return new AuthError(`Could not get the workflow's OIDC token for audience '${audience}': ${text}. On GitHub the job needs 'permissions: id-token: write'; on Azure DevOps a workload identity federation service connection.`, { cause: error });
}

;// CONCATENATED MODULE: ./src/azure/federated-token.ts
/**
 * The platform's OIDC token, the one thing each platform supplies: on GitHub `core.getIDToken(audience)`,
 * on Azure DevOps the service connection's oidctoken endpoint. No `@actions/*` import here, so the Azure
 * DevOps task reuses this adapter.
 */
/**
 * Reads iss/sub/aud from a JWT's payload without verifying it: only to say in an error message which
 * subject Entra ID was shown (Azure/login prints the same three values). Undefined for a non-JWT.
 */
function readFederatedClaims(jwt) {
    const payload = jwt.split('.')[1];
    if (payload === undefined)
        return undefined;
    try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        const str = (v) => (typeof v === 'string' ? v : undefined);
        const aud = Array.isArray(claims['aud']) ? str(claims['aud'][0]) : str(claims['aud']);
        return { issuer: str(claims['iss']), subject: str(claims['sub']), audience: aud };
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/azure/credential.ts
/**
 * Entra ID tokens through workload identity federation, refreshed for jobs that run for hours.
 *
 * Azure/login hands the GitHub token to `az` once and dies with AADSTS700024 when it expires
 * (Azure/login#180, #372). Here ClientAssertionCredential's assertion callback asks the platform for a
 * FRESH federated token whenever Entra ID must be asked for an access token.
 *
 * Two things msal-node 7.2.1 does that we correct (ConfidentialClientApplication.acquireTokenByClientCredential):
 * - it calls the assertion callback BEFORE its cache lookup, so every getToken, cached or not, would
 *   fetch a GitHub token: with one getToken per Kubernetes request that is thousands per long Job.
 *   We keep our own per-scope cache with MSAL's renewal rule (renew 5 minutes before expiry, or at
 *   refresh_in) and call the credential only when a token is due.
 * - on a renewal it calls the callback twice (cache lookup, then the token request): one acquisition
 *   shares one federated token.
 */





/** msal-common DEFAULT_TOKEN_RENEWAL_OFFSET_SEC: tokens are renewed this long before they expire. */
const TOKEN_RENEWAL_MARGIN_MS = 300_000;
/** True while a cached token may still be used (pure; the rule MSAL applies to its own cache). */
function isTokenFresh(token, now) {
    const renewAt = Math.min(token.expiresOnTimestamp - TOKEN_RENEWAL_MARGIN_MS, token.refreshAfterTimestamp ?? Infinity);
    return now < renewAt;
}
/**
 * Builds the credential once per run (MSAL's state lives in the instance). Every federated token and
 * access token goes through `mask` before anything can log it; nothing is written to disk (no
 * persistence options, no token files).
 */
function createFederatedCredential(options) {
    const now = options.now ?? Date.now;
    let lastClaims;
    // Errors the token source threw during the current acquisition (MSAL wraps them in its own).
    const sourceErrors = [];
    let assertion;
    const fetchAssertion = async () => {
        let jwt;
        try {
            jwt = await options.tokenSource(options.audience);
        }
        catch (error) {
            const described = describeTokenSourceFailure(error, options.audience);
            sourceErrors.push(described);
            throw described;
        }
        options.mask(jwt);
        lastClaims = readFederatedClaims(jwt);
        return jwt;
    };
    const credential = new dist_esm/* ClientAssertionCredential */.XI(options.tenantId, options.clientId, () => (assertion ??= fetchAssertion()), {
        authorityHost: options.authorityHost,
        // Skips MSAL's instance-discovery call to login.microsoftonline.com: the authority is known
        // (sovereign clouds, and the 127.0.0.1 fakes, would otherwise fail validation).
        disableInstanceDiscovery: true,
        ...trustExtraCa(options.extraCaPem),
    });
    const acquire = async (scope) => {
        assertion = undefined;
        sourceErrors.length = 0;
        try {
            const token = await credential.getToken(scope);
            options.mask(token.token);
            return token;
        }
        catch (error) {
            const [sourceError] = sourceErrors;
            if (sourceError)
                throw sourceError;
            throw describeEntraFailure(error, {
                tenantId: options.tenantId,
                clientId: options.clientId,
                audience: options.audience,
                authorityHost: options.authorityHost,
                environment: options.environment,
                scope,
                federated: lastClaims,
            });
        }
        finally {
            assertion = undefined;
        }
    };
    const cache = new Map();
    // Concurrent requests (API calls, watches, log streams) for the same scope share one acquisition.
    const inFlight = new Map();
    return async (scope) => {
        const cached = cache.get(scope);
        if (cached && isTokenFresh(cached, now()))
            return cached.token;
        let pending = inFlight.get(scope);
        if (!pending) {
            pending = acquire(scope).finally(() => inFlight.delete(scope));
            inFlight.set(scope, pending);
        }
        const token = await pending;
        cache.set(scope, token);
        return token.token;
    };
}

;// CONCATENATED MODULE: ./src/azure/environments.ts
/**
 * Where each Azure cloud signs in and manages resources. Sources: @azure/identity `AzureAuthorityHosts`
 * (authority hosts), Azure CLI / az cloud show (ARM endpoints), the portal host from core/monitor-url.
 */

const CLOUDS = {
    AzureCloud: { authorityHost: 'https://login.microsoftonline.com', resourceManager: 'https://management.azure.com' },
    AzureUSGovernment: { authorityHost: 'https://login.microsoftonline.us', resourceManager: 'https://management.usgovcloudapi.net' },
    AzureChinaCloud: { authorityHost: 'https://login.chinacloudapi.cn', resourceManager: 'https://management.chinacloudapi.cn' },
};
/**
 * Environment variables the entry files read into EndpointOverrides (endpointOverridesFromEnv). They
 * exist so the bundled action, run as a child process by the tests, talks to the fakes; they are not
 * action inputs, because a workflow has no reason to redirect sign-in.
 */
const ENDPOINT_ENV = {
    authorityHost: 'POLYSYNC_AZURE_AUTHORITY_HOST',
    resourceManager: 'POLYSYNC_ARM_ENDPOINT',
};
const trimSlash = (url) => url.replace(/\/+$/, '');
/** The endpoints of a cloud, with overrides applied. Overrides must be https (MSAL requires it). */
function azureEndpoints(environment, overrides = {}) {
    const cloud = CLOUDS[environment];
    for (const [name, value] of [['authorityHost', overrides.authorityHost], ['resourceManager', overrides.resourceManager]]) {
        if (value !== undefined && !/^https:\/\/[^/]/.test(value)) {
            throw new Error(`Azure ${name} override must be an https URL; got '${value}'.`);
        }
    }
    return {
        authorityHost: trimSlash(overrides.authorityHost ?? cloud.authorityHost),
        resourceManager: trimSlash(overrides.resourceManager ?? cloud.resourceManager),
        resourceManagerScope: `${cloud.resourceManager}/.default`,
        portalHost: PORTAL_HOST[environment],
    };
}
/** Reads ENDPOINT_ENV from an environment map; empty values count as unset. */
function endpointOverridesFromEnv(env) {
    const authorityHost = env[ENDPOINT_ENV.authorityHost] || undefined;
    const resourceManager = env[ENDPOINT_ENV.resourceManager] || undefined;
    return {
        ...(authorityHost === undefined ? {} : { authorityHost }),
        ...(resourceManager === undefined ? {} : { resourceManager }),
    };
}

;// CONCATENATED MODULE: ./src/azure/kubeconfig.ts
/**
 * The kubeconfig ARM returns → a client-node KubeConfig that needs no kubelogin on the runner.
 *
 * An Entra-enabled AKS cluster's kubeconfig has a user with `exec: kubelogin` (or the legacy
 * `auth-provider: azure`), and client-node's built-in ExecAuth/AzureAuth would try to run them. We keep
 * the cluster (server, CA, proxy, TLS name) and the context's namespace, and replace the user with one
 * only our Authenticator recognises. client-node 2.x calls `applySecurityAuthentication` → `applyOptions`
 * → `applyAuthorizationHeader` before EVERY generated API request (makeApiClient's authMethods.default),
 * and `Watch.watch` and `Log.log` call the same method per request (dist/config.js, watch.js, log.js at
 * 2.0.1), so each request asks the credential for a token and MSAL's cache decides whether to renew.
 * Built-in authenticators are tried first: our user must carry no exec, no token, and no auth-provider
 * named azure/gcp/oidc/exec or with a tokenFile/exec config (api-notes §1.3).
 */


/** The AKS Entra server application; "the same in all environments" (kubelogin docs, concepts/aks.md). */
const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
const AUTH_PROVIDER_NAME = 'polysync-entra';
function argValue(args, flag) {
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === flag && typeof args[i + 1] === 'string')
            return args[i + 1];
        if (typeof a === 'string' && a.startsWith(`${flag}=`))
            return a.slice(flag.length + 1);
    }
    return undefined;
}
/** Recognises AKS's two Entra user shapes (pure); anything else is used as given. */
function classifyAksUser(user) {
    const exec = user?.exec;
    if (exec && typeof exec.command === 'string' && /(^|[\\/])kubelogin(\.exe)?$/.test(exec.command)) {
        const args = Array.isArray(exec.args) ? exec.args : [];
        return { kind: 'entra', serverId: argValue(args, '--server-id') ?? AKS_SERVER_APP_ID };
    }
    const provider = user?.authProvider;
    if (provider?.name === 'azure') {
        const id = provider.config?.['apiserver-id'];
        return { kind: 'entra', serverId: typeof id === 'string' && id !== '' ? id : AKS_SERVER_APP_ID };
    }
    return { kind: 'local' };
}
/** Sets `Authorization: Bearer <Entra token for <serverId>/.default>` on every request of its users. */
class EntraTokenAuthenticator {
    accessToken;
    constructor(accessToken) {
        this.accessToken = accessToken;
    }
    isAuthProvider(user) {
        return user.authProvider?.name === AUTH_PROVIDER_NAME;
    }
    async applyAuthentication(user, opts) {
        const serverId = user.authProvider.config['server-id'];
        const token = await this.accessToken(`${serverId}/.default`);
        opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
    }
}
/**
 * Builds the KubeConfig for the current context of `yaml`. Local-account credentials (client key,
 * token, password) are masked and used as given; Entra users get EntraTokenAuthenticator.
 */
function buildAksKubeConfig(yaml, accessToken, mask) {
    const loaded = new dist/* KubeConfig */.ypW();
    try {
        loaded.loadFromString(yaml);
    }
    catch (error) {
        throw new AuthError(`The kubeconfig ARM returned could not be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const context = loaded.getContextObject(loaded.getCurrentContext());
    const cluster = loaded.getCurrentCluster();
    const user = loaded.getCurrentUser();
    if (!context || !cluster)
        throw new AuthError('The kubeconfig ARM returned has no current context with a cluster.');
    const kind = classifyAksUser(user);
    if (kind.kind === 'local') {
        for (const secret of [user?.token, user?.keyData, user?.password])
            if (secret)
                mask(secret);
        return { kubeConfig: loaded, user: kind };
    }
    const kubeConfig = new dist/* KubeConfig */.ypW();
    const userName = user?.name ?? 'aks-entra';
    kubeConfig.loadFromOptions({
        clusters: [cluster],
        users: [{ name: userName, authProvider: { name: AUTH_PROVIDER_NAME, config: { 'server-id': kind.serverId } } }],
        contexts: [{ ...context, user: userName }],
        currentContext: context.name,
    });
    kubeConfig.addAuthenticator(new EntraTokenAuthenticator(accessToken));
    return { kubeConfig, user: kind };
}

;// CONCATENATED MODULE: ./src/azure/sign-in.ts






/**
 * Signs in and returns the KubeConfig. Errors are AuthError with what to fix (AADSTS codes, ARM
 * CloudErrors). For an Entra cluster one AKS token is fetched here, so a refusal for the cluster's
 * resource surfaces at sign-in rather than on the first Kubernetes call.
 */
async function signInToAks(conn, tokenSource, mask, options = {}) {
    const endpoints = azureEndpoints(conn.environment, options.endpoints);
    const tls = options.extraCaPem === undefined ? {} : { extraCaPem: options.extraCaPem };
    const accessToken = createFederatedCredential({
        tenantId: conn.tenantId,
        clientId: conn.clientId,
        audience: conn.audience,
        authorityHost: endpoints.authorityHost,
        environment: conn.environment,
        tokenSource,
        mask,
        ...tls,
    });
    const armToken = await accessToken(endpoints.resourceManagerScope);
    const yaml = await listClusterKubeconfig(conn, {
        resourceManager: endpoints.resourceManager,
        accessToken: armToken,
        caller: { clientId: conn.clientId },
        ...tls,
    });
    const { kubeConfig, user } = buildAksKubeConfig(yaml, accessToken, mask);
    if (user.kind === 'entra')
        await accessToken(`${user.serverId}/.default`);
    return { kubeConfig, monitorUrl: monitorUrl(conn) ?? '' };
}

;// CONCATENATED MODULE: ./src/azure-devops/oidc-token.ts
/**
 * The federated token of an Azure Resource Manager service connection, from Azure DevOps' OIDC
 * endpoint (learn.microsoft.com rest/api/azure/devops/distributedtask/oidctoken/create; the same
 * request as @azure/identity's AzurePipelinesCredential):
 *   POST $(System.OidcRequestUri)?api-version=7.1&serviceConnectionId=<id>
 *   Authorization: Bearer $(System.AccessToken)      → 200 {"oidcToken": "<JWT>"}
 * A new token on every call: MSAL asks for one only when it needs a new Entra token, and Azure
 * DevOps' tokens live ~10 minutes, shorter than a long Job.
 */

const TIMEOUT_MS = 30_000;
/** What to do for a refused request, by status. */
function advice(status) {
    if (status === 401 || status === 203) {
        return "System.AccessToken was refused: make it available to the task (YAML jobs have it; in classic pipelines enable 'Allow scripts to access the OAuth token').";
    }
    if (status === 403)
        return 'The pipeline may not use this service connection: authorize it for the pipeline (service connection → Security → Pipeline permissions).';
    if (status === 404 || status === 400)
        return 'Check that the service connection exists in this project and uses workload identity federation.';
    return 'Azure DevOps could not issue the token; run the pipeline again.';
}
/**
 * A FederatedTokenSource for the connection. The audience argument is ignored: Azure DevOps issues
 * its tokens for api://AzureADTokenExchange, the audience Entra ID's federated credentials expect.
 */
function createOidcTokenSource(request, mask, fetchImpl = fetch) {
    if (!request.requestUri) {
        throw new AuthError('System.OidcRequestUri is not set: workload identity federation needs agent 3.220.5 or later on Azure DevOps Services.');
    }
    if (!request.accessToken) {
        throw new AuthError(advice(401));
    }
    const url = new URL(request.requestUri);
    url.searchParams.set('api-version', '7.1');
    url.searchParams.set('serviceConnectionId', request.serviceConnectionId);
    return async () => {
        let status;
        let text;
        try {
            const res = await fetchImpl(url.toString(), {
                method: 'POST',
                headers: {
                    authorization: `Bearer ${request.accessToken}`,
                    'content-type': 'application/json',
                    accept: 'application/json',
                    // Without it an expired token gets a 203 and a sign-in page instead of a 401.
                    'x-tfs-fedauthredirect': 'Suppress',
                },
                body: '{}',
                signal: AbortSignal.timeout(TIMEOUT_MS),
            });
            status = res.status;
            text = await res.text();
        }
        catch (err) {
            throw new AuthError(`Could not reach Azure DevOps' OIDC endpoint ${url.origin}${url.pathname}: ${err.message}.`, { cause: err });
        }
        let token;
        try {
            token = status === 200 ? JSON.parse(text).oidcToken : undefined;
        }
        catch {
            token = undefined;
        }
        if (typeof token === 'string' && token !== '') {
            mask(token);
            return token;
        }
        const detail = status === 200 ? 'the response has no oidcToken' : `HTTP ${status}${serverMessage(text)}`;
        throw new AuthError(`Azure DevOps did not issue an OIDC token for service connection '${request.serviceConnectionId}' (${detail}). ${advice(status)}`);
    };
}
/** The `message` of an Azure DevOps error body ({"$id","message","typeKey",...}), if any. */
function serverMessage(text) {
    try {
        const message = JSON.parse(text).message;
        return typeof message === 'string' && message !== '' ? `: ${message}` : '';
    }
    catch {
        return '';
    }
}

;// CONCATENATED MODULE: ./src/azure-devops/service-connection.ts
/**
 * Service connections as the agent hands them to a task (ENDPOINT_URL_<id>, ENDPOINT_DATA_<id>_<KEY>,
 * ENDPOINT_AUTH_SCHEME_<id>, ENDPOINT_AUTH_PARAMETER_<id>_<KEY>), read through task-lib's endpoint
 * functions behind `EndpointReader` so this file stays pure:
 * - Azure Resource Manager with workload identity federation: tenant and client id from the
 *   authorization parameters, subscription and cloud from the data (azure-pipelines-tasks
 *   azure-arm-rest AzureRMEndpoint.getEndpoint reads the same keys), ARM URL from the endpoint URL and
 *   the Entra authority from data `activeDirectoryAuthority`, so Azure Stack-like clouds follow them.
 * - Kubernetes: authorizationType Kubeconfig (+ optional clusterContext), or ServiceAccount /
 *   AzureSubscription (URL, CA, base64 token), as azure-pipelines-tasks kubernetes-common's
 *   getKubeconfigForCluster / createKubeconfig read them.
 * Every problem is an InputError that names the input, the connection and what to change.
 */




const WIF = 'workloadidentityfederation';
const SCHEME_HINTS = {
    serviceprincipal: 'a client secret or certificate',
    managedserviceidentity: "the agent's managed identity",
    publishprofile: 'a publish profile',
};
function connectionLabel(input, id) {
    return `Service connection '${id}' (input '${input}')`;
}
function required(input, id, kind) {
    const value = (id ?? '').trim();
    if (value !== '')
        return value;
    throw new InputError(`Input '${input}' is required: name ${kind}.`, { inputs: [input] });
}
/** The AzureRM connection's identity and endpoints; only workload identity federation is accepted. */
function readAzureRmConnection(idInput, reader) {
    const input = TaskInput.azureSubscription;
    const id = required(input, idInput, 'an Azure Resource Manager service connection that uses workload identity federation');
    const label = connectionLabel(input, id);
    const scheme = reader.scheme(id);
    if (scheme === undefined || scheme === '') {
        throw new InputError(`${label} reached the task without authorization details: check that it is an Azure Resource Manager service connection and that this pipeline is allowed to use it.`, { inputs: [input] });
    }
    if (scheme.toLowerCase() !== WIF) {
        const what = SCHEME_HINTS[scheme.toLowerCase()] ?? `scheme '${scheme}'`;
        throw new InputError(`${label} authenticates with ${what} (scheme ${scheme}); this task signs in only with workload identity federation (scheme WorkloadIdentityFederation). ` +
            'Convert the connection in Project settings → Service connections (Convert to workload identity federation), or create one with that authentication method.', { inputs: [input] });
    }
    const tenantId = reader.authParameter(id, 'tenantid');
    const clientId = reader.authParameter(id, 'serviceprincipalid');
    const missing = [tenantId ? undefined : 'tenantid', clientId ? undefined : 'serviceprincipalid'].filter((x) => x !== undefined);
    if (missing.length > 0) {
        throw new InputError(`${label} has no ${missing.join(' and ')} in its authorization parameters: recreate it with workload identity federation.`, { inputs: [input] });
    }
    const subscriptionId = reader.dataParameter(id, 'subscriptionid');
    const scopeLevel = reader.dataParameter(id, 'scopeLevel');
    if (!subscriptionId) {
        const scope = scopeLevel ? ` is scoped to a ${scopeLevel}, and` : '';
        throw new InputError(`${label}${scope} has no subscription: use a connection scoped to the subscription of the AKS cluster.`, { inputs: [input] });
    }
    const environment = reader.dataParameter(id, 'environment');
    const url = reader.url(id);
    const authority = reader.dataParameter(id, 'activeDirectoryAuthority');
    return {
        id,
        inputs: {
            [Input.clientId]: clientId ?? '',
            [Input.tenantId]: tenantId ?? '',
            [Input.subscriptionId]: subscriptionId,
            ...(environment ? { [Input.azureEnvironment]: environment } : {}),
        },
        endpoints: {
            ...(url ? { resourceManager: url } : {}),
            ...(authority ? { authorityHost: authority } : {}),
        },
    };
}
/** The kubeconfig (YAML) of a Kubernetes service connection. */
function readKubernetesConnection(idInput, reader) {
    const input = TaskInput.kubernetesServiceConnection;
    const id = required(input, idInput, 'a Kubernetes service connection');
    const label = connectionLabel(input, id);
    const type = reader.dataParameter(id, 'authorizationType') ?? 'Kubeconfig';
    const insecure = (reader.dataParameter(id, 'acceptUntrustedCerts') ?? '').toLowerCase() === 'true';
    let doc;
    if (type.toLowerCase() === 'kubeconfig') {
        const kubeconfig = reader.authParameter(id, 'kubeconfig');
        if (!kubeconfig)
            throw new InputError(`${label} has no kubeconfig: edit the connection and paste the cluster's kubeconfig.`, { inputs: [input] });
        try {
            doc = (0,yaml_dist/* parse */.qg)(kubeconfig);
            if (typeof doc !== 'object' || doc === null)
                throw new Error('not a YAML mapping');
        }
        catch (err) {
            throw new InputError(`${label} holds a kubeconfig that is not valid YAML: ${err.message}`, { inputs: [input], cause: err });
        }
        const context = reader.authParameter(id, 'clusterContext');
        if (context)
            doc['current-context'] = context;
    }
    else if (['serviceaccount', 'azuresubscription'].includes(type.toLowerCase())) {
        doc = serviceAccountKubeconfig(id, label, input, reader);
    }
    else {
        throw new InputError(`${label} uses authorization type '${type}'; supported are Kubeconfig, ServiceAccount and AzureSubscription.`, { inputs: [input] });
    }
    if (insecure)
        skipTlsVerify(doc);
    return (0,yaml_dist/* stringify */.As)(doc);
}
/** The ServiceAccount shape: server URL, the secret's ca.crt (base64) and token (base64). */
function serviceAccountKubeconfig(id, label, input, reader) {
    const server = reader.url(id);
    const ca = reader.authParameter(id, 'serviceAccountCertificate');
    const token64 = reader.authParameter(id, 'apiToken');
    if (!server || !token64) {
        throw new InputError(`${label} lacks its ${server ? 'token' : 'server URL'}: edit the connection and save it again.`, { inputs: [input] });
    }
    return {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'service-connection', cluster: { server, ...(ca ? { 'certificate-authority-data': ca } : {}) } }],
        users: [{ name: 'service-connection', user: { token: Buffer.from(token64, 'base64').toString('utf8') } }],
        contexts: [{ name: 'service-connection', context: { cluster: 'service-connection', user: 'service-connection' } }],
        'current-context': 'service-connection',
    };
}
/** The connection's "Accept untrusted certificates" box, as the Kubernetes tasks honour it. */
function skipTlsVerify(doc) {
    const clusters = Array.isArray(doc['clusters']) ? doc['clusters'] : [];
    for (const entry of clusters) {
        if (!entry.cluster)
            continue;
        delete entry.cluster['certificate-authority-data'];
        entry.cluster['insecure-skip-tls-verify'] = true;
    }
}

;// CONCATENATED MODULE: ./src/azure-devops/task-lib.ts
/** The endpoint getters with every value optional (task-lib throws or fails the task otherwise). */
function endpointReader(tl) {
    return {
        scheme: (id) => tl.getEndpointAuthorizationScheme(id, true),
        authParameter: (id, key) => tl.getEndpointAuthorizationParameter(id, key, true),
        dataParameter: (id, key) => tl.getEndpointDataParameter(id, key, true),
        url: (id) => tl.getEndpointUrl(id, true),
    };
}
/**
 * The job's access token: the SystemVssConnection endpoint's AccessToken, which the agent passes to
 * every task (azure-pipelines-tasks getSystemAccessToken), else the System.AccessToken variable.
 */
function systemAccessToken(tl) {
    let auth;
    try {
        auth = tl.getEndpointAuthorization('SYSTEMVSSCONNECTION', true);
    }
    catch {
        auth = undefined; // not JSON: fall back to the variable
    }
    const fromEndpoint = auth?.scheme?.toLowerCase() === 'oauth' ? auth.parameters['AccessToken'] : undefined;
    return fromEndpoint || tl.getVariable('System.AccessToken') || '';
}

;// CONCATENATED MODULE: ./src/azure-devops/task-connection.ts
/**
 * What the task's connection inputs mean: the service connection chosen by `connectionType` gives
 * the core its identity or kubeconfig inputs, and, for Azure, the OIDC token source and endpoints
 * used to sign in exactly as the action does (src/azure/sign-in.ts).
 */








/** @throws InputError when the connection type or the service connection cannot be used */
function readTaskConnection(tl, env, fetchImpl) {
    const getInput = (name) => tl.getInput(name, false);
    const type = readConnectionType(getInput);
    const endpoints = endpointReader(tl);
    let azure;
    let fromConnection;
    if (type === ConnectionType.azureResourceManager) {
        azure = readAzureRmConnection(getInput(TaskInput.azureSubscription), endpoints);
        fromConnection = azure.inputs;
    }
    else {
        fromConnection = { [Input.kubeconfig]: readKubernetesConnection(getInput(TaskInput.kubernetesServiceConnection), endpoints) };
    }
    return {
        read: coreInputReader(getInput, type, fromConnection),
        async connect(settings, mask) {
            const c = settings.connection;
            if (c.kind === 'kubeconfig' || azure === undefined) {
                return { kubeConfig: loadKubeConfig(c.kind === 'kubeconfig' ? c.kubeconfig : undefined, env, mask), monitorUrl: undefined };
            }
            const tokenSource = createOidcTokenSource({ requestUri: tl.getVariable('System.OidcRequestUri') ?? '', accessToken: systemAccessToken(tl), serviceConnectionId: azure.id }, mask, fetchImpl);
            return signInToAks(c, tokenSource, mask, { endpoints: azure.endpoints });
        },
    };
}

;// CONCATENATED MODULE: ./src/azure-devops/main-step.ts
/**
 * The task's main execution: read inputs and the service connection, connect, run the Job, and set
 * the task result: Succeeded when the Job succeeded, Cancelled when the agent cancelled the step
 * (it sends SIGINT, then SIGTERM: azure-pipelines-agent docs/design/jobcancellation.md), Failed
 * otherwise, a `timeout` input that expires included.
 */










async function mainStep(tl, env, fetchImpl) {
    const reporter = new AzureDevOpsReporter(tl);
    let run;
    try {
        // Bad inputs or a bad service connection fail here, before anything connects or is created.
        const task = readTaskConnection(tl, env, fetchImpl);
        const settings = parseRunSettings(task.read);
        run = runSignal(settings.timeoutSeconds);
        const { kubeConfig, monitorUrl } = await reporter.group('Connect', () => task.connect(settings, (s) => reporter.setSecret(s)));
        const cluster = new KubeJobCluster(kubeConfig, systemClock, reporter);
        const context = runContextFromVariables((name) => tl.getVariable(name));
        const result = await runJob(settings, { cluster, reporter, clock: systemClock, context, random: Math.random, monitorUrl }, run.signal);
        tl.setResult(tl.TaskResult.Succeeded, `jobs/${settings.namespace}/${result.name}: ${result.status}`);
    }
    catch (thrown) {
        const message = inTaskTerms(toError(thrown).message);
        if (cancelledByAgent(run)) {
            reporter.info(message);
            tl.setResult(tl.TaskResult.Cancelled, message);
        }
        else {
            tl.setResult(tl.TaskResult.Failed, message);
        }
    }
    finally {
        run?.dispose();
    }
}
/** The agent cancelled the step (a signal), as opposed to the task's own `timeout` input. */
function cancelledByAgent(run) {
    const reason = run?.signal.aborted ? run.signal.reason : undefined;
    return reason === 'SIGINT' || reason === 'SIGTERM';
}


/***/ })

};
