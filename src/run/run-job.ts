/**
 * The run, as named phases: prepare the clone, submit it, follow it, report. Every wait takes the
 * run's AbortSignal (fired by timeout, SIGINT or SIGTERM); on abort the Job is deleted.
 */
import { stringify } from 'yaml';
import type { V1Job } from '@kubernetes/client-node';
import { JobFailedError, jobPath } from '../core/errors.js';
import { Annotation, Output, State } from '../core/names.js';
import { runOutputs } from '../core/outputs.js';
import type { Clock, JobCluster, Reporter } from '../core/ports.js';
import type { RunContext, RunSettings } from '../core/settings.js';
import { decodeStatus, TERMINAL_STATUSES, terminalReason, type RunStatus } from '../core/status.js';
import { failureMessage, renderSummary } from '../core/summary.js';
import { followJob, type FollowOutcome } from './follow-job.js';
import { prepareJob } from './prepare-job.js';

export interface RunDeps {
  readonly cluster: JobCluster;
  readonly reporter: Reporter;
  readonly clock: Clock;
  readonly context: RunContext;
  /** Random source for the name suffix and the submission id. */
  readonly random: () => number;
  readonly monitorUrl: string | undefined;
}

export interface RunResult {
  readonly name: string;
  readonly status: RunStatus | 'DryRun' | 'Submitted';
}

/** Why the run's signal fired: set as the AbortSignal's reason by the entry file. */
export type AbortCause = 'timeout' | 'SIGINT' | 'SIGTERM';

export async function runJob(settings: RunSettings, deps: RunDeps, signal: AbortSignal): Promise<RunResult> {
  const { reporter } = deps;
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
  const outcome = await reporter.group(`Follow ${jobPath(settings.namespace, name)}`, () =>
    followJob(
      deps,
      {
        namespace: settings.namespace,
        job: created,
        followLogs: settings.followLogs,
        maxLogStreams: settings.maxLogStreams,
        imagePullGraceMs: settings.imagePullGraceSeconds * 1000,
      },
      signal,
    ),
  );
  return reporter.group('Report', () => report(settings, deps, outcome, signal));
}

async function dryRun(settings: RunSettings, deps: RunDeps, job: V1Job): Promise<RunResult> {
  const validated = await deps.cluster.createJob(settings.namespace, job, { dryRun: true, signal: AbortSignal.timeout(60_000) });
  const name = validated.metadata?.name ?? '';
  deps.reporter.info(`The API server accepted the Job (dryRun=All); nothing was created:\n${stringify(stripForDisplay(validated))}`);
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
    const why = cause === 'timeout' ? `the timeout of ${settings.timeoutSeconds ?? 0} s passed` : `the workflow was cancelled (${cause ?? 'signal'})`;
    throw new JobFailedError(`Stopped before submitting: ${why}. No Job was created.`, { status: 'Cancelled', reason: cause === 'timeout' ? 'Timeout' : 'WorkflowCancelled' });
  }
  // State first, before the request: the name is fixed before the first attempt, so if the runner
  // kills us while the create is in flight (the server may already have made the Job), the post
  // step still finds and deletes it. The uid follows once the answer is in.
  deps.reporter.saveState(State.namespace, settings.namespace);
  deps.reporter.saveState(State.name, job.metadata?.name ?? '');
  deps.reporter.saveState(State.submissionId, submission);
  const created = await deps.cluster.createJob(settings.namespace, withId, { dryRun: false, signal });
  const name = created.metadata?.name ?? '';
  deps.reporter.saveState(State.uid, created.metadata?.uid ?? '');
  deps.reporter.setOutput(Output.runId, name);
  deps.reporter.info(`Created ${jobPath(settings.namespace, name)} (uid ${created.metadata?.uid ?? '?'}).`);
  return created;
}

async function report(settings: RunSettings, deps: RunDeps, outcome: FollowOutcome, signal: AbortSignal): Promise<RunResult> {
  const { reporter, cluster } = deps;
  const name = outcome.job.metadata?.name ?? '';
  const path = jobPath(settings.namespace, name);
  let status = outcome.status;
  let reason = terminalReason(outcome.job);
  let why: string | undefined;
  if (outcome.end === 'aborted' && !TERMINAL_STATUSES.has(outcome.status)) {
    const cause = signal.reason as AbortCause | undefined;
    const deleted = await cluster.deleteJob(settings.namespace, name, outcome.job.metadata?.uid);
    status = 'Cancelled';
    reason = cause === 'timeout' ? 'Timeout' : 'WorkflowCancelled';
    why =
      cause === 'timeout'
        ? `The timeout of ${settings.timeoutSeconds ?? 0} s passed; ${path} was ${deleted === 'deleted' ? 'deleted' : 'already gone'}.`
        : `The workflow was cancelled (${cause ?? 'signal'}); ${path} was ${deleted === 'deleted' ? 'deleted' : 'already gone'}.`;
  } else if (outcome.end === 'stuck' && outcome.stuck) {
    await cluster.deleteJob(settings.namespace, name, outcome.job.metadata?.uid);
    status = 'Failed';
    reason = outcome.stuck.reason;
    why = `Container ${outcome.stuck.container} of pod ${outcome.stuck.pod} stayed in ${outcome.stuck.reason} for the image-pull-grace-period (${settings.imagePullGraceSeconds} s); ${path} was deleted. ${outcome.stuck.message}`.trim();
  } else if (outcome.end === 'deleted') {
    status = 'Failed';
    reason = 'Deleted';
    why = `${path} was deleted by someone else while the action waited for it.`;
  }
  reporter.saveState(State.finished, 'true');
  for (const [k, v] of runOutputs({ job: outcome.job, status, reason, pods: [...outcome.pods.values()], monitorUrl: deps.monitorUrl })) {
    reporter.setOutput(k, v);
  }
  const facts = { settings, job: outcome.job, status, reason, pods: [...outcome.pods.values()], lastLines: outcome.lastLines, monitorUrl: deps.monitorUrl, runUrl: deps.context.runUrl };
  await reporter.writeSummary(renderSummary(facts));
  if (status !== 'Success') {
    throw new JobFailedError(failureMessage({ ...facts, why }), { status, reason });
  }
  reporter.info(`${path} succeeded.`);
  return { name, status };
}

/** What a person wants to read in a dry run: no server-filled noise. */
function stripForDisplay(job: V1Job): V1Job {
  const { managedFields: _m, uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, ...metadata } = job.metadata ?? {};
  const { status: _s, ...rest } = job;
  return { ...rest, metadata };
}
