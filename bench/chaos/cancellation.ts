/**
 * Cancellation of the bundled main step as the GitHub runner does it (SIGINT, SIGTERM 7.5 s later,
 * SIGKILL 2.5 s after that, then the post step), at random moments; a third of the trials go
 * through a fault proxy (create answers held back, watches cut, a 503 on a read or the delete).
 * After each: no Job or Pod of the run left unless the Job had finished (then it is kept), and the
 * post step exits 0. Same moments as test/integration/runner-cancel.test.ts.
 */
import { readFileSync, rmSync } from 'node:fs';
import { cancelLikeRunner, killNow, node24Path, parseFileCommands, runnerFiles, startStep } from '../../scripts/lib/runner.mjs';
import { startApiServerFaultProxy, type ApiServerFaultProxy, type Fault, type FaultPlan } from '../../test/support/fault-proxy.js';
import { prng, type Prng } from '../../test/support/prng.js';
import { createSource, eventually, isJobCreate, jobEnd, podsLabelled, runsOf, type Campaign, type ChaosWorld, type TrialResult } from './world.js';

const MOMENTS = {
  start: { trigger: undefined, maxDelayMs: 400, duration: '30s', kill: false },
  'before-create': { trigger: '::group::Submit', maxDelayMs: 40, duration: '30s', kill: false },
  'after-create': { trigger: 'Created jobs/', maxDelayMs: 60, duration: '30s', kill: false },
  'mid-run': { trigger: '→ Running', maxDelayMs: 1500, duration: '30s', kill: false },
  'after-completion': { trigger: '→ Success', maxDelayMs: 300, duration: '1s', kill: false },
  'kill-now': { trigger: '::group::Submit', maxDelayMs: 1500, duration: '30s', kill: true },
} as const;
type Moment = keyof typeof MOMENTS;

/** Light faults a flaky network or a busy API server brings. */
function faultPlan(r: Prng, drawn: string[]): FaultPlan {
  let heldCreate = false;
  let failedReadOrDelete = r.chance(0.5) ? 0 : 1;
  return (req) => {
    if (isJobCreate(req) && !heldCreate) {
      heldCreate = true;
      drawn.push('create answer held 1 s');
      return { kind: 'delay', ms: 1000 };
    }
    if (/[?&]watch=true/.test(req.path) && r.chance(0.5)) return { kind: 'cut', afterMs: r.int(500, 3000) };
    if ((req.method === 'DELETE' || (req.method === 'GET' && /\/jobs\/[^/?]+(\?|$)/.test(req.path))) && failedReadOrDelete === 0) {
      failedReadOrDelete++;
      const f: Fault = { kind: 'status', code: 503, retryAfterSeconds: 1 };
      drawn.push(`503 on ${req.method}`);
      return f;
    }
    return undefined;
  };
}

export async function cancellationTrial(w: ChaosWorld, seed: number): Promise<TrialResult> {
  const r = prng(seed);
  const moment = r.pick(Object.keys(MOMENTS) as Moment[]);
  const m = MOMENTS[moment];
  const delayMs = r.int(0, m.maxDelayMs);
  const viaProxy = r.chance(1 / 3);
  const drawn: string[] = [];
  const source = `cancel-${seed.toString(36)}`;
  await createSource(w, source, { SIM_DURATION: m.duration, SIM_LOG: 'working' }, { trial: source });
  let proxy: ApiServerFaultProxy | undefined;
  if (viaProxy) proxy = await startApiServerFaultProxy(w.admin, faultPlan(r, drawn));
  const kubeconfig = proxy?.kubeconfigText ?? w.kubeconfigText;
  const inputs = { job: source, namespace: w.namespace, kubeconfig, timeout: '10m' };
  const files = runnerFiles();
  try {
    let seen = '';
    let armed = false;
    let fire: () => void = () => undefined;
    const fired = new Promise<void>((resolve) => (fire = resolve));
    const arm = (): void => {
      if (armed) return;
      armed = true;
      setTimeout(fire, delayMs);
    };
    const main = startStep({
      step: 'main', files, bundleRoot: w.bundleRoot, nodePath: node24Path(), inputs,
      onStdout: (chunk) => {
        seen += chunk;
        if (m.trigger !== undefined && seen.includes(m.trigger)) arm();
      },
    });
    let exited = false;
    void main.done.then(() => (exited = true));
    if (m.trigger === undefined) arm();
    await Promise.race([fired, main.done]);
    const exitedBefore = exited;
    const endedBy = m.kill ? await killNow(main.child, main.done) : await cancelLikeRunner(main.child, main.done);
    await main.done;
    const before = await runsOf(w, source);
    const finished = before.length === 1 && jobEnd(before[0]) !== 'unfinished';
    const post = await startStep({ step: 'post', files, bundleRoot: w.bundleRoot, nodePath: node24Path(), inputs }).done;
    const postSaid = /Cleanup could not complete[^\n]*/.exec(post.stdout)?.[0] ?? '';
    const problems: string[] = [];
    if (post.code !== 0) problems.push(`post step exit ${post.code}`);
    let left: string[] = [];
    let pods: string[] = [];
    if (finished) {
      left = (await runsOf(w, source)).map((j) => j.metadata?.name ?? '');
      if (left.length !== 1) problems.push('the finished Job was deleted');
    } else {
      await eventually(async () => (await runsOf(w, source)).length === 0 && (await podsLabelled(w, `trial=${source}`)).length === 0, 30_000);
      left = (await runsOf(w, source)).map((j) => `${j.metadata?.name ?? ''}${j.metadata?.deletionTimestamp ? ' (deleting)' : ''}`);
      pods = await podsLabelled(w, `trial=${source}`);
      if (left.length > 0 || pods.length > 0) problems.push(`left: Jobs [${left.join(', ')}], Pods [${pods.join(', ')}]${postSaid ? ` (post: ${postSaid.slice(0, 200)})` : ''}`);
    }
    const state = parseFileCommands(readFileSync(files.state, 'utf8'));
    const how = `${moment}+${delayMs} ms${viaProxy ? ` via proxy${drawn.length ? ` (${drawn.join(', ')})` : ''}` : ''}, ended by ${exitedBefore ? 'exit before cancel' : endedBy}, job ${state['job-name'] ? 'created' : 'none'}${finished ? ' finished' : ''}`;
    return { ok: problems.length === 0, detail: `${how}${problems.length ? `; ${problems.join('; ')}` : ''}` };
  } finally {
    await proxy?.close();
    rmSync(files.dir, { recursive: true, force: true });
  }
}

export const cancellation = (trials: number): Campaign => ({
  name: 'cancellation',
  promise: '0 Jobs/Pods left, 0 finished Jobs deleted, 0 failing post steps',
  trials,
  concurrency: 3,
  run: cancellationTrial,
});
