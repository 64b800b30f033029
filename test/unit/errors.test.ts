import { describe, expect, it } from 'vitest';
import {
  AuthError, cronJobPath, InputError, JobFailedError, jobPath, KubernetesApiError, shown, SourceError, toError,
} from '../../src/core/errors.js';

describe('InputError', () => {
  it('invalid() names the input, the expected form and the value', () => {
    const cause = new Error('inner');
    const e = InputError.invalid('timeout', 'abc', "a duration like '30m', '90s' or '2h'", cause);
    expect([e.name, e.message, e.inputs, e.problems, e.cause]).toEqual([
      'InputError', "Input 'timeout' must be a duration like '30m', '90s' or '2h'; got 'abc'.", ['timeout'], [e], cause,
    ]);
  });

  it('has no cause property when none was given', () => {
    expect(Object.hasOwn(InputError.invalid('wait', 'yes', "'true' or 'false'"), 'cause')).toBe(false);
    expect(Object.hasOwn(new JobFailedError('m', { status: 'Failed', reason: undefined }), 'cause')).toBe(false);
  });

  it('combine() of one error is that error', () => {
    const one = InputError.invalid('wait', 'yes', "'true' or 'false'");
    expect(InputError.combine([one])).toBe(one);
  });

  it('combine() lists every problem, flattening combined ones', () => {
    const a = InputError.invalid('wait', 'yes', "'true' or 'false'");
    const b = InputError.invalid('timeout', 'x', 'a duration');
    const c = new InputError('Third.', { inputs: ['job', 'cronjob'] });
    const combined = InputError.combine([InputError.combine([a, b]), c]);
    expect([combined.message, combined.inputs, combined.problems]).toEqual([
      "3 inputs are invalid:\n- Input 'wait' must be 'true' or 'false'; got 'yes'.\n- Input 'timeout' must be a duration; got 'x'.\n- Third.",
      ['wait', 'timeout', 'job', 'cronjob'],
      [a, b, c],
    ]);
  });
});

describe('shown', () => {
  it.each([
    ['plain', 'plain'],
    ['a\nb\u0000', 'a\\nb\\u0000'],
    ['x'.repeat(81), `${'x'.repeat(80)}…`],
  ])('%j → %j', (value, expected) => {
    expect(shown(value)).toBe(expected);
  });
});

describe('KubernetesApiError', () => {
  const base = { operation: 'create', object: jobPath('team-a', 'export-x2b4c'), namespace: 'team-a' };
  it.each([
    [403, 'Forbidden', 'jobs.batch is forbidden: User "ci" cannot create resource "jobs"',
      "Could not create jobs/team-a/export-x2b4c (403 Forbidden): jobs.batch is forbidden: User \"ci\" cannot create resource \"jobs\". Grant the action's identity the verbs it needs on Jobs, CronJobs, Pods, pods/log and Events in namespace 'team-a' (the README lists the minimal Role)."],
    [401, 'Unauthorized', undefined,
      'Could not create jobs/team-a/export-x2b4c (401 Unauthorized). The credentials were refused: check that the kubeconfig or Azure sign-in is for this cluster and has not expired.'],
    [404, 'NotFound', 'jobs.batch "export" not found.',
      "Could not create jobs/team-a/export-x2b4c (404 NotFound): jobs.batch \"export\" not found. Check the name and that it exists in namespace 'team-a'."],
    [422, 'Invalid', 'spec.template.spec.containers[0].image: Required value',
      'Could not create jobs/team-a/export-x2b4c (422 Invalid): spec.template.spec.containers[0].image: Required value. The API server rejected the object: fix the field it names in the source.'],
    [503, undefined, '',
      'Could not create jobs/team-a/export-x2b4c (503). The API server is overloaded or unavailable; run the step again later.'],
    [undefined, undefined, 'connect ECONNREFUSED 10.0.0.1:443',
      'Could not create jobs/team-a/export-x2b4c: connect ECONNREFUSED 10.0.0.1:443. Check that the API server is reachable from the runner (network, firewall, authorized IP ranges) and that the kubeconfig points at the right cluster.'],
    // The start-up campaign (npm run chaos): with no answer, the address itself may be what is wrong.
    [undefined, undefined, 'fetch failed (ECONNREFUSED)',
      'Could not create jobs/team-a/export-x2b4c: fetch failed (ECONNREFUSED). Check that the API server https://aks-x.hcp.westeurope.azmk8s.io:443 is reachable from the runner (network, firewall, authorized IP ranges) and that the kubeconfig points at the right cluster.',
      'https://aks-x.hcp.westeurope.azmk8s.io:443'],
  ])('%s %s', (statusCode, reason, detail, message, server?: string) => {
    const cause = new Error('raw');
    const e = new KubernetesApiError({ ...base, statusCode, reason, detail, cause, ...(server === undefined ? {} : { server }) });
    expect([e.name, e.message, e.statusCode, e.reason, e.object, e.cause]).toEqual([
      'KubernetesApiError', message, statusCode, reason, 'jobs/team-a/export-x2b4c', cause,
    ]);
  });
});

describe('the rest of the family', () => {
  it('SourceError, AuthError and JobFailedError keep their fields and cause', () => {
    const cause = new Error('raw');
    const s = new SourceError(cronJobPath('ns', 'cj'), 'cronjobs/ns/cj has no containers.', { cause });
    const a = new AuthError('Entra ID refused the token.', { cause });
    const j = new JobFailedError('Job jobs/ns/x ended Failed.', { status: 'Failed', reason: 'BackoffLimitExceeded' });
    expect([s.name, s.object, s.message, s.cause]).toEqual(['SourceError', 'cronjobs/ns/cj', 'cronjobs/ns/cj has no containers.', cause]);
    expect([a.name, a.message, a.cause]).toEqual(['AuthError', 'Entra ID refused the token.', cause]);
    expect([j.name, j.message, j.status, j.reason]).toEqual(['JobFailedError', 'Job jobs/ns/x ended Failed.', 'Failed', 'BackoffLimitExceeded']);
  });
});

describe('toError', () => {
  it('keeps an Error and turns anything else into one, so the step still fails', () => {
    const e = new TypeError('t');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(toError(e)).toBe(e);
    expect(toError('plain string').message).toBe('plain string');
    expect(toError({ code: 7 }).message).toBe('Unexpected error: {"code":7}');
    expect(toError(undefined).message).toBe('Unexpected error: undefined');
    expect(toError(circular).message).toBe('Unexpected error: [object Object]');
  });
});
