/**
 * The `attach` variant of prepare + submit: find a run this action created earlier (a `wait:
 * false` step's `run-id`, or an earlier attempt's) and hand it to follow and report as if it had
 * just been created. State is saved as submit saves it, so cancel and the post step treat the
 * attached run exactly as a fresh one.
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { describeRun, runSourceName } from '../core/concurrency.js';
import { jobPath, SourceError } from '../core/errors.js';
import { Annotation, Input, Label, MANAGED_BY, Output, State } from '../core/names.js';
import type { RunSettings, SourceKind } from '../core/settings.js';
import { decodeStatus, TERMINAL_STATUSES } from '../core/status.js';
import type { FollowOutcome } from './follow-job.js';
import { LogStreams } from './log-streams.js';
import type { RunDeps } from './run-deps.js';

export interface Attached {
  /** The settings with the attached run's real source (from its labels), for the summary. */
  readonly settings: RunSettings;
  readonly job: V1Job;
  /** Set when the run had already finished: nothing to follow, report at once. */
  readonly finished: FollowOutcome | undefined;
}

const FINISHED_LOG_MS = 10_000;

/** @throws SourceError when the Job does not exist or this action did not create it */
export async function attachJob(settings: RunSettings, deps: RunDeps, signal: AbortSignal): Promise<Attached> {
  const { cluster, reporter, clock } = deps;
  const name = settings.attach ?? '';
  const path = jobPath(settings.namespace, name);
  const job = await cluster.readJob(settings.namespace, name);
  if (!job) {
    throw new SourceError(path, `Run ${path} was not found. Check input '${Input.attach}' and input '${Input.namespace}'; a finished run is deleted after its ttlSecondsAfterFinished, or by its CronJob's history limit.`);
  }
  const labels = job.metadata?.labels ?? {};
  const label = labels[Label.sourceKind];
  const kind: SourceKind | undefined = label === 'Job' || label === 'CronJob' ? label : undefined;
  const source = runSourceName(job);
  if (labels[Label.managedBy] !== MANAGED_BY || kind === undefined || source === undefined) {
    throw new SourceError(path,
      `${path} was not created by this action (it lacks the label ${Label.managedBy}=${MANAGED_BY} and its source labels), so input '${Input.attach}' cannot follow it. ` +
      `Attach to the 'run-id' of an earlier step, or clone it with input '${Input.job}'.`);
  }
  // As submit does: the post step deletes an attached run the step did not see to its end.
  reporter.saveState(State.namespace, settings.namespace);
  reporter.saveState(State.name, name);
  reporter.saveState(State.submissionId, job.metadata?.annotations?.[Annotation.submissionId] ?? '');
  reporter.saveState(State.uid, job.metadata?.uid ?? '');
  reporter.setOutput(Output.runId, name);
  const status = decodeStatus(job);
  reporter.info(`Attached to ${describeRun(job, settings.namespace, clock.now())}: ${status}.`);
  const attached = { ...settings, source: { kind, name: source } };
  if (!TERMINAL_STATUSES.has(status)) return { settings: attached, job, finished: undefined };
  return { settings: attached, job, finished: await finishedOutcome(attached, deps, job, signal) };
}

/** A finished run's pods and logs, read once (the follow's watch would end before it saw them). */
async function finishedOutcome(settings: RunSettings, deps: RunDeps, job: V1Job, signal: AbortSignal): Promise<FollowOutcome> {
  const list = await deps.cluster.listPodsByLabel(settings.namespace, `batch.kubernetes.io/controller-uid=${job.metadata?.uid ?? ''}`);
  const pods = new Map<string, V1Pod>(list.map((p) => [p.metadata?.name ?? '', p]));
  const logs = new LogStreams(deps.cluster, deps.reporter, deps.clock, settings.namespace, settings.maxLogStreams, list.length > 1, signal);
  if (settings.followLogs) {
    for (const pod of list) logs.onPod(pod);
    await logs.drain(FINISHED_LOG_MS);
  }
  return { end: 'terminal', job, status: decodeStatus(job), stuck: undefined, pods, lastLines: logs.tail() };
}
