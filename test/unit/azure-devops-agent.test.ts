// The agent emulation's command checks (test/support/azure-devops-agent.ts), against lines task-lib
// itself prints: what the agent refuses must be refused here, or the integration tests cannot
// catch it.
import { describe, expect, it } from 'vitest';
import { agentRejects, parseVsoCommands } from '../support/azure-devops-agent.js';

const check = (line: string) => agentRejects(parseVsoCommands(line)[0] ?? { command: '', properties: {}, message: '' });

describe('agentRejects', () => {
  it.each([
    ['##vso[task.complete result=Canceled;]stopped', undefined],
    ['##vso[task.complete result=SucceededWithIssues;]', undefined],
    // task-lib's setResult(TaskResult.Cancelled): microsoft/azure-pipelines-tasks#9020.
    ['##vso[task.complete result=Cancelled;]stopped', "Command doesn't have valid result value (result=Cancelled)."],
    ['##vso[task.complete result=failed;]', "Command doesn't have valid result value (result=failed)."],
    ['##vso[task.issue type=error;source=TaskInternal;]boom', undefined],
    ['##vso[task.logissue type=Warning;]careful', undefined],
    ['##vso[task.issue type=notice;]hello', 'issue type notice is not an expected issue type.'],
    ['##vso[task.setvariable variable=runId;isOutput=true;issecret=false;]etl-bcdfg', undefined],
    ['##vso[task.setvariable isOutput=true;]etl-bcdfg', 'Missing variable name.'],
    ['##vso[task.setvariable variable=runId;isOutput=yes;]etl-bcdfg', 'isoutput=yes is not a boolean: the agent reads it as false.'],
    ['##vso[task.settaskvariable variable=polysyncJobName;issecret=false;]etl-bcdfg', undefined],
    ['##vso[task.uploadsummary]/nonexistent/AKS Job.md', "The file to upload does not exist: '/nonexistent/AKS Job.md'."],
    ['##vso[task.finish result=Succeeded;]', '##vso[task.finish] is not a recognized command.'],
  ])('%s', (line, reason) => {
    expect(check(line)).toBe(reason);
  });
});
