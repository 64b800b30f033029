/**
 * What every input parser shares: reading an input ('' means not given, then action.yml's
 * default), collecting every problem at once, and the small value parsers both the run and the
 * connection settings use. Pure.
 */
import { InputError } from './errors.js';
import { DEFAULTS, type InputName } from './names.js';

/** Reads one input's raw value ('' when not given). */
export type InputReader = (name: InputName) => string;

/** Collects InputErrors; each parse step yields a placeholder so the others still run. */
export class Problems {
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

export function given(read: InputReader, name: InputName): string | undefined {
  const value = read(name).trim();
  return value === '' ? undefined : value;
}

export function orDefault(read: InputReader, name: InputName): string {
  return given(read, name) ?? DEFAULTS[name] ?? '';
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Only true/false, any case (as @actions/core's getBooleanInput, without its YAML 1.2 quirks). */
export function parseBoolean(input: InputName, value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  throw InputError.invalid(input, value, "'true' or 'false'");
}

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

export const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');
