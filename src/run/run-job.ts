/**
 * The run, as named phases: prepare the clone, submit it, follow it, report. Every wait takes the
 * run's AbortSignal (fired by timeout, SIGINT or SIGTERM); on abort the Job is deleted.
 */
import type { V1Job } from '@kubernetes/client-node';
import { JobFailedError, jobPath, KubernetesApiError, toError } from '../core/errors.js';
import { withNewSuffix } from '../core/naming.js';
import { Annotation, Input, Output, State } from '../core/names.js';
import { appContainerName, runOutputs } from '../core/outputs.js';
import type { AppEnd } from '../core/sidecars.js';
import { queuedTimeout } from '../core/queue.js';
import type { JobCluster } from '../core/ports.js';
import type { RunSettings } from '../core/settings.js';
import { decodeStatus, TERMINAL_STATUSES, terminalReason, type RunStatus } from '../core/status.js';
import { failureMessage, renderSummary } from '../core/summary.js';
import { deleteJobBefore, STOP_GRACE_MS } from './delete-job.js';
import { followJob, type FollowOutcome } from './follow-job.js';
import { attachJob } from './attach-job.js';
import { previewPolicy, submitUnderPolicy } from './concurrency-gate.js';
import { createRun } from './create-run.js';
import { redact, redactingReporter, secretParts } from './redact.js';
import { prepareJob } from './prepare-job.js';
import { recoverEnd } from './recover-end.js';
import type { RunDeps } from './run-deps.js';

export type { RunDeps } from './run-deps.js';

export interface RunResult {
  readonly name: string;
  readonly status: RunStatus | 'DryRun' | 'Submitted';
}

/** Why the run's signal fired: set as the AbortSignal's reason by the entry file. */
export type AbortCause = 'timeout' | 'SIGINT' | 'SIGTERM';

export async function runJob(settings: RunSettings, deps: RunDeps, signal: AbortSignal): Promise<RunResult> {
  // Before anything is printed: secret params are masked, and redacted from what the action writes.
  const values = settings.secretParams.map(([, v]) => v);
  const reporter = redactingReporter(deps.reporter, values);
  try {
    return await runPhases(settings, { ...deps, reporter }, signal);
  } catch (err) {
    if (err instanceof Error) err.message = redact(err.message, secretParts(values));
    throw err;
  }
}

async function runPhases(settings: RunSettings, deps: RunDeps, signal: AbortSignal): Promise<RunResult> {
  const { reporter } = deps;
  // The grace for the delete counts from the signal, not from when following has wound down.
  let stoppedAt: number | undefined;
  signal.addEventListener('abort', () => (stoppedAt = deps.clock.now()), { once: true });
  if (settings.attach !== undefined) {
    // attach instead of prepare + submit; follow and report as for a fresh run.
    const attached = await reporter.group(`Attach ${jobPath(settings.namespace, settings.attach)}`, () => attachJob(settings, deps, signal));
    const outcome = attached.finished ?? (await follow(attached.settings, deps, attached.job, signal));
    return reporter.group('Report', () => report(attached.settings, deps, outcome, signal, (stoppedAt ?? deps.clock.now()) + STOP_GRACE_MS));
  }
  const job = await reporter.group(`Prepare ${settings.source.kind.toLowerCase()}s/${settings.namespace}/${settings.source.name}`, () =>
    prepareJob(settings, deps),
  );
  const name = job.metadata?.name ?? '';
  if (settings.dryRun) return dryRun(settings, deps, job);

  const created = await reporter.group(`Submit ${jobPath(settings.namespace, name)}`, () => submit(settings, deps, job, signal));
  if (!settings.wait) {
    // The user asked for the Job to outlive the step: the post step must not clean it up.
    reporter.saveState(State.finished, 'true');
    reporter.notice(`Submitted ${jobPath(settings.namespace, name)}; not waiting (wait: false).`, 'Job submitted');
    reporter.setOutput(Output.status, decodeStatus(created));
    return { name, status: 'Submitted' };
  }
  const outcome = await follow(settings, deps, created, signal);
  return reporter.group('Report', () => report(settings, deps, outcome, signal, (stoppedAt ?? deps.clock.now()) + STOP_GRACE_MS));
}

function follow(settings: RunSettings, deps: RunDeps, job: V1Job, signal: AbortSignal): Promise<FollowOutcome> {
  return deps.reporter.group(`Follow ${jobPath(settings.namespace, job.metadata?.name ?? '')}`, () =>
    followJob(
      deps,
      {
        namespace: settings.namespace,
        job,
        followLogs: settings.followLogs,
        maxLogStreams: settings.maxLogStreams,
        imagePullGraceMs: settings.imagePullGraceSeconds * 1000,
        ignoreSidecars: settings.ignoreSidecars,
      },
      signal,
    ),
  );
}

async function dryRun(settings: RunSettings, deps: RunDeps, job: V1Job): Promise<RunResult> {
  await previewPolicy(settings, deps);
  const validated = await deps.cluster.createJob(settings.namespace, job, { dryRun: true, signal: AbortSignal.timeout(60_000) });
  const name = validated.metadata?.name ?? '';
  // Loaded here: only a dry run prints YAML, and parsing the library delays every run's start.
  const { toYaml } = await import('./job-yaml.js');
  deps.reporter.info(`The API server accepted the Job (dryRun=All); nothing was created:\n${toYaml(stripForDisplay(validated))}`);
  deps.reporter.setOutput(Output.runId, name);
  deps.reporter.setOutput(Output.status, 'DryRun');
  return { name, status: 'DryRun' };
}

async function submit(settings: RunSettings, deps: RunDeps, job: V1Job, signal: AbortSignal): Promise<V1Job> {
  const submission = Math.floor(deps.random() * 2 ** 48).toString(36) + Math.floor(deps.random() * 2 ** 48).toString(36);
  const withId: V1Job = {
    ...job,
    metadata: { ...job.metadata, annotations: { ...job.metadata?.annotations, [Annotation.submissionId]: submission } },
  };
  if (signal.aborted) {
    const cause = signal.reason as AbortCause | undefined;
    const { terms } = deps.reporter;
    const why = cause === 'timeout' ? `the timeout of ${settings.timeoutSeconds ?? 0} s passed` : `the ${terms.run} was cancelled (${cause ?? 'signal'})`;
    throw new JobFailedError(`Stopped before submitting: ${why}. No Job was created.`, { status: 'Cancelled', reason: cause === 'timeout' ? 'Timeout' : terms.cancelledReason });
  }
  // State first, before the request: the name is fixed before the first attempt, so if the runner
  // kills us while the create is in flight (the server may already have made the Job), the post
  // step still finds and deletes it. The uid follows once the answer is in.
  deps.reporter.saveState(State.namespace, settings.namespace);
  deps.reporter.saveState(State.submissionId, submission);
  let attempted = '';
  const tried = (name: string): void => {
    attempted = name;
    deps.reporter.saveState(State.name, name);
  };
  const createUnderPolicy = () =>
    submitUnderPolicy(settings, deps, job.metadata?.name ?? '', signal, () =>
      createRun(settings, deps, withId, signal, (candidate) => createUnderFreeName(settings, deps, candidate, tried, signal)),
    );
  const created = await createUnderPolicy().catch(async (err: unknown) => {
    if (!signal.aborted) throw err;
    throw await stoppedWhileSubmitting(settings, deps, attempted, submission, signal);
  });
  const name = created.metadata?.name ?? '';
  deps.reporter.saveState(State.uid, created.metadata?.uid ?? '');
  deps.reporter.setOutput(Output.runId, name);
  deps.reporter.info(`Created ${jobPath(settings.namespace, name)} (uid ${created.metadata?.uid ?? '?'}).`);
  return created;
}

/**
 * Cancelled or timed out while the create was in flight: the server may have made the Job
 * anyway. Delete it now if it is there and ours (the post step checks again), and say so.
 */
async function stoppedWhileSubmitting(settings: RunSettings, deps: RunDeps, name: string, submission: string, signal: AbortSignal): Promise<JobFailedError> {
  const cause = signal.reason as AbortCause | undefined;
  const terms = deps.reporter.terms;
  const why = cause === 'timeout' ? `the timeout of ${settings.timeoutSeconds ?? 0} s passed` : `the ${terms.run} was cancelled (${cause ?? 'signal'})`;
  const existing = name ? await bounded(deps.cluster.readJob(settings.namespace, name)) : undefined;
  let fate = 'No Job was created.';
  if (existing && existing.metadata?.annotations?.[Annotation.submissionId] === submission) {
    const deleted = await bounded(deps.cluster.deleteJob(settings.namespace, name, existing.metadata.uid));
    fate = deleted === 'deleted' ? `${jobPath(settings.namespace, name)} had been created and was deleted.` : `${jobPath(settings.namespace, name)} may exist; the ${terms.postStep} deletes it.`;
  } else if (name) fate = `If the server created ${jobPath(settings.namespace, name)}, the ${terms.postStep} deletes it.`;
  return new JobFailedError(`Stopped while submitting: ${why}. ${fate}`, { status: 'Cancelled', reason: cause === 'timeout' ? 'Timeout' : terms.cancelledReason });
}

/** A call on the cancel path, given up after RECHECK_MS (the runner allows seconds). */
function bounded<T>(call: Promise<T>): Promise<T | undefined> {
  const deadline = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), RECHECK_MS).unref());
  return Promise.race([call.catch(() => undefined), deadline]);
}

/**
 * The run name is random, so another Job (an old run, someone else's) rarely holds it already:
 * the create then answers AlreadyExists for an object that is not ours (createJob adopts ours).
 * Pick a fresh suffix rather than failing the run; the state names each try before it is made.
 */
async function createUnderFreeName(
  settings: RunSettings,
  deps: RunDeps,
  job: V1Job,
  tried: (name: string) => void,
  signal: AbortSignal,
): Promise<V1Job> {
  let candidate = job;
  for (let attempt = 1; ; attempt++) {
    const name = candidate.metadata?.name ?? '';
    tried(name);
    try {
      return await deps.cluster.createJob(settings.namespace, candidate, { dryRun: false, signal });
    } catch (err) {
      if (!(err instanceof KubernetesApiError) || err.reason !== 'AlreadyExists' || attempt >= NAME_ATTEMPTS) throw err;
      const next = withNewSuffix(name, deps.random);
      deps.reporter.info(`${jobPath(settings.namespace, name)} already exists and is not this run's; creating ${jobPath(settings.namespace, next)} instead.`);
      candidate = { ...candidate, metadata: { ...candidate.metadata, name: next } };
    }
  }
}

const NAME_ATTEMPTS = 3;
const RECHECK_MS = 2000;

/** `deleteBy`: the clock time by which a stopped run's delete must be done (deleteJobBefore). */
async function report(settings: RunSettings, deps: RunDeps, outcome: FollowOutcome, signal: AbortSignal, deleteBy: number): Promise<RunResult> {
  const { reporter, cluster } = deps;
  const name = outcome.job.metadata?.name ?? '';
  const path = jobPath(settings.namespace, name);
  let status = outcome.status;
  let reason = terminalReason(outcome.job);
  let why: string | undefined;
  const finishedMeanwhile = outcome.end === 'aborted' && !TERMINAL_STATUSES.has(outcome.status) ? await finishedJob(cluster, settings.namespace, outcome.job) : undefined;
  if (finishedMeanwhile) {
    // The last state seen is stale: the Job ended just before the cancel. Never delete a
    // finished Job; report its real end.
    outcome = { ...outcome, job: finishedMeanwhile, status: decodeStatus(finishedMeanwhile) };
    status = outcome.status;
    reason = terminalReason(finishedMeanwhile);
  } else if (outcome.end === 'aborted' && !TERMINAL_STATUSES.has(outcome.status)) {
    const cause = signal.reason as AbortCause | undefined;
    status = 'Cancelled';
    reason = cause === 'timeout' ? 'Timeout' : reporter.terms.cancelledReason;
    const stopped = cause === 'timeout' ? `The timeout of ${settings.timeoutSeconds ?? 0} s passed` : `The ${reporter.terms.run} was cancelled (${cause ?? 'signal'})`;
    let deleted: 'deleted' | 'not-found';
    try {
      deleted = await deleteJobBefore(deps, { namespace: settings.namespace, name, uid: outcome.job.metadata?.uid }, deleteBy);
    } catch (err) {
      // State 'finished' stays unsaved, so the post step deletes the Job.
      throw new JobFailedError(`${stopped}; ${path} could not be deleted, the ${reporter.terms.postStep} will try again: ${toError(err).message}`, { status, reason, cause: err });
    }
    why = cause === 'timeout' && outcome.status === 'Queued'
      ? queuedTimeout(outcome.job, settings.namespace, settings.timeoutSeconds ?? 0, deleted === 'deleted')
      : `${stopped}; ${path} was ${deleted === 'deleted' ? 'deleted' : 'already gone'}.`;
  } else if (outcome.end === 'stuck' && outcome.stuck) {
    await cluster.deleteJob(settings.namespace, name, outcome.job.metadata?.uid);
    const stuck = outcome.stuck;
    status = 'Failed';
    reason = stuck.reason;
    why = stuck.what === 'Pod'
      ? `The Job controller could not create a pod for the image-pull-grace-period (${settings.imagePullGraceSeconds} s); ${path} was deleted. ${stuck.reason}: ${stuck.message}. Fix what the pod template refers to (ServiceAccount, ResourceQuota, PodSecurity level, PriorityClass).`
      : `${stuck.what} ${stuck.container} of pod ${stuck.pod} stayed in ${stuck.reason} for the image-pull-grace-period (${settings.imagePullGraceSeconds} s); ${path} was deleted. ${stuck.message}`.trim();
  } else if (outcome.end === 'app' && outcome.appEnd) {
    ({ status, reason, why } = await endIgnoringSidecars(settings, cluster, outcome, outcome.appEnd));
  } else if (outcome.end === 'gone') {
    ({ status, reason, why } = await recoverEnd(cluster, settings.namespace, outcome));
  } else if (outcome.end === 'deleted') {
    status = 'Failed';
    reason = 'Deleted';
    why = `${path} was deleted by someone else while the action waited for it.`;
  }
  reporter.saveState(State.finished, 'true');
  for (const [k, v] of runOutputs({ job: outcome.job, status, reason, pods: [...outcome.pods.values()], monitorUrl: deps.monitorUrl })) {
    reporter.setOutput(k, v);
  }
  const facts = { settings, job: outcome.job, status, reason, pods: [...outcome.pods.values()], lastLines: outcome.lastLines, monitorUrl: deps.monitorUrl, runUrl: deps.context.runUrl, runTerm: reporter.terms.run, timeline: reporter.rendersMermaid ? 'mermaid' as const : 'table' as const };
  await reporter.writeSummary(renderSummary(facts));
  if (status !== 'Success') {
    throw new JobFailedError(failureMessage({ ...facts, why }), { status, reason });
  }
  if (why) reporter.notice(why, outcome.end === 'app' ? 'Sidecars ignored' : 'Job end recovered');
  reporter.info(`${path} succeeded.`);
  return { name, status };
}

/** ignore-sidecars: the app container decided; delete the Job so its sidecars stop. */
async function endIgnoringSidecars(settings: RunSettings, cluster: JobCluster, outcome: FollowOutcome, end: AppEnd): Promise<{ status: RunStatus; reason: string | undefined; why: string }> {
  const name = outcome.job.metadata?.name ?? '';
  const deleted = await cluster.deleteJob(settings.namespace, name, outcome.job.metadata?.uid);
  const app = appContainerName(outcome.job) ?? '';
  const counts = `container '${app}' exited 0 in ${end.succeeded} pod${end.succeeded === 1 ? '' : 's'} and failed ${end.failed} time${end.failed === 1 ? '' : 's'}`;
  return {
    status: end.status,
    // What the Job controller would have said had the sidecars exited too.
    reason: end.status === 'Failed' ? 'BackoffLimitExceeded' : undefined,
    why: `Input '${Input.ignoreSidecars}': ${counts} while other containers still ran, so the run ended ${end.status}; ` +
      `${jobPath(settings.namespace, name)} was ${deleted === 'deleted' ? 'deleted' : 'already gone'} so they stop (the Job itself never reached a Complete or Failed condition).`,
  };
}

/** The Job as the server has it now, if it is still ours and has finished. */
async function finishedJob(cluster: JobCluster, namespace: string, seen: V1Job): Promise<V1Job | undefined> {
  // Bounded: on cancel the runner allows seconds, and the delete matters more than this look.
  const now = await bounded(cluster.readJob(namespace, seen.metadata?.name ?? ''));
  return now && now.metadata?.uid === seen.metadata?.uid && TERMINAL_STATUSES.has(decodeStatus(now)) ? now : undefined;
}

/** What a person wants to read in a dry run: no server-filled noise. */
function stripForDisplay(job: V1Job): V1Job {
  const { managedFields: _m, uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, ...metadata } = job.metadata ?? {};
  const { status: _s, ...rest } = job;
  return { ...rest, metadata };
}
