import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { paramWarnings, parseParams } from '../../src/core/params.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).inputs).toEqual(['params']);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseParams', () => {
  it.each<[string, Array<[string, string]>]>([
    ['{}', []],
    ['  { }  ', []],
    ['{"A":"x"}', [['A', 'x']]],
    ['{"B":"2","A":"1"}', [['B', '2'], ['A', '1']]],
    ['{"N": 42, "F": -1.50, "E": 1e3, "BIG": 12345678901234567890}', [['N', '42'], ['F', '-1.50'], ['E', '1e3'], ['BIG', '12345678901234567890']]],
    ['{"T": true, "F": false}', [['T', 'true'], ['F', 'false']]],
    ['{"S": "", "U": "caf\\u00e9 \\"q\\" \\n"}', [['S', ''], ['U', 'café "q" \n']]],
    ['{\n  "my.var": "a",\n  "-x_y": "b"\n}', [['my.var', 'a'], ['-x_y', 'b']]],
    ['{"A":"{\\"nested\\": 1}"}', [['A', '{"nested": 1}']]],
  ])('%s', (text, expected) => {
    expect(parseParams(text)).toEqual(expected);
  });

  const object = `Input 'params' must be a JSON object like '{"NAME": "value"}'`;
  it.each([
    ['{"A": }', `${object}; got invalid JSON at line 1, column 7: expected a value.`],
    ['{"A": "x"', `${object}; got invalid JSON at line 1, column 10: expected ',' or '}' after a property value.`],
    ["{'A': 'x'}", `${object}; got invalid JSON at line 1, column 2: expected a property name in double quotes.`],
    ['{"A": "x",}', `${object}; got invalid JSON at line 1, column 11: expected a property name in double quotes.`],
    ['{\n  "A": "x"\n  "B": "y"\n}', `${object}; got invalid JSON at line 3, column 3: expected ',' or '}' after a property value.`],
    ['{"A" "x"}', `${object}; got invalid JSON at line 1, column 6: expected ':' after the property name.`],
    ['{"A": "x"} extra', `${object}; got invalid JSON at line 1, column 12: unexpected text after the JSON value.`],
    ['{"A": "a\tb"}', `${object}; got invalid JSON at line 1, column 7: unterminated string or invalid escape/control character in it.`],
    ['{"A": 01}', `${object}; got invalid JSON at line 1, column 8: expected ',' or '}' after a property value.`],
    ['{"A": [1, 2,]}', `${object}; got invalid JSON at line 1, column 13: expected a value.`],
    ['{"A": [' + '['.repeat(70), `${object}; got invalid JSON at line 1, column 71: nested more than 64 levels deep.`],
    ['A=1', `${object}; got invalid JSON at line 1, column 1: expected a value.`],
    ['[]', `${object}; got a JSON array.`],
    ['"A=1"', `${object}; got a JSON string.`],
    ['42', `${object}; got a JSON number.`],
    ['null', `${object}; got JSON null.`],
  ])('malformed or non-object %j', (text, message) => {
    expect(messageOf(() => parseParams(text))).toBe(message);
  });

  it.each([
    ['{"A": "1", "A": "2"}', "Input 'params' sets 'A' more than once (again at line 1, column 12); keep one."],
    ['{"A": null}', "Input 'params' sets 'A' to JSON null; a value must be a string, number or boolean."],
    ['{"A": {"b": 1}}', "Input 'params' sets 'A' to a JSON object; a value must be a string, number or boolean."],
    ['{"A": [1]}', "Input 'params' sets 'A' to a JSON array; a value must be a string, number or boolean."],
    ['{"1A": "x"}', "Input 'params' has an invalid env var name '1A': a name must start with a letter, '_', '-' or '.' and go on with letters, digits, '_', '-' or '.'."],
    ['{"": "x"}', "Input 'params' has an invalid env var name '': a name must start with a letter, '_', '-' or '.' and go on with letters, digits, '_', '-' or '.'."],
    ['{"A=B": "x"}', "Input 'params' has an invalid env var name 'A=B': a name must start with a letter, '_', '-' or '.' and go on with letters, digits, '_', '-' or '.'."],
    ['{"A B": "x"}', "Input 'params' has an invalid env var name 'A B': a name must start with a letter, '_', '-' or '.' and go on with letters, digits, '_', '-' or '.'."],
    ['{"A\\n": "x"}', "Input 'params' has an invalid env var name 'A\\n': a name must start with a letter, '_', '-' or '.' and go on with letters, digits, '_', '-' or '.'."],
    ['{"A": "x\\u0000y"}', "Input 'params' sets 'A' to a value containing a NUL character, which an environment variable cannot carry."],
  ])('bad member %s', (text, message) => {
    expect(messageOf(() => parseParams(text))).toBe(message);
  });

  it('reports every bad member at once, duplicates first', () => {
    const text = '{\n "A": 1,\n "B": null,\n "A": 2,\n "9": "x"\n}';
    expect(messageOf(() => parseParams(text))).toBe(
      [
        '3 inputs are invalid:',
        "- Input 'params' sets 'A' more than once (again at line 4, column 2); keep one.",
        "- Input 'params' sets 'B' to JSON null; a value must be a string, number or boolean.",
        "- Input 'params' has an invalid env var name '9': a name must start with a letter, '_', '-' or '.' and go on with letters, digits, '_', '-' or '.'.",
      ].join('\n'),
    );
  });

  it('reports a duplicate even when JSON.parse would accept the text', () => {
    const text = '{"TARGET": "staging", "TARGET": "prod"}';
    expect(JSON.parse(text)).toEqual({ TARGET: 'prod' });
    expect(messageOf(() => parseParams(text))).toBe("Input 'params' sets 'TARGET' more than once (again at line 1, column 23); keep one.");
  });
});

describe('paramWarnings', () => {
  it('warns for names a shell cannot expand, only', () => {
    expect(paramWarnings([['OK_1', 'x'], ['my.var', 'y'], ['-x', 'z'], ['_A', 'w']])).toEqual([
      "Param 'my.var' is a valid Kubernetes env var name, but a shell cannot expand it as $my.var; read it with printenv or your language's environment API.",
      "Param '-x' is a valid Kubernetes env var name, but a shell cannot expand it as $-x; read it with printenv or your language's environment API.",
    ]);
  });
});
