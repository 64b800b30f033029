import { describe, expect, it } from 'vitest';
import { fnv1a, labelValue, maxRunNameLength, runJobName, SUFFIX_ALPHABET } from '../../src/core/naming.js';

/** Cycles through fixed numbers in [0, 1): the suffix is then known in advance. */
function fixedRandom(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}
const FIRST = fixedRandom(0); // always 'b', the alphabet's first character
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('runJobName', () => {
  const long60 = 'a'.repeat(30) + '-' + 'b'.repeat(29);
  const long253 = Array.from({ length: 4 }, () => 'x'.repeat(62)).join('.') + '.y';
  it.each([
    ['nightly-export', 63, 'nightly-export-bbbbb'],
    ['db.migrate.v2', 63, 'db-migrate-v2-bbbbb'],
    ['Mixed.Case', 63, 'mixed-case-bbbbb'],
    [long60, 63, `${'a'.repeat(30)}-${'b'.repeat(26)}-bbbbb`],
    // the cut lands right after '-': the dash is stripped, not doubled
    ['a'.repeat(56) + '-tail', 63, `${'a'.repeat(56)}-bbbbb`],
    [long253, 63, `${'x'.repeat(57)}-bbbbb`],
    // Indexed Job with 100 completions: `<name>-99` must stay a label, so 60 characters at most
    [long60, 60, `${'a'.repeat(30)}-${'b'.repeat(23)}-bbbbb`],
    ['-.-', 63, 'job-bbbbb'],
  ])('%j (max %d) → %j', (source, max, expected) => {
    const name = runJobName(source, FIRST, max);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(max);
    expect(name).toMatch(DNS_LABEL);
  });

  it('draws the suffix from the generateName alphabet', () => {
    const last = (SUFFIX_ALPHABET.length - 1) / SUFFIX_ALPHABET.length;
    // 0 → index 0 'b', 0.5 → 13 'r', 26/27 → 26 '9', 0.999999 → 26 '9', 0.2 → 5 'h'
    expect(runJobName('a', fixedRandom(0, 0.5, last, 0.999999, 0.2))).toBe('a-br99h');
  });

  it('stays a label for a random source returning exactly 1 (out of contract)', () => {
    expect(runJobName('a', () => 1)).toBe('a-99999');
  });
});

describe('maxRunNameLength', () => {
  it.each([
    [undefined, 63],
    [{ template: {} }, 63],
    [{ template: {}, completionMode: 'NonIndexed', completions: 1000 }, 63],
    [{ template: {}, completionMode: 'Indexed' }, 63],
    [{ template: {}, completionMode: 'Indexed', completions: 1 }, 61],
    [{ template: {}, completionMode: 'Indexed', completions: 10 }, 61],
    [{ template: {}, completionMode: 'Indexed', completions: 11 }, 60],
    [{ template: {}, completionMode: 'Indexed', completions: 100000 }, 57],
  ])('%j → %d', (spec, max) => {
    expect(maxRunNameLength(spec)).toBe(max);
  });
});

describe('labelValue', () => {
  const long253 = Array.from({ length: 4 }, () => 'x'.repeat(62)).join('.') + '.y';
  it.each([
    ['nightly-export', 'nightly-export'],
    ['a.b_c', 'a.b_c'],
    ['x'.repeat(63), 'x'.repeat(63)],
    ['x'.repeat(64), `${'x'.repeat(54)}-${fnv1a('x'.repeat(64))}`],
    [long253, `${'x'.repeat(54)}-${fnv1a(long253)}`],
    // a cut right after '.': trailing punctuation stripped before the hash
    [`${'x'.repeat(53)}.${'y'.repeat(20)}`, `${'x'.repeat(53)}-${fnv1a(`${'x'.repeat(53)}.${'y'.repeat(20)}`)}`],
  ])('%j → %j', (text, expected) => {
    const value = labelValue(text);
    expect(value).toBe(expected);
    expect(value.length).toBeLessThanOrEqual(63);
  });

  it('gives two long names with the same prefix different values', () => {
    expect(labelValue('p'.repeat(70) + 'a')).not.toBe(labelValue('p'.repeat(70) + 'b'));
  });
});

describe('fnv1a', () => {
  it.each([
    ['', '811c9dc5'],
    ['a', 'e40c292c'],
    ['foobar', 'bf9cf968'],
  ])('%j → %s (published FNV-1a 32-bit test vectors)', (text, hash) => {
    expect(fnv1a(text)).toBe(hash);
  });
});
