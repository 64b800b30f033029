/**
 * The action through nektos/act, an independent implementation of the GitHub runner, on its host
 * platform (-P ubuntu-latest=-self-hosted) with Node 24 first on PATH, against the local control
 * plane: .github/workflows/act-local.yml (uses: ./), the reusable workflow run-aks-job.yml called by
 * act-reusable.yml, and act's cancellation (Ctrl-C: act kills the step at once, then runs the
 * post step). scripts/install-act.sh builds act into .cache/bin; without it these tests are skipped.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BatchV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { node24Path, ROOT } from '../../scripts/lib/runner.mjs';
import { Label } from '../../src/core/names.js';
import { adminKubeConfig, createTestNamespace, waitFor } from '../support/cluster.js';
import { kubeconfigText, stagedAction } from '../support/runner-steps.js';
import { sourceCronJob, sourceJob } from '../support/sources.js';

const actPath = process.env.ACT_BIN ?? join(ROOT, '.cache', 'bin', 'act');
const haveAct = existsSync(actPath);
if (!haveAct) console.warn(`runner-act: skipped, ${actPath} is missing: run scripts/install-act.sh`);

interface ActRun {
  readonly code: number | null;
  readonly output: string;
}

let kc: KubeConfig;
let batch: BatchV1Api;
let core: CoreV1Api;
let ns: string;
let token: string;
let cacheDir: string;
let action: ReturnType<typeof stagedAction>;

/**
 * Starts act for one workflow_dispatch workflow. The kubeconfig reaches the workflow as the secret
 * CLUSTER_KUBECONFIG, read by act from its environment (never on the command line). act's cache and
 * artifact servers stay off or on loopback.
 */
function startAct(workflow: string, args: string[], onOutput?: (all: string) => void): { pid: number; done: Promise<ActRun> } {
  const child = spawn(
    actPath,
    [
      'workflow_dispatch',
      '-W', workflow.includes('/') ? workflow : join('.github', 'workflows', workflow),
      '-P', 'ubuntu-latest=-self-hosted',
      '--secret', 'CLUSTER_KUBECONFIG',
      '--action-cache-path', cacheDir,
      '--action-offline-mode',
      '--no-cache-server',
      '--cache-server-addr', '127.0.0.1',
      '--artifact-server-addr', '127.0.0.1',
      ...args,
    ],
    {
      cwd: ROOT,
      env: { PATH: `${dirname(node24Path())}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/root', CLUSTER_KUBECONFIG: kubeconfigText() },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const add = (d: string): void => {
    output += d;
    onOutput?.(output);
  };
  child.stdout.setEncoding('utf8').on('data', add);
  child.stderr.setEncoding('utf8').on('data', add);
  const done = new Promise<ActRun>((resolve) => child.on('close', (code) => resolve({ code, output })));
  return { pid: child.pid ?? 0, done };
}

beforeAll(async () => {
  if (!haveAct) return;
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  core = kc.makeApiClient(CoreV1Api);
  ns = await createTestNamespace('act');
  token = kc.getCurrentUser()?.token ?? '';
  cacheDir = mkdtempSync(join(tmpdir(), 'act-cache-'));
  action = stagedAction();
});
afterAll(() => {
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  action?.dispose();
});

describe.skipIf(!haveAct)('nektos/act runs the action (needs .cache/bin/act from scripts/install-act.sh)', () => {
  it('runs uses: ./ on Node 24: the Job succeeds, outputs are set, the post step runs, the token is masked', async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: sourceJob('act-export', { env: { GREETING: 'hi', SIM_DURATION: '1s', SIM_TERMINATION_MESSAGE: 'exported 42 rows' } }),
    });
    const { done } = startAct('act-local.yml', ['--input', `namespace=${ns}`, '--input', 'job=act-export', '--input', 'params={"GREETING":"from act"}']);
    const { code, output } = await done;

    expect(output).toContain('🏁  Job succeeded');
    expect(code).toBe(0);
    expect(output).toMatch(/\| v24\.\d+\.\d+/);
    expect(output).toMatch(/✅ {2}Success - Main Run the Job/);
    expect(output).toContain('GREETING=from act');
    const runId = /::set-output:: run-id=(\S+)/.exec(output)?.[1] ?? '';
    expect(runId).toMatch(/^act-export-[a-z0-9]{5}$/);
    expect(output).toContain(`outputs: run-id=${runId} status=Success reason=CompletionsReached`);
    expect(output).toContain('outputs: result=exported 42 rows');
    expect(output).toContain('Summary - ### ✅ Job');
    expect(output).toMatch(/Run Post Run the Job[^]*The main step saw jobs\/[^ ]+ to its end[^]*✅ {2}Success - Post Run the Job/);
    expect(output).not.toContain(token);

    const job = await batch.readNamespacedJob({ namespace: ns, name: runId });
    expect(job.status?.succeeded).toBe(1);
  });

  it('runs the reusable workflow run-aks-job.yml (workflow_call) and hands its outputs to the next job', async () => {
    await batch.createNamespacedCronJob({
      namespace: ns,
      body: sourceCronJob('act-nightly', { env: { GREETING: 'hi', SIM_DURATION: '1s', SIM_TERMINATION_MESSAGE: 'nightly ok' } }),
    });
    const { done } = startAct('act-reusable.yml', [
      '--local-repository', `org/polysync-aks-action@v1=${action.root}`,
      '--input', `namespace=${ns}`,
      '--input', 'cronjob=act-nightly',
    ]);
    const { code, output } = await done;

    expect(code).toBe(0);
    expect(output).toContain('GREETING=from the reusable workflow');
    expect(output).toMatch(/workflow outputs: run-id=act-nightly-[a-z0-9]{5} status=Success result=nightly ok/);
    expect(output).not.toContain(token);
  });

  it('on cancel (Ctrl-C) kills the step, then the post step deletes the unfinished Job and its pods', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: sourceJob('act-long', { env: { SIM_DURATION: '120s', SIM_LOG: 'working' } }) });
    let running!: () => void;
    const isRunning = new Promise<void>((resolve) => (running = resolve));
    const act = startAct('act-local.yml', ['--input', `namespace=${ns}`, '--input', 'job=act-long'], (all) => {
      if (all.includes('→ Running')) running();
    });
    await Promise.race([isRunning, act.done]);
    process.kill(act.pid, 'SIGINT');
    const { code, output } = await act.done;

    expect(code).not.toBe(0);
    expect(output).toContain('this step has been cancelled');
    expect(output).toMatch(/Run Post Run the Job[^]*Unfinished Job deleted[^]*✅ {2}Success - Post Run the Job/);
    const selector = `${Label.sourceName}=act-long`;
    await waitFor(
      async () =>
        (await batch.listNamespacedJob({ namespace: ns, labelSelector: selector })).items.length === 0 &&
        (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=batch' })).items.every((p) => !p.metadata?.name?.startsWith('act-long-')),
      { timeoutMs: 30_000, what: 'no Job or Pod of act-long' },
    );
  });

  it('has no ID-token service: an Azure sign-in fails with a clear error (what act lacks; see the README)', async () => {
    const { code, output } = await startAct('test/act/oidc-probe.yml', []).done;
    expect(code).not.toBe(0);
    expect(output).toContain('::error title=Sign-in failed::');
    expect(output).toContain('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
    // The post step still runs and, with no Job created, has nothing to do.
    expect(output).toMatch(/✅ {2}Success - Post Sign in with workload identity federation/);
  });
});
