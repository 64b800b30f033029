/**
 * Cancellation as the GitHub runner does it (actions/runner ProcessInvoker.cs): SIGINT to the step's
 * process group, SIGTERM 7.5 s later, SIGKILL 2.5 s after that; then the post step (post-if:
 * always()). Trials at random moments of the run, and with SIGKILL straight away (the runner
 * machine lost, or nektos/act, which kills the step at once). After each trial: no Job and no Pod of
 * that run left, except a Job that had already finished, which the post step must never delete;
 * and the post step never fails.
 *
 * CANCEL_TRIALS=N runs N trials (default 16, two per moment); CANCEL_SEED=S replays a sequence.
 * The outcomes go to .cache/cancel-trials.json and a one-line summary is printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Job } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelLikeRunner, killNow, ROOT } from '../../scripts/lib/runner.mjs';
import { startApiProxy, type ApiProxy } from '../support/api-proxy.js';
import { adminKubeConfig, createTestNamespace, jobsFromSource, waitFor } from '../support/cluster.js';
import { collect, kubeconfigText, runStep, stagedAction, start } from '../support/runner-steps.js';
import { sourceJob } from '../support/sources.js';

/** When the cancel comes: the trigger seen on the main step's stdout, then a random delay. */
const MOMENTS = {
  /** Right after the spawn: during start-up, input parsing or connect, before the create. */
  start: { trigger: undefined, maxDelayMs: 400, duration: '30s', kill: false, slowCreate: false },
  /** The Submit group opened: the create is about to be sent or in flight. */
  'before-create': { trigger: '::group::Submit', maxDelayMs: 40, duration: '30s', kill: false, slowCreate: false },
  /** The create's response arrived. */
  'after-create': { trigger: 'Created jobs/', maxDelayMs: 60, duration: '30s', kill: false, slowCreate: false },
  /** The Job's pod runs. */
  'mid-run': { trigger: '→ Running', maxDelayMs: 1500, duration: '30s', kill: false, slowCreate: false },
  /** The Job completed; the step is reporting or already gone. */
  'after-completion': { trigger: '→ Success', maxDelayMs: 300, duration: '1s', kill: false, slowCreate: false },
  /**
   * The create is in flight: the API server has the request (and creates the Job) but its answer is
   * held back by a proxy, so the step does not know the uid yet when the signal comes.
   */
  'create-in-flight': { trigger: '::group::Submit', maxDelayMs: 500, duration: '30s', kill: false, slowCreate: true },
  /** The same, with SIGKILL straight away. */
  'kill-in-flight': { trigger: '::group::Submit', maxDelayMs: 500, duration: '30s', kill: true, slowCreate: true },
  /** SIGKILL with no SIGINT first, at a random moment from the Submit group to mid-run. */
  'kill-now': { trigger: '::group::Submit', maxDelayMs: 1500, duration: '30s', kill: true, slowCreate: false },
} as const;
type Moment = keyof typeof MOMENTS;

interface Trial {
  readonly id: string;
  readonly moment: Moment;
  readonly delayMs: number;
  endedBy?: string;
  mainExit?: string;
  jobName?: string;
  /** The main step's last lines, to see where the signal caught it. */
  mainTail?: string[];
  jobFinished?: boolean;
  post?: { code: number | null; result: string };
  leftJobs?: string[];
  leftPods?: string[];
  ok?: boolean;
}

/** Small deterministic PRNG (mulberry32), so a failing sequence can be replayed with CANCEL_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seed = Number(process.env.CANCEL_SEED ?? Date.now() % 1_000_000);
const count = Number(process.env.CANCEL_TRIALS ?? 16);
const random = prng(seed);
const moments = Object.keys(MOMENTS) as Moment[];
const trials: Trial[] = Array.from({ length: count }, (_, i) => {
  const moment = moments[i % moments.length] as Moment;
  return { id: `cancel-${i}`, moment, delayMs: Math.round(random() * MOMENTS[moment].maxDelayMs) };
});

let kc: KubeConfig;
let batch: BatchV1Api;
let core: CoreV1Api;
let ns: string;
let kubeconfig: string;
let action: ReturnType<typeof stagedAction>;
/** Holds back each Job create's answer for a second (the 'in-flight' moments). */
let slowProxy: ApiProxy;

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  core = kc.makeApiClient(CoreV1Api);
  ns = await createTestNamespace('cancel');
  kubeconfig = kubeconfigText();
  action = stagedAction();
  slowProxy = await startApiProxy(kc, { delayJobCreateAnswerMs: 1000 });
});

afterAll(async () => {
  action?.dispose();
  await slowProxy?.close();
  const dir = join(ROOT, '.cache');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cancel-trials.json'), JSON.stringify({ seed, trials }, null, 2) + '\n');
  const done = trials.filter((t) => t.ok !== undefined);
  const tally = (key: (t: Trial) => string): string =>
    Object.entries(Object.groupBy(done, key)).map(([k, v]) => `${k} ${v?.length ?? 0}`).join(', ');
  console.log(
    `cancel trials (seed ${seed}): ${done.length} run, ${done.filter((t) => t.ok).length} ok; ` +
      `main ended by: ${tally((t) => t.endedBy ?? '?')}; post: ${tally((t) => `${t.post?.result ?? '?'}/exit ${t.post?.code ?? '?'}`)}; ` +
      `Jobs left unfinished: ${done.reduce((n, t) => n + (t.jobFinished ? 0 : (t.leftJobs?.length ?? 0)), 0)}, ` +
      `pods left: ${done.reduce((n, t) => n + (t.jobFinished ? 0 : (t.leftPods?.length ?? 0)), 0)}, ` +
      `finished Jobs kept: ${done.filter((t) => t.jobFinished && t.leftJobs?.length === 1).length}/${done.filter((t) => t.jobFinished).length} ` +
      '(details: .cache/cancel-trials.json)',
  );
});

const isFinished = (job: V1Job): boolean =>
  (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

async function jobsOf(trial: Trial): Promise<V1Job[]> {
  return jobsFromSource(kc, ns, trial.id);
}
async function podsOf(trial: Trial): Promise<string[]> {
  return (await core.listNamespacedPod({ namespace: ns, labelSelector: `trial=${trial.id}` })).items.map((p) => p.metadata?.name ?? '');
}

/** What the post step did, from its log (src/run/cleanup.ts's messages). */
function postResult(stdout: string): string {
  if (/Deleted jobs\//.test(stdout)) return 'deleted';
  if (/already gone/.test(stdout)) return 'gone';
  if (/while the main step watched it/.test(stdout)) return 'main-saw-end';
  if (/already finished/.test(stdout)) return 'kept-finished';
  if (/Cleanup could not complete/.test(stdout)) return 'warned';
  return 'no-job';
}

async function runTrial(trial: Trial): Promise<void> {
  const m = MOMENTS[trial.moment];
  await batch.createNamespacedJob({
    namespace: ns,
    body: sourceJob(trial.id, { env: { SIM_DURATION: m.duration, SIM_LOG: 'working' }, labels: { trial: trial.id } }),
  });
  const via = m.slowCreate ? slowProxy.kubeconfigText : kubeconfig;
  const inputs = { job: trial.id, namespace: ns, kubeconfig: via, timeout: '10m' };

  let exited = false;
  let armed = false;
  let seen = '';
  let fire: () => void = () => undefined;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  const arm = (): void => {
    if (armed) return;
    armed = true;
    setTimeout(fire, trial.delayMs);
  };
  const main = start('main', {
    root: action.root,
    inputs,
    onStdout: (chunk) => {
      seen += chunk;
      if (m.trigger !== undefined && seen.includes(m.trigger)) arm();
    },
  });
  void main.done.then(() => (exited = true));
  if (m.trigger === undefined) arm();
  // A trigger that never shows (the run failed early) still cancels, after the step ended.
  await Promise.race([fired, main.done]);
  const exitedBefore = exited;
  const endedBy = m.kill ? await killNow(main.child, main.done) : await cancelLikeRunner(main.child, main.done);
  const result = await main.done;
  const mainRun = collect(result, main.files);
  trial.endedBy = exitedBefore ? 'exited-before-cancel' : endedBy;
  trial.mainExit = result.signal ?? `code ${result.code}`;
  trial.jobName = mainRun.state['job-name'] ?? mainRun.outputs['run-id'];
  trial.mainTail = result.stdout.trimEnd().split('\n').slice(-4);

  // The Job as it was before the post step: finished ones must survive it.
  const before = await jobsOf(trial);
  trial.jobFinished = before.length === 1 && isFinished(before[0] as V1Job);

  const post = await runStep('post', { root: action.root, inputs: { job: trial.id, namespace: ns, kubeconfig: via }, files: main.files });
  trial.post = { code: post.code, result: postResult(post.stdout) };

  if (trial.jobFinished) {
    trial.leftJobs = (await jobsOf(trial)).map((j) => j.metadata?.name ?? '');
    trial.leftPods = await podsOf(trial);
  } else {
    // Deletion is Background propagation: the garbage collector removes the pods shortly after.
    await waitFor(async () => (await jobsOf(trial)).length === 0 && (await podsOf(trial)).length === 0, {
      timeoutMs: 30_000,
      what: `no Job or Pod of ${trial.id}`,
    }).catch(() => undefined);
    trial.leftJobs = (await jobsOf(trial)).map((j) => `${j.metadata?.name ?? ''}${j.metadata?.deletionTimestamp ? ' (deleting)' : ''}`);
    trial.leftPods = await podsOf(trial);
  }
  trial.ok = post.code === 0 && (trial.jobFinished ? trial.leftJobs.length === 1 : trial.leftJobs.length === 0 && trial.leftPods.length === 0);
}

describe(`cancelling the bundled main step like the runner (${count} trials, seed ${seed})`, () => {
  for (const trial of trials) {
    it(`${trial.id}: ${trial.moment} + ${trial.delayMs} ms`, async () => {
      await runTrial(trial);
      expect(trial.post?.code, 'the post step never fails').toBe(0);
      if (trial.jobFinished) {
        expect(trial.leftJobs, 'a finished Job is never deleted by the post step').toHaveLength(1);
      } else {
        expect({ jobs: trial.leftJobs, pods: trial.leftPods }, 'nothing of the run is left').toEqual({ jobs: [], pods: [] });
      }
    }, 90_000);
  }
});
