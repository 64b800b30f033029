/** The pure parts of following through runCommand: frames, kubectl's errors, log chunks, the route choice. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { framePrelude, parseFrames, sq } from '../../src/core/command-frames.js';
import { batchScript, isNotStarted, logChunk } from '../../src/core/follow-batch.js';
import { kubectlError } from '../../src/core/kubectl-error.js';
import { chooseRoute, type RouteSignIn } from '../../src/cluster-route.js';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterCommandRunner } from '../../src/core/cluster-commands.js';

const sh = (script: string): string => execFileSync('sh', ['-c', script], { encoding: 'utf8' });

describe('frames', () => {
  it('reads back stdout, stderr and exit code of each call, whatever the output holds', () => {
    const nonce = 'n0nce';
    const out = sh(`${framePrelude(nonce)}\nf one sh -c ${sq("printf 'a\\n@@other begin x\\nno newline'; echo err >&2; exit 3")}\nf two echo "it's"`);
    expect(parseFrames(`noise before\n${out}noise after`, nonce)).toEqual([
      { tag: 'one', stdout: 'a\n@@other begin x\nno newline', stderr: 'err\n', exitCode: 3 },
      { tag: 'two', stdout: "it's\n", stderr: '', exitCode: 0 },
    ]);
  });

  it('drops a frame cut off by the output cap rather than misreading it', () => {
    const out = sh(`${framePrelude('z')}\nf one echo hi\nf two echo there`);
    expect(parseFrames(out.slice(0, out.lastIndexOf('@@z end')), 'z').map((f) => f.tag)).toEqual(['one']);
  });
});

describe('kubectlError', () => {
  const target = { operation: 'read', object: 'jobs/ns/x', namespace: 'ns' };
  it.each<[string, string, number | undefined, string | undefined]>([
    ['Error from server (NotFound): jobs.batch "x" not found', 'not found', 404, 'NotFound'],
    ['Error from server (Forbidden): jobs.batch "x" is forbidden: User "u" cannot get resource "jobs"', 'forbidden', 403, 'Forbidden'],
    ['Error from server (AlreadyExists): jobs.batch "x" already exists', 'exists', 409, 'AlreadyExists'],
    ['Error from server (Conflict): Operation cannot be fulfilled on Job.batch "x": the UID in the precondition (a) does not match', 'precondition', 409, 'Conflict'],
    ['The Job "BAD" is invalid: \n* metadata.name: Invalid value: "BAD"', 'invalid', 422, 'Invalid'],
    ['error: You must be logged in to the server (Unauthorized)', 'unauthorized', 401, 'Unauthorized'],
    ['Error from server (TooManyRequests): the server has received too many requests', 'throttled', 429, 'TooManyRequests'],
    ['The connection to the server 10.0.0.1:443 was refused - did you specify the right host or port?', 'no answer', undefined, undefined],
  ])('%s', (stderr, _what, statusCode, reason) => {
    const err = kubectlError(stderr, 1, target);
    expect([err.statusCode, err.reason, err.object]).toEqual([statusCode, reason, 'jobs/ns/x']);
    expect(err.message).toContain('Could not read jobs/ns/x');
  });

  it('names the exit code when kubectl printed nothing', () => {
    expect(kubectlError('', 137, target).message).toContain('kubectl exited with code 137 and printed nothing');
  });
});

describe('logChunk', () => {
  it('splits timestamp and text, keeping a final line without newline when the answer was not cut', () => {
    expect(logChunk('2026-12-08T01:00:00.1Z a b\n2026-12-08T01:00:00.2Z last', 1000)).toEqual({
      lines: [{ time: '2026-12-08T01:00:00.1Z', text: 'a b' }, { time: '2026-12-08T01:00:00.2Z', text: 'last' }],
      truncated: false,
    });
  });

  it('drops the partial last line of an answer cut at its byte limit', () => {
    const full = '2026-12-08T01:00:00.1Z one\n2026-12-08T01:00:00.2Z two\n';
    const cut = full.slice(0, 40);
    expect(logChunk(cut, 40)).toEqual({ lines: [{ time: '2026-12-08T01:00:00.1Z', text: 'one' }], truncated: true });
  });

  it('tells a container that has not started from a failure', () => {
    expect(isNotStarted('Error from server (BadRequest): container "c" in pod "p" is waiting to start: ContainerCreating')).toBe(true);
    expect(isNotStarted('Error from server (Forbidden): pods "p" is forbidden')).toBe(false);
  });
});

describe('batchScript', () => {
  it('waits in the cluster only when asked, and reads each Job, its events and pods', () => {
    const base = { nonce: 'n', namespace: 'team-a', jobs: ['etl-x1'], podUids: ['u-1'], tickSeconds: 5, budgetBytes: 400_000, cursors: [] };
    expect(batchScript({ ...base, waitSeconds: 0 })).not.toContain('while [ "$(date +%s)"');
    const waiting = batchScript({ ...base, waitSeconds: 80, cursors: [{ pod: 'etl-x1-abc', container: 'main', sinceTime: '2026-12-08T01:00:00Z', limitBytes: 0 }] });
    expect(waiting).toContain('end=$(( $(date +%s) + 80 ))');
    expect(waiting).toContain("f 'job etl-x1' kubectl get job -n \"$ns\" 'etl-x1' -o json");
    expect(waiting).toContain("f 'pods u-1' kubectl get pods -n \"$ns\" -l 'batch.kubernetes.io/controller-uid=u-1' -o json");
    expect(waiting).toContain("echo 'etl-x1-abc main 2026-12-08T01:00:00Z 0' >>since.txt");
    // The script parses as POSIX sh.
    expect(() => execFileSync('sh', ['-n', '-c', waiting])).not.toThrow();
  });
});

describe('chooseRoute', () => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://aks-1.privatelink.westeurope.azmk8s.io:443' }], users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x',
  });
  const runner: ClusterCommandRunner = { run: () => Promise.reject(new Error('not used')) };
  const signIn = (isPrivate: boolean): RouteSignIn => ({
    kubeConfig,
    createCommandRunner: () => runner,
    detectPrivateApiServer: () => Promise.resolve({ private: isPrivate, reason: isPrivate ? 'ARM says it is private' : 'ARM says it is public' }),
  });
  const unreachable = () => Promise.resolve({ ok: false as const, detail: 'ENOTFOUND' });
  const reachable = () => Promise.resolve({ ok: true as const });

  it.each<[string, 'false' | 'true' | 'auto', boolean, typeof reachable | typeof unreachable, boolean, string | undefined]>([
    ['false: always direct', 'false', true, unreachable, false, undefined],
    ['true: always runCommand', 'true', false, reachable, true, 'Through AKS runCommand (private-cluster: true).'],
    ['auto, public', 'auto', false, unreachable, false, 'private-cluster: auto: ARM says it is public, so the API server directly.'],
    ['auto, private but reachable (a runner in the VNet)', 'auto', true, reachable, false, 'private-cluster: auto: ARM says it is private, but this runner reaches it, so the API server directly.'],
    ['auto, private and out of reach', 'auto', true, unreachable, true, 'private-cluster: auto: ARM says it is private and this runner cannot reach it (ENOTFOUND), so through AKS runCommand.'],
  ])('%s', async (_, mode, isPrivate, probe, viaRunCommand, why) => {
    const route = await chooseRoute(mode, signIn(isPrivate), probe);
    expect({ viaRunCommand: route.runner === runner, why: route.why }).toEqual({ viaRunCommand, why });
  });
});
