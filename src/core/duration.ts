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
import { InputError } from './errors.js';

const PART = /(\d+)([hms])/gy;
const UNIT_SECONDS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1 };
const ORDER = 'hms';
/** 596h: the largest whole number of hours a Node timer can wait (2^31-1 ms). */
export const MAX_DURATION_SECONDS = 596 * 3600;
const EXPECTED = "a duration like '30m', '90s' or '2h'";

/** Seconds in `text`, or undefined when it does not follow the grammar (no range check). */
function seconds(text: string): number | undefined {
  PART.lastIndex = 0;
  let total = 0;
  let lastUnit = -1;
  let end = 0;
  let match: RegExpExecArray | null;
  while ((match = PART.exec(text)) !== null) {
    const [, digits = '', unit = ''] = match;
    const rank = ORDER.indexOf(unit);
    if (rank <= lastUnit) return undefined;
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
export function parseDuration(input: string, value: string): number {
  const text = value.trim().toLowerCase();
  const total = text === '' ? undefined : seconds(text);
  if (total === undefined) throw InputError.invalid(input, value, EXPECTED);
  if (total === 0) throw InputError.invalid(input, value, `a duration longer than zero, like '30m'`);
  if (total > MAX_DURATION_SECONDS) throw InputError.invalid(input, value, 'a duration of at most 596h');
  return total;
}
