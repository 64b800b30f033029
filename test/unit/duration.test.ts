import { describe, expect, it } from 'vitest';
import { MAX_DURATION_SECONDS, parseDuration } from '../../src/core/duration.js';
import { InputError } from '../../src/core/errors.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1h0m30s', 3630],
    ['1m1s', 61],
    ['  45s ', 45],
    ['30M', 1800],
    ['596h', MAX_DURATION_SECONDS],
    ['0h1s', 1],
  ])('%j → %d seconds', (text, seconds) => {
    expect(parseDuration('timeout', text)).toBe(seconds);
  });

  const grammar = "must be a duration like '30m', '90s' or '2h'";
  it.each([
    ['abc', `Input 'timeout' ${grammar}; got 'abc'.`],
    ['30', `Input 'timeout' ${grammar}; got '30'.`],
    ['1.5h', `Input 'timeout' ${grammar}; got '1.5h'.`],
    ['-5m', `Input 'timeout' ${grammar}; got '-5m'.`],
    ['30m1h', `Input 'timeout' ${grammar}; got '30m1h'.`],
    ['1m1m', `Input 'timeout' ${grammar}; got '1m1m'.`],
    ['1 h', `Input 'timeout' ${grammar}; got '1 h'.`],
    ['5d', `Input 'timeout' ${grammar}; got '5d'.`],
    ['10ms', `Input 'timeout' ${grammar}; got '10ms'.`],
    ['', `Input 'timeout' ${grammar}; got ''.`],
    ['0s', "Input 'timeout' must be a duration longer than zero, like '30m'; got '0s'."],
    ['0h0m', "Input 'timeout' must be a duration longer than zero, like '30m'; got '0h0m'."],
    ['597h', "Input 'timeout' must be a duration of at most 596h; got '597h'."],
    ['99999999999999999999s', "Input 'timeout' must be a duration of at most 596h; got '99999999999999999999s'."],
  ])('%j is rejected', (text, message) => {
    expect(() => parseDuration('timeout', text)).toThrow(new InputError(message, { inputs: ['timeout'] }));
  });

  it('names the input it was given and sets inputs', () => {
    const error = (() => {
      try {
        parseDuration('image-pull-grace-period', 'soon');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`Input 'image-pull-grace-period' ${grammar}; got 'soon'.`);
    expect((error as InputError).inputs).toEqual(['image-pull-grace-period']);
  });
});
