import { afterEach, describe, expect, it, vi } from 'vitest';
import { GitHubReporter, mayBeCommand } from '../../src/github/reporter.js';
import { parseWorkflowCommands } from '../../scripts/lib/runner.mjs';

describe('mayBeCommand', () => {
  it.each([
    ['::warning title=x::y', true],
    ['   ::error::indented', true],
    ['text\n::add-mask::second line', true],
    ['##[error]old syntax', true],
    ['prefix ##[group]anywhere', true],
    ['plain line with :: inside', false],
    ['#[not] a command', false],
  ])('%j → %s', (text, expected) => expect(mayBeCommand(text)).toBe(expected));
});

describe('GitHubReporter.info', () => {
  afterEach(() => vi.restoreAllMocks());

  function capture(fn: () => void): string {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    fn();
    vi.restoreAllMocks();
    return out;
  }

  it('fences pod output that looks like commands, so the runner runs none of them and keeps running ours', () => {
    const reporter = new GitHubReporter();
    const out = capture(() => {
      for (const line of ['::warning title=pod::from the pod', '::stop-commands::pwned', '::add-mask::word', '##[error]old', '::save-state name=x::y', 'plain']) {
        reporter.info(line);
      }
      reporter.error('the action\'s own error');
    });
    expect(out.split('\n').filter((l) => l === 'plain')).toHaveLength(1);
    expect(parseWorkflowCommands(out)).toEqual([{ command: 'error', properties: '', message: 'the action\'s own error' }]);
    const tokens = [...out.matchAll(/^::stop-commands::([0-9a-f-]{36})$/gm)].map((m) => m[1]);
    expect(tokens).toHaveLength(5);
    expect(new Set(tokens).size).toBe(5); // a fresh token each time: a pod cannot predict it
  });
});
