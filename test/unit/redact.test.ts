import { describe, expect, it } from 'vitest';
import { redact, redactingReporter, secretParts } from '../../src/run/redact.js';
import { RecordingReporter } from '../support/recording-reporter.js';

describe('secretParts', () => {
  it.each<[string[], string[]]>([
    [['hunter2'], ['hunter2']],
    [['line one\nline two'], ['line one\nline two', 'line one', 'line two']],
    [['', '  ', 'x\r\n'], ['x\r\n', 'x']],
  ])('%j → %j', (values, parts) => {
    expect(secretParts(values)).toEqual(parts);
  });
});

describe('redact', () => {
  it.each<[string, string[], string]>([
    ['DB_PASSWORD=hunter2 and again hunter2', ['hunter2'], 'DB_PASSWORD=*** and again ***'],
    ['a\nb', secretParts(['a\nb']), '***'],
    ['first line only: line one', secretParts(['line one\nline two']), 'first line only: ***'],
    ['nothing secret', ['hunter2'], 'nothing secret'],
  ])('%j', (text, parts, out) => {
    expect(redact(text, parts)).toBe(out);
  });
});

describe('redactingReporter', () => {
  it('masks every part at once and redacts lines, annotations, outputs and the summary', async () => {
    const inner = new RecordingReporter(false);
    const reporter = redactingReporter(inner, ['s3cret']);
    expect(inner.secrets).toEqual(['s3cret']);
    reporter.info('TOKEN=s3cret');
    reporter.warning('saw s3cret', 'Title');
    reporter.setOutput('result', '{"token":"s3cret"}');
    await reporter.writeSummary('| s3cret |');
    expect([inner.lines, inner.annotations, inner.outputs, inner.summary]).toEqual([
      ['TOKEN=***'], [{ level: 'warning', message: 'saw ***', title: 'Title' }], { result: '{"token":"***"}' }, '| *** |',
    ]);
  });

  it('keeps what the platform renders (a GitHub summary draws the Mermaid timeline)', () => {
    const inner = Object.assign(new RecordingReporter(false), { rendersMermaid: true });
    expect(redactingReporter(inner, ['s3cret']).rendersMermaid).toBe(true);
    expect(redactingReporter(new RecordingReporter(false), ['s3cret']).rendersMermaid).toBeUndefined();
  });

  it('is the reporter itself without secret params', () => {
    const inner = new RecordingReporter(false);
    expect(redactingReporter(inner, [])).toBe(inner);
  });
});
