import { describe, expect, it } from 'vitest';
import { LogPosition, timeKey } from '../../src/core/log-position.js';

const at = (time: string, text: string) => ({ time, text });

/** Feeds streams through one position; returns what each stream printed. */
function printed(streams: ReadonlyArray<ReadonlyArray<{ time: string; text: string }>>): string[][] {
  const position = new LogPosition();
  return streams.map((lines) => {
    const pass = position.resume();
    return lines.filter(pass).map((l) => l.text);
  });
}

describe('timeKey', () => {
  it.each([
    ['2026-12-07T10:00:01.300000000Z', '2026-12-07T10:00:01.300000000'],
    ['2026-12-07T10:00:01.3Z', '2026-12-07T10:00:01.300000000'],
    ['2026-12-07T10:00:01Z', '2026-12-07T10:00:01.000000000'],
    ['2026-12-07T11:00:01.05+01:00', '2026-12-07T10:00:01.050000000'],
    ['not a time', undefined],
    ['', undefined],
  ])('%s → %s', (time, key) => expect(timeKey(time)).toBe(key));
});

describe('LogPosition', () => {
  it('prints each line once when a stream resumes from the second of its last line', () => {
    expect(printed([
      [at('2026-12-07T10:00:00.1Z', 'l1'), at('2026-12-07T10:00:00.5Z', 'l2')],
      // sinceTime=10:00:00 repeats that second: both already printed
      [at('2026-12-07T10:00:00.1Z', 'l1'), at('2026-12-07T10:00:00.5Z', 'l2'), at('2026-12-07T10:00:01.2Z', 'l3')],
    ])).toEqual([['l1', 'l2'], ['l3']]);
  });

  it('keeps lines that share a timestamp apart by how many were printed', () => {
    const t = '2026-12-07T10:00:00.000000000Z';
    expect(printed([
      [at(t, 'a'), at(t, 'b')],
      [at(t, 'a'), at(t, 'b'), at(t, 'c'), at(t, 'd')],
      [at(t, 'a'), at(t, 'b'), at(t, 'c'), at(t, 'd'), at('2026-12-07T10:00:00.000000001Z', 'e')],
    ])).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('after log rotation (the new stream lacks the old file) prints what it never saw, not a line count later', () => {
    expect(printed([
      [at('2026-12-07T10:00:00.1Z', 'l1'), at('2026-12-07T10:00:00.2Z', 'l2'), at('2026-12-07T10:00:00.3Z', 'l3')],
      [at('2026-12-07T10:00:05.0Z', 'l9'), at('2026-12-07T10:00:06.0Z', 'l10')],
    ])).toEqual([['l1', 'l2', 'l3'], ['l9', 'l10']]);
  });

  it('sinceTime is the whole second of the last line printed; none before the first line', () => {
    const position = new LogPosition();
    expect(position.sinceTime()).toBeUndefined();
    expect(position.describe()).toBe('from its first line');
    const pass = position.resume();
    pass(at('2026-12-07T10:00:07.999Z', 'x'));
    pass(at('2026-12-07T10:00:08.25Z', 'y'));
    expect(position.sinceTime()).toBe('2026-12-07T10:00:08Z');
    expect(position.describe()).toBe('after line 2 (2026-12-07T10:00:08.250000000Z)');
  });

  it('prints lines without a timestamp as they come', () => {
    expect(printed([[at('', 'x'), at('', 'x')], [at('', 'y')]])).toEqual([['x', 'x'], ['y']]);
  });
});
