/** The Azure DevOps Reporter, run context and Node check over a recording fake of task-lib. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AzureDevOpsReporter, neutralise, readState, SUMMARY_FILE } from '../../src/azure-devops/reporter.js';
import { runContextFromVariables } from '../../src/azure-devops/run-context.js';
import { checkNode, nodeSupported } from '../../src/azure-devops/node-guard.js';
import { systemAccessToken, type TaskLib } from '../../src/azure-devops/task-lib.js';

/** Records each task-lib call as the agent would see it. */
function fakeTaskLib(variables: Record<string, string> = {}): { tl: TaskLib; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const taskVariables: Record<string, string> = {};
  const record = (name: string) => (...args: unknown[]): void => void calls.push([name, ...args]);
  const tl = {
    TaskResult: { Succeeded: 0, SucceededWithIssues: 1, Failed: 2, Cancelled: 3, Skipped: 4 },
    debug: record('debug'), warning: record('warning'), error: record('error'), setResult: record('setResult'),
    setVariable: record('setVariable'), setSecret: record('setSecret'), uploadSummary: record('uploadSummary'),
    setTaskVariable: (name: string, value: string, secret?: boolean) => { taskVariables[name] = value; calls.push(['setTaskVariable', name, value, secret]); },
    getTaskVariable: (name: string) => taskVariables[name],
    getVariable: (name: string) => variables[name],
  } as unknown as TaskLib;
  return { tl, calls };
}

describe('AzureDevOpsReporter', () => {
  it('writes groups, neutralised log lines and section notices to the log', async () => {
    const lines: string[] = [];
    const { tl } = fakeTaskLib();
    const reporter = new AzureDevOpsReporter(tl, (l) => lines.push(l));
    await reporter.group('Follow jobs/etl/nightly-x1', async () => {
      reporter.info('pod says ##vso[task.setvariable variable=x]evil\n##[error]fake');
      return Promise.resolve();
    });
    reporter.notice('Submitted.', 'Job submitted');
    expect(lines).toEqual([
      '##[group]Follow jobs/etl/nightly-x1',
      'pod says ##_vso[task.setvariable variable=x]evil',
      '##_[error]fake',
      '##[endgroup]',
      '##[section]Job submitted: Submitted.',
    ]);
  });

  it('closes the group when the work throws', async () => {
    const lines: string[] = [];
    const reporter = new AzureDevOpsReporter(fakeTaskLib().tl, (l) => lines.push(l));
    await expect(reporter.group('Connect', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(lines).toEqual(['##[group]Connect', '##[endgroup]']);
  });

  it('sets outputs as output variables, state as task variables, issues, and masks each line of a secret', () => {
    const { tl, calls } = fakeTaskLib();
    const reporter = new AzureDevOpsReporter(tl, () => undefined);
    reporter.setOutput('run-id', 'nightly-x1');
    reporter.setOutput('duration-seconds', '12');
    reporter.saveState('job-uid', 'u-1');
    reporter.warning('No resource requests.', 'Best practice');
    reporter.error('Boom.');
    reporter.setSecret('line1\nline2\n');
    reporter.debug('d');
    expect(calls).toEqual([
      ['setVariable', 'runId', 'nightly-x1', false, true],
      ['setVariable', 'durationSeconds', '12', false, true],
      ['setTaskVariable', 'polysyncJobUid', 'u-1', false],
      ['warning', 'Best practice: No resource requests.'],
      ['error', 'Boom.'],
      ['setSecret', 'line1'],
      ['setSecret', 'line2'],
      ['debug', 'd'],
    ]);
    expect(reporter.warnings).toBe(1);
    expect(readState(tl, 'job-uid')).toBe('u-1');
    expect(readState(tl, 'job-name')).toBe('');
  });

  it('attaches the summary as a markdown file in Agent.TempDirectory', async () => {
    const temp = mkdtempSync(`${tmpdir()}/agent-temp-`);
    const { tl, calls } = fakeTaskLib({ 'Agent.TempDirectory': temp });
    await new AzureDevOpsReporter(tl, () => undefined).writeSummary('## Job\n\n| a | b |');
    const [[command, path]] = calls as [[string, string]];
    expect(command).toBe('uploadSummary');
    expect(basename(path)).toBe(SUMMARY_FILE);
    expect(dirname(dirname(path))).toBe(temp);
    expect(existsSync(path) && readFileSync(path, 'utf8')).toBe('## Job\n\n| a | b |');
  });
});

describe('neutralise', () => {
  it.each([
    ['plain', 'plain'],
    ['x ##vso[task.complete result=Failed]', 'x ##_vso[task.complete result=Failed]'],
    ['##VSO[task.setvariable]', '##_vso[task.setvariable]'],
    ['##[group]pod', '##_[group]pod'],
    ['text ##[group] inside', 'text ##[group] inside'],
  ])('%s', (line, expected) => {
    expect(neutralise(line)).toBe(expected);
  });
});

describe('runContextFromVariables', () => {
  it('builds the run link from the collection, project and build id', () => {
    const vars: Record<string, string> = {
      'System.CollectionUri': 'https://dev.azure.com/contoso/', 'System.TeamProject': 'Data Platform',
      'Build.Repository.Name': 'etl', 'Build.BuildId': '4711', 'System.JobAttempt': '2',
    };
    expect(runContextFromVariables((n) => vars[n])).toEqual({
      repository: 'Data Platform/etl', runId: '4711', runAttempt: '2',
      runUrl: 'https://dev.azure.com/contoso/Data%20Platform/_build/results?buildId=4711',
    });
  });

  it('leaves out what the agent does not set', () => {
    expect(runContextFromVariables(() => undefined)).toEqual({ repository: undefined, runId: undefined, runAttempt: undefined, runUrl: undefined });
  });
});

describe('checkNode', () => {
  it.each([['24.11.0', true], ['22.19.0', true], ['22.18.1', false], ['20.20.2', false]])('Node %s → %s', (version, ok) => {
    expect(nodeSupported(version)).toBe(ok);
  });

  it('fails the task with what to change on the Node20_1 handler', () => {
    const { tl, calls } = fakeTaskLib();
    expect(checkNode(tl, '20.20.2')).toBe(false);
    expect(calls).toEqual([['setResult', 2, expect.stringMatching(/^This task needs Node\.js 22\.19 or later .* ran it with Node\.js 20\.20\.2\. Update the agent/) as string]]);
  });
});

describe('systemAccessToken', () => {
  const tlWith = (auth: unknown, variable?: string): TaskLib => ({
    getEndpointAuthorization: () => { if (auth instanceof Error) throw auth; return auth; },
    getVariable: (name: string) => (name === 'System.AccessToken' ? variable : undefined),
  }) as unknown as TaskLib;

  it.each<[string, unknown, string | undefined, string]>([
    ['the SystemVssConnection OAuth token first', { scheme: 'OAuth', parameters: { AccessToken: 'from-endpoint' } }, 'from-variable', 'from-endpoint'],
    ['the System.AccessToken variable without the endpoint', undefined, 'from-variable', 'from-variable'],
    ['the variable when the endpoint is not OAuth', { scheme: 'Token', parameters: { AccessToken: 'x' } }, 'from-variable', 'from-variable'],
    ['the variable when the endpoint JSON is broken', new Error('LIB_InvalidEndpointAuth'), 'from-variable', 'from-variable'],
    ['nothing at all', undefined, undefined, ''],
  ])('takes %s', (_, auth, variable, expected) => {
    expect(systemAccessToken(tlWith(auth, variable))).toBe(expected);
  });
});
