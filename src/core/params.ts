/**
 * The `params` input: a JSON object of env var name → value, overlaid on container[0]'s env.
 *
 * A small JSON reader of our own instead of JSON.parse, for three reasons:
 * - duplicate keys: JSON.parse silently keeps the last one; we report both positions' key;
 * - positions: V8's messages only sometimes carry one; ours always give line and column;
 * - numbers keep their source text (`12345678901234567890` stays exact; JSON.parse would round).
 * It follows RFC 8259's grammar; scalars are decoded with JSON.parse on their exact token.
 */
import { InputError, shown } from './errors.js';
import { Input, type InputName } from './names.js';

/**
 * Kubernetes' env var name rule, IsEnvVarName (apimachinery pkg/util/validation/validation.go):
 * accepted by every supported cluster version. (Clusters with RelaxedEnvironmentVariableValidation
 * accept more, but a workflow should not depend on the cluster's version to be valid.)
 */
export const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** Names a POSIX shell can expand ($NAME): anything else gets a warning, not an error. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EXPECTED = `a JSON object like '{"NAME": "value"}'`;
const MAX_DEPTH = 64;

type Kind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';
interface Member {
  readonly key: string;
  readonly at: number;
  readonly kind: Kind;
  /** Decoded string, the number's source text, or 'true' / 'false'. */
  readonly text: string;
}

class JsonSyntaxError extends Error {
  constructor(readonly what: string, readonly at: number) {
    super(what);
  }
}

// eslint-disable-next-line no-control-regex -- RFC 8259 forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** Recursive descent over RFC 8259 JSON; only the top-level object's members are kept. */
class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  private skipSpace(): void {
    while (' \t\n\r'.includes(this.text[this.pos] ?? 'x')) this.pos++;
  }

  private token(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m === null) return undefined;
    this.pos = re.lastIndex;
    return m[0];
  }

  private expect(char: string, what: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char) throw new JsonSyntaxError(what, this.pos);
    this.pos++;
  }

  /** The whole document: one value, then only whitespace. */
  document(): { kind: Kind; members: Member[] } {
    const members: Member[] = [];
    const value = this.value(0, members);
    this.skipSpace();
    if (this.pos < this.text.length) throw new JsonSyntaxError('unexpected text after the JSON value', this.pos);
    return { kind: value.kind, members };
  }

  private value(depth: number, members: Member[] | undefined): { kind: Kind; text: string } {
    this.skipSpace();
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`nested more than ${MAX_DEPTH} levels deep`, this.pos);
    const c = this.text[this.pos];
    if (c === '{') return { kind: 'object', text: this.object(depth, members) };
    if (c === '[') return { kind: 'array', text: this.array(depth) };
    const str = this.token(STRING);
    if (str !== undefined) return { kind: 'string', text: JSON.parse(str) as string };
    const num = this.token(NUMBER);
    if (num !== undefined) return { kind: 'number', text: num };
    const lit = this.token(LITERAL);
    if (lit !== undefined) return { kind: lit === 'null' ? 'null' : 'boolean', text: lit };
    if (c === '"') throw new JsonSyntaxError('unterminated string or invalid escape/control character in it', this.pos);
    throw new JsonSyntaxError(c === undefined ? 'expected a value, got the end of the text' : 'expected a value', this.pos);
  }

  private object(depth: number, members: Member[] | undefined): string {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') return (this.pos++, '');
    for (;;) {
      this.skipSpace();
      const at = this.pos;
      const key = this.token(STRING);
      if (key === undefined) throw new JsonSyntaxError('expected a property name in double quotes', at);
      this.expect(':', "expected ':' after the property name");
      const value = this.value(depth + 1, undefined);
      members?.push({ key: JSON.parse(key) as string, at, kind: value.kind, text: value.text });
      this.skipSpace();
      if (this.text[this.pos] === '}') return (this.pos++, '');
      this.expect(',', "expected ',' or '}' after a property value");
    }
  }

  private array(depth: number): string {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') return (this.pos++, '');
    for (;;) {
      this.value(depth + 1, undefined);
      this.skipSpace();
      if (this.text[this.pos] === ']') return (this.pos++, '');
      this.expect(',', "expected ',' or ']' after an array element");
    }
  }
}

/** 1-based line and column of an offset. */
function lineColumn(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

const ARTICLE: Readonly<Record<Kind, string>> = {
  string: 'a JSON string', number: 'a JSON number', boolean: 'a JSON boolean',
  null: 'JSON null', object: 'a JSON object', array: 'a JSON array',
};

/** Problems of one member (name rule, value type, NUL), or undefined when it is fine. */
function memberProblem(m: Member, input: InputName): InputError | undefined {
  if (!ENV_VAR_NAME.test(m.key)) {
    return new InputError(
      `Input '${input}' has an invalid env var name '${shown(m.key)}': a name must start with a letter, '_', '-' or '.' and go on with letters, digits, '_', '-' or '.'.`,
      { inputs: [input] },
    );
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
function duplicates(text: string, members: readonly Member[], input: InputName): InputError[] {
  const seen = new Set<string>();
  const errors: InputError[] = [];
  for (const m of members) {
    if (seen.has(m.key)) {
      errors.push(new InputError(
        `Input '${input}' sets '${shown(m.key)}' more than once (again at ${lineColumn(text, m.at)}); keep one.`,
        { inputs: [input] },
      ));
    }
    seen.add(m.key);
  }
  return errors;
}

/**
 * Parses the `params` JSON into ordered [name, value] pairs. Strings are taken as given, numbers
 * keep their JSON text, booleans become `true` / `false`. `secret-params` follows the same rules;
 * no message quotes a value, so secret values never reach an error.
 * @throws InputError (every problem at once: syntax, non-object, duplicates, names, values)
 */
export function parseParams(text: string, input: InputName = Input.params): Array<readonly [string, string]> {
  let doc: ReturnType<Reader['document']>;
  try {
    doc = new Reader(text).document();
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw new InputError(`Input '${input}' must be ${EXPECTED}; got invalid JSON at ${lineColumn(text, e.at)}: ${e.what}.`, { inputs: [input], cause: e });
  }
  if (doc.kind !== 'object') {
    throw new InputError(`Input '${input}' must be ${EXPECTED}; got ${ARTICLE[doc.kind]}.`, { inputs: [input] });
  }
  const errors = [...duplicates(text, doc.members, input), ...doc.members.flatMap((m) => memberProblem(m, input) ?? [])];
  if (errors.length > 0) throw InputError.combine(errors);
  return doc.members.map((m) => [m.key, m.text] as const);
}

/**
 * Warnings (not errors) for names Kubernetes accepts but a shell cannot expand, e.g. `my.var`:
 * a script in the container would need `printenv my.var` rather than `$my.var`.
 */
export function paramWarnings(params: ReadonlyArray<readonly [string, string]>): string[] {
  return params
    .filter(([name]) => !SHELL_NAME.test(name))
    .map(([name]) => `Param '${name}' is a valid Kubernetes env var name, but a shell cannot expand it as $${name}; read it with printenv or your language's environment API.`);
}
