import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { failureMessage, formatDuration, progressLine, renderSummary, type SummaryFacts } from '../../src/core/summary.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'], [45, '45s'], [60, '1m'], [65, '1m 5s'], [3600, '1h'], [3603, '1h 0m 3s'], [7320, '2h 2m'], [90061, '25h 1m 1s'],
    [59.6, '1m'], [-3, '0s'], [Number.NaN, '0s'],
  ])('%d → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('progressLine', () => {
  it.each<[string, V1Job, string]>([
    ['no status yet', { spec: { template: {} } }, 'Pods: active 0, succeeded 0, failed 0'],
    ['running', { spec: { template: {} }, status: { active: 1, failed: 2 } }, 'Pods: active 1, succeeded 0, failed 2'],
    ['several completions', { spec: { template: {}, completions: 10 }, status: { active: 2, succeeded: 3 } }, 'Pods: active 2, succeeded 3 of 10, failed 0'],
    ['Indexed, nothing done', { spec: { template: {}, completionMode: 'Indexed', completions: 4 }, status: { active: 4 } },
      'Pods: active 4, succeeded 0 of 4, failed 0; completed indexes none'],
    ['Indexed with failed indexes', { spec: { template: {}, completionMode: 'Indexed', completions: 8 }, status: { active: 1, succeeded: 4, failed: 1, completedIndexes: '0-2,5', failedIndexes: '3' } },
      'Pods: active 1, succeeded 4 of 8, failed 1; completed indexes 0-2,5; failed indexes 3'],
  ])('%s', (_, job, line) => {
    expect(progressLine(job)).toBe(line);
  });
});

const failedPod: V1Pod = {
  metadata: { name: 'export-bbbbb-x1' },
  status: { phase: 'Failed', containerStatuses: [{ name: 'main', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 3, finishedAt: new Date('2026-01-02T03:05:10Z') } } }] },
};

function facts(overrides: Partial<SummaryFacts> = {}): SummaryFacts {
  return {
    settings: { namespace: 'team-a', source: { kind: 'CronJob', name: 'nightly' } },
    job: {
      metadata: { name: 'nightly-bbbbb' },
      status: {
        startTime: new Date('2026-01-02T03:04:05Z'),
        failed: 1,
        conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', lastTransitionTime: new Date('2026-01-02T03:05:10Z') }],
      },
    },
    status: 'Failed',
    reason: 'BackoffLimitExceeded',
    pods: [failedPod],
    lastLines: ['starting', 'error: `db` unreachable | retrying', 'giving up'],
    monitorUrl: undefined,
    runUrl: 'https://github.com/octo/app/actions/runs/1',
    ...overrides,
  };
}

describe('renderSummary', () => {
  it('renders a failed run: table, exit code, run link, logs in a collapsed block', () => {
    expect(renderSummary(facts())).toBe([
      '### ❌ Job nightly-bbbbb: Failed',
      '',
      '| | |',
      '|---|---|',
      '| Job | `nightly-bbbbb` |',
      '| Namespace | `team-a` |',
      '| Source | CronJob `nightly` |',
      '| Status | ❌ Failed |',
      '| Reason | BackoffLimitExceeded |',
      '| Duration | 1m 5s |',
      '| Pods | 0 succeeded, 1 failed |',
      '| Exit code | 3 |',
      '| Link | [Workflow run](https://github.com/octo/app/actions/runs/1) |',
      '',
      '<details><summary>Last 3 log lines</summary>',
      '',
      '```text',
      'starting',
      'error: `db` unreachable | retrying',
      'giving up',
      '```',
      '',
      '</details>',
      '',
    ].join('\n'));
  });

  it('renders a success with the portal link, no reason, exit code or logs; a longer fence when logs hold ```', () => {
    const job: V1Job = {
      metadata: { name: 'nightly-bbbbb' },
      status: { startTime: new Date('2026-01-02T03:04:05Z'), completionTime: new Date('2026-01-02T03:04:07Z'), succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
    };
    const portal = 'https://portal.azure.com/#resource/x/workloads';
    expect(renderSummary(facts({ job, status: 'Success', reason: undefined, pods: [], lastLines: [], monitorUrl: portal }))).toBe([
      '### ✅ Job nightly-bbbbb: Success',
      '',
      '| | |',
      '|---|---|',
      '| Job | `nightly-bbbbb` |',
      '| Namespace | `team-a` |',
      '| Source | CronJob `nightly` |',
      '| Status | ✅ Success |',
      '| Duration | 2s |',
      '| Pods | 1 succeeded, 0 failed |',
      `| Link | [Azure portal](${portal}) |`,
      '',
    ].join('\n'));
    expect(renderSummary(facts({ lastLines: ['```', 'x'] }))).toContain('\n````text\n```\nx\n````\n');
  });

  it("names the run link with the platform's word", () => {
    const runUrl = 'https://dev.azure.com/contoso/data/_build/results?buildId=4711';
    expect(renderSummary(facts({ runUrl, runTerm: 'pipeline' }))).toContain(`| Link | [Pipeline run](${runUrl}) |`);
  });
});

describe('failureMessage', () => {
  it('names the Job, status, reason with its meaning, exit code and the last log lines', () => {
    expect(failureMessage(facts())).toBe([
      'Job jobs/team-a/nightly-bbbbb ended Failed (BackoffLimitExceeded: its pods failed more often than spec.backoffLimit allows). Last failed container exited with code 3.',
      'Last 3 log lines:',
      '  starting',
      '  error: `db` unreachable | retrying',
      '  giving up',
    ].join('\n'));
  });

  it('adds why the action gave up, and says when no log line was captured', () => {
    expect(failureMessage({ ...facts({ status: 'Cancelled', reason: 'Timeout', pods: [{ metadata: { name: 'nightly-bbbbb-x' } }], lastLines: [] }), why: 'The timeout of 60 s passed; jobs/team-a/nightly-bbbbb was deleted.' })).toBe([
      'Job jobs/team-a/nightly-bbbbb ended Cancelled (Timeout). The timeout of 60 s passed; jobs/team-a/nightly-bbbbb was deleted.',
      "No log lines were captured; see the pods' events with kubectl describe pod.",
    ].join('\n'));
  });

  it('points to the Job\'s events when no pod was ever created', () => {
    expect(failureMessage({ ...facts({ status: 'Failed', reason: 'FailedCreate', pods: [], lastLines: [] }) })).toBe([
      'Job jobs/team-a/nightly-bbbbb ended Failed (FailedCreate).',
      "No pod was created; see the Job's events with kubectl describe job nightly-bbbbb -n team-a.",
    ].join('\n'));
  });

  it('names a failed init container, and never a native sidecar', () => {
    const pod = {
      metadata: { name: 'nightly-bbbbb-p' },
      spec: {
        containers: [{ name: 'app' }],
        initContainers: [{ name: 'proxy', restartPolicy: 'Always' }, { name: 'migrate' }],
      },
      status: {
        initContainerStatuses: [
          { name: 'proxy', image: 'p', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, finishedAt: new Date('2026-01-02T03:05:09Z') } } },
          { name: 'migrate', image: 'm', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 2, finishedAt: new Date('2026-01-02T03:05:01Z') } } },
        ],
        containerStatuses: [{ name: 'app', image: 'a', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
      },
    };
    expect(failureMessage(facts({ pods: [pod], lastLines: [] })).split('\n')[0]).toBe(
      'Job jobs/team-a/nightly-bbbbb ended Failed (BackoffLimitExceeded: its pods failed more often than spec.backoffLimit allows). ' +
        'Last failed container (init container migrate of pod nightly-bbbbb-p) exited with code 2.',
    );
  });

  it('keeps only the last 20 lines', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const message = failureMessage(facts({ lastLines: lines }));
    expect(message.split('\n').slice(1)).toEqual(['Last 20 log lines:', ...lines.slice(10).map((l) => `  ${l}`)]);
  });
});
