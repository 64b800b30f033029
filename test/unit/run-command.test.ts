import { describe, expect, it } from 'vitest';
import { ArmRunCommandRunner, decodeCommandResult, pollDelayMs, runCommandUrl, type ArmRunCommandOptions } from '../../src/azure/run-command.js';
import { RunCommandError, describeFailedCommand, describeRunCommandHttpFailure } from '../../src/azure/run-command-errors.js';
import type { ArmResponse, ArmSend } from '../../src/azure/arm-request.js';
import { explainCommandFailure } from '../../src/core/command-failure.js';
import { isPrivateLinkServer } from '../../src/azure/private-cluster.js';
import { unzipFiles } from '../fakes/unzip.js';

const cluster = { subscriptionId: 'sub-1', resourceGroup: 'rg', clusterName: 'aks' };
const caller = { clientId: 'app-1' };
const ARM = 'https://management.azure.com';
const RESULTS = `${ARM}/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks/commandResults/abc?api-version=2025-10-01`;

const answer = (status: number, body: unknown = '', headers: Record<string, string> = {}): ArmResponse => ({
  status, bodyText: typeof body === 'string' ? body : JSON.stringify(body), header: (n) => headers[n.toLowerCase()],
});

/** A runner whose ARM answers from a script; records what it was sent. */
function scripted(answers: ArmResponse[], options: Partial<ArmRunCommandOptions> = {}) {
  const sent: Array<{ method: string; url: string; body: string | undefined }> = [];
  const send: ArmSend = (method, url, body) => {
    sent.push({ method, url, body });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    return Promise.resolve(next);
  };
  const sleeps: number[] = [];
  const runner = new ArmRunCommandRunner({
    cluster, resourceManager: ARM, armToken: () => Promise.resolve('arm'), clusterToken: () => Promise.resolve('aks-token'), caller,
    send, sleep: (ms) => { sleeps.push(ms); return Promise.resolve(); }, ...options,
  });
  return { runner, sent, sleeps };
}
const never = new AbortController().signal;

describe('ArmRunCommandRunner', () => {
  it('POSTs command, zipped context and clusterToken, then polls Location after Retry-After until a terminal state in any case', async () => {
    const { runner, sent, sleeps } = scripted([
      answer(202, '', { location: RESULTS, 'retry-after': '3' }),
      answer(202, { properties: { provisioningState: 'Running' } }, { location: RESULTS, 'retry-after': '1' }),
      answer(200, { properties: { provisioningState: 'Succeeded', exitCode: 0, logs: 'job.batch/x created' } }),
    ]);

    expect(await runner.run('kubectl create -f job.json', [{ name: 'job.json', content: '{"kind":"Job"}' }], never)).toEqual({ exitCode: 0, logs: 'job.batch/x created' });

    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      `POST ${ARM}/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks/runCommand?api-version=2025-10-01`,
      `GET ${RESULTS}`, `GET ${RESULTS}`,
    ]);
    const body = JSON.parse(sent[0]?.body ?? '{}') as { command: string; context: string; clusterToken: string };
    expect(body.command).toBe('kubectl create -f job.json');
    expect(body.clusterToken).toBe('aks-token');
    expect(unzipFiles(Buffer.from(body.context, 'base64'))).toEqual([{ name: 'job.json', content: '{"kind":"Job"}' }]);
    expect(sleeps).toEqual([3000, 1000]);
  });

  it('sends no context without files and no clusterToken for a local-account cluster', async () => {
    const { runner, sent } = scripted([answer(200, { properties: { provisioningState: 'succeeded', exitCode: 2, logs: '' } })], { clusterToken: undefined });
    expect(await runner.run('exit 2', [], never)).toEqual({ exitCode: 2, logs: '' });
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ command: 'exit 2' });
  });

  it('polls Azure-AsyncOperation when there is no Location, reading its status body', async () => {
    const op = `${ARM}/providers/Microsoft.ContainerService/locations/eastus/operations/op1?api-version=2025-10-01`;
    const { runner, sent } = scripted([
      answer(202, '', { 'azure-asyncoperation': op }),
      answer(200, { status: 'Succeeded', properties: { exitCode: 0, logs: 'ok' } }),
    ]);
    expect(await runner.run('true', [], never)).toEqual({ exitCode: 0, logs: 'ok' });
    expect(sent[1]?.url).toBe(op);
  });

  it('refuses to send the token to a Location on another host', async () => {
    const { runner } = scripted([answer(202, '', { location: 'https://evil.example/commandResults/abc' })]);
    await expect(runner.run('true', [], never)).rejects.toThrow(/refusing to send the token there/);
  });

  it('returns a failed state with an exit code and no reason as the command\'s own result', async () => {
    const { runner } = scripted([answer(200, { properties: { provisioningState: 'Failed', exitCode: 1, logs: 'boom' } })]);
    expect(await runner.run('false', [], never)).toEqual({ exitCode: 1, logs: 'boom' });
  });

  it('throws the pod failure with its reason', async () => {
    const { runner } = scripted([answer(202, '', { location: RESULTS }), answer(200, { properties: { provisioningState: 'failed', reason: 'ImagePullBackoff' } })]);
    const error = await runner.run('true', [], never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunCommandError);
    expect((error as RunCommandError).kind).toBe('failed');
    expect((error as RunCommandError).message).toMatch(/failed before the command finished.*reason: ImagePullBackoff/);
  });
});

describe('decodeCommandResult', () => {
  it.each([
    ['{"id":"a","properties":{"provisioningState":"running","startedAt":"t"}}', { state: 'running', exitCode: undefined, logs: '', reason: '' }],
    ['{"properties":{"provisioningState":"succeeded","exitCode":0,"logs":"namespace dummy created"}}', { state: 'succeeded', exitCode: 0, logs: 'namespace dummy created', reason: '' }],
    ['{"properties":{"provisioningState":"failed","reason":"ImagePullBackoff"}}', { state: 'failed', exitCode: undefined, logs: '', reason: 'ImagePullBackoff' }],
    ['', undefined],
    ['{"properties":{}}', undefined],
  ])('%s', (body, expected) => {
    expect(decodeCommandResult(body)).toEqual(expected);
  });
});

describe('pollDelayMs', () => {
  const t = { minPollMs: 1000, maxPollMs: 30_000, defaultPollMs: 2000 };
  it.each([
    [undefined, 2000], ['5', 5000], ['0', 1000], ['3600', 30_000], ['soon', 2000], ['Tue, 08 Dec 2026 00:00:10 GMT', 10_000],
  ])('Retry-After %j → %d ms', (header, expected) => {
    expect(pollDelayMs(header, t, Date.parse('Tue, 08 Dec 2026 00:00:00 GMT'))).toBe(expected);
  });
  it.each([
    [undefined, 0, 2000], [undefined, 3000, 2000], [undefined, 30_000, 10_000], [undefined, 90_000, 15_000], ['20', 90_000, 20_000], ['1', 12_000, 4000],
  ])('Retry-After %j, command age %d ms → %d ms: longer commands are polled less often', (header, age, expected) => {
    expect(pollDelayMs(header, t, 0, age)).toBe(expected);
  });
  it('a 90 s command costs about a dozen polls, not one per Retry-After second', () => {
    let age = 0;
    let polls = 0;
    while (age < 90_000) { age += pollDelayMs('1', t, 0, age); polls += 1; }
    expect(polls).toBeLessThanOrEqual(16);
    expect(polls).toBeGreaterThanOrEqual(8);
  });
});

it('runCommandUrl escapes path segments', () => {
  expect(runCommandUrl(ARM, { subscriptionId: 's', resourceGroup: 'my rg', clusterName: 'a/b' }))
    .toBe(`${ARM}/subscriptions/s/resourceGroups/my%20rg/providers/Microsoft.ContainerService/managedClusters/a%2Fb/runCommand?api-version=2025-10-01`);
});

describe('describeRunCommandHttpFailure', () => {
  const cloud = (code: string, message: string, extra = {}): string => JSON.stringify({ error: { code, message, ...extra } });
  it.each([
    [403, cloud('AuthorizationFailed', "does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/runcommand/action'"), 'forbidden'],
    [400, cloud('OperationNotAllowed', 'Run command is disabled for this managed cluster'), 'disabled'],
    [400, cloud('BadRequest', 'apiServerAccessProfile.disableRunCommand is set'), 'disabled'],
    [400, cloud('RunCommandBlockedByAzurePolicy', 'blocked', { subcode: 'PodCreateBlockedByAzurePolicy' }), 'policy'],
    [401, cloud('ExpiredAuthenticationToken', 'expired'), 'unauthenticated'],
    [404, cloud('ResourceNotFound', 'not found'), 'not-found'],
    [503, 'Service Unavailable', 'unavailable'],
    [400, cloud('InvalidParameter', 'command is required'), 'failed'],
  ])('%d %s → %s', (status, body, kind) => {
    const error = describeRunCommandHttpFailure(status, body, cluster, caller);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
  });

  it('says which actions and role to grant, with the command', () => {
    expect(describeRunCommandHttpFailure(403, JSON.stringify({ error: { code: 'AuthorizationFailed', message: 'no' } }), cluster, caller).message).toBe(
      "Application 'app-1' may not run commands on AKS cluster 'aks' (resource group 'rg', subscription 'sub-1'). " +
      "Its Azure role needs 'Microsoft.ContainerService/managedClusters/runcommand/action' and 'Microsoft.ContainerService/managedClusters/commandResults/read' " +
      '(the "Azure Kubernetes Service Cluster Admin Role", Contributor, or a custom role with both): ' +
      'az role assignment create --assignee app-1 --role "Azure Kubernetes Service Cluster Admin Role" --scope /subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks ' +
      '(ARM 403 AuthorizationFailed: no)');
  });
});

describe('describeFailedCommand', () => {
  it.each([
    ['failed', 'KubernetesPerformanceError: container command-1 in aks-command namespace did not start within 30s', 'not-scheduled'],
    ['failed', 'admission webhook "validation.gatekeeper.sh" denied the request', 'policy'],
    ['canceled', '', 'failed'],
    ['failed', 'ImagePullBackoff', 'failed'],
  ])('%s %s → %s', (state, reason, kind) => {
    expect(describeFailedCommand(state, reason, '', cluster).kind).toBe(kind);
  });
});

describe('explainCommandFailure', () => {
  it('reads kubectl\'s Forbidden into what to grant where', () => {
    const logs = 'Error from server (Forbidden): jobs.batch is forbidden: User "0b1c-oid" cannot list resource "jobs" in API group "batch" in the namespace "etl"\n';
    expect(explainCommandFailure(logs)).toEqual({
      kind: 'forbidden',
      advice: "Kubernetes RBAC refused identity '0b1c-oid' to list jobs.batch in namespace 'etl'. runCommand runs kubectl as the action's own identity, " +
        "so grant it the verbs it needs on Jobs, CronJobs, Pods, pods/log and Events in namespace 'etl' (the README lists the minimal Role), " +
        'or use Azure RBAC for Kubernetes ("Azure Kubernetes Service RBAC Writer" on the namespace).',
    });
  });

  it('reads a cluster-scoped refusal in the core group', () => {
    const logs = 'Error from server (Forbidden): namespaces is forbidden: User "u" cannot list resource "namespaces" in API group "" at the cluster scope';
    expect(explainCommandFailure(logs).advice).toMatch(/^Kubernetes RBAC refused identity 'u' to list namespaces cluster-wide\./);
  });

  it.each([
    ['error: You must be logged in to the server (Unauthorized)', 'unauthorized'],
    ['Error from server (NotFound): jobs.batch "x" not found', 'other'],
  ])('%s → %s', (logs, kind) => {
    expect(explainCommandFailure(logs).kind).toBe(kind);
  });
});

it.each([
  ['https://aks-dns-1a2b.privatelink.eastus.azmk8s.io:443', true],
  ['https://aks-dns-1a2b.hcp.eastus.azmk8s.io:443', false],
  ['https://127.0.0.1:6443', false],
  ['not a url', false],
])('isPrivateLinkServer(%s) = %s', (server, expected) => {
  expect(isPrivateLinkServer(server)).toBe(expected);
});
