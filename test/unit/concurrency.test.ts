import type { V1Job, V1Lease } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { activeRuns, decideConcurrency, describeRun, lockName, lockState, runSelector } from '../../src/core/concurrency.js';
import type { SourceRef } from '../../src/core/settings.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const SOURCE: SourceRef = { kind: 'CronJob', name: 'nightly-etl' };

function run(name: string, fields: {
  kind?: string; source?: string; managedBy?: string; annotations?: Record<string, string>; conditions?: string[]; created?: string; active?: number;
} = {}): V1Job {
  return {
    metadata: {
      name,
      creationTimestamp: new Date(fields.created ?? '2026-12-07T11:55:50Z'),
      labels: {
        'app.kubernetes.io/managed-by': fields.managedBy ?? 'polysync-aks-action',
        'polysync.dev/source-kind': fields.kind ?? 'CronJob',
        'polysync.dev/source-name': fields.source ?? 'nightly-etl',
      },
      annotations: fields.annotations ?? {
        'polysync.dev/repository': 'org/app', 'polysync.dev/run-id': '77', 'polysync.dev/run-attempt': '2',
        'polysync.dev/run-url': 'https://github.com/org/app/actions/runs/77',
      },
    },
    status: { active: fields.active ?? 1, conditions: (fields.conditions ?? []).map((type) => ({ type, status: 'True' })) },
  };
}

describe('runSelector', () => {
  it('selects our runs of the source by the labels every clone carries', () => {
    expect(runSelector(SOURCE)).toBe('app.kubernetes.io/managed-by=polysync-aks-action,polysync.dev/source-kind=CronJob,polysync.dev/source-name=nightly-etl');
  });
});

describe('activeRuns', () => {
  const long = 'a'.repeat(70);
  it.each<[string, V1Job[], SourceRef, string[]]>([
    ['running and starting runs count, sorted by name', [run('n-b'), run('n-a', { active: 0 })], SOURCE, ['n-a', 'n-b']],
    ['finished runs do not', [run('ok', { conditions: ['Complete'] }), run('bad', { conditions: ['Failed'] }), run('sus', { conditions: ['Suspended'] })], SOURCE, []],
    ['a Job of another manager does not', [run('x', { managedBy: 'helm' })], SOURCE, []],
    ['a Job source of the same name does not', [run('x', { kind: 'Job' })], SOURCE, []],
    ['a long name is matched by its full-name annotation, not the shortened label', [
      run('mine', { source: 'short', annotations: { 'polysync.dev/source-name': long } }),
      run('other', { source: 'short', annotations: { 'polysync.dev/source-name': `${long}b` } }),
    ], { kind: 'CronJob', name: long }, ['mine']],
  ])('%s', (_, jobs, source, names) => {
    expect(activeRuns(jobs, source).map((j) => j.metadata?.name)).toEqual(names);
  });
});

describe('describeRun', () => {
  it.each<[string, V1Job, string]>([
    ['names the Job, its age and the workflow run that started it', run('etl-x2b4c'),
      'jobs/data/etl-x2b4c (started 4m 10s ago by org/app run 77 attempt 2, https://github.com/org/app/actions/runs/77)'],
    ['says so when no workflow annotations are there', run('etl-x2b4c', { annotations: {} }), 'jobs/data/etl-x2b4c (started 4m 10s ago by an unknown workflow)'],
  ])('%s', (_, job, text) => {
    expect(describeRun(job, 'data', NOW)).toBe(text);
  });
});

describe('decideConcurrency', () => {
  const active = [run('etl-b'), run('etl-a', { created: '2026-12-07T10:00:00Z', annotations: {} })];
  it.each<[string, 'Allow' | 'Forbid' | 'Replace', V1Job[], unknown]>([
    ['Allow submits whatever runs', 'Allow', active, { action: 'submit' }],
    ['Forbid submits when nothing is active', 'Forbid', [run('done', { conditions: ['Complete'] })], { action: 'submit' }],
    ['Replace submits when nothing is active', 'Replace', [], { action: 'submit' }],
    ['Replace replaces every active run', 'Replace', active, { action: 'replace', runs: [active[1], active[0]] }],
    ['Forbid refuses, naming each active run, who started it and when', 'Forbid', active, {
      action: 'refuse',
      runs: [active[1], active[0]],
      message: "concurrency: Forbid: CronJob nightly-etl already has 2 active runs: jobs/data/etl-a (started 2h ago by an unknown workflow); " +
        'jobs/data/etl-b (started 4m 10s ago by org/app run 77 attempt 2, https://github.com/org/app/actions/runs/77). ' +
        "Nothing was created. Wait for them to finish, attach to one with input 'attach', or use 'concurrency: Replace' to stop them and start anew.",
    }],
  ])('%s', (_, policy, jobs, decision) => {
    expect(decideConcurrency(policy, SOURCE, 'data', jobs, NOW)).toEqual(decision);
  });
});

describe('lockName', () => {
  it.each<[SourceRef, string]>([
    [SOURCE, 'polysync-cronjob-nightly-etl'],
    [{ kind: 'Job', name: 'db.migrate' }, 'polysync-job-db.migrate'],
    [{ kind: 'Job', name: `${'m'.repeat(70)}.x` }, `polysync-job-${'m'.repeat(54)}-3d92c815`],
  ])('%j → %s', (source, name) => {
    expect(lockName(source)).toBe(name);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
  });
});

describe('lockState', () => {
  const lease = (acquired: string, duration = 120): V1Lease => ({ spec: { holderIdentity: 'etl-x2b4c', acquireTime: new Date(acquired), leaseDurationSeconds: duration } });
  it.each<[string, V1Lease, boolean, string]>([
    ['held while its holder has not created its Job yet', lease('2026-12-07T11:59:00Z'), false, 'held'],
    ['stale once its holder\'s Job exists (only the release was lost)', lease('2026-12-07T11:59:59Z'), true, 'stale'],
    ['stale once its duration passed (the holder died before creating)', lease('2026-12-07T11:57:59Z'), false, 'stale'],
    ['held up to its own duration', lease('2026-12-07T11:55:00Z', 600), false, 'held'],
    ['stale without any time', { spec: {} }, false, 'stale'],
  ])('%s', (_, l, exists, state) => {
    expect(lockState(l, exists, NOW)).toBe(state);
  });
});
