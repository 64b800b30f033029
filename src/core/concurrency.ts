/**
 * The `concurrency` input's decisions, pure: which Jobs are active runs of the same source, what
 * a policy does about them (CronJob's concurrencyPolicy: Allow, Forbid, Replace;
 * pkg/controller/cronjob/cronjob_controllerv2.go), and when a per-source lock may be taken over.
 * The adapters list and delete; this file decides.
 */
import type { V1Job, V1Lease } from '@kubernetes/client-node';
import { jobPath } from './errors.js';
import { labelValue } from './naming.js';
import { Annotation, Label, MANAGED_BY } from './names.js';
import type { ConcurrencyPolicy, SourceRef } from './settings.js';
import { decodeStatus, TERMINAL_STATUSES } from './status.js';
import { formatDuration } from './summary.js';

export const CONCURRENCY_POLICIES: readonly ConcurrencyPolicy[] = ['Allow', 'Forbid', 'Replace'];

/** Label selector for every run of `source` this action started (the labels clone.ts finishClone sets). */
export function runSelector(source: SourceRef): string {
  return `${Label.managedBy}=${MANAGED_BY},${Label.sourceKind}=${source.kind},${Label.sourceName}=${labelValue(source.name)}`;
}

/** The full source name of one of our runs: the annotation when the label had to be shortened. */
export function runSourceName(job: V1Job): string | undefined {
  return job.metadata?.annotations?.[Label.sourceName] ?? job.metadata?.labels?.[Label.sourceName];
}

/**
 * The runs among `jobs` that count for the policy: ours, of exactly this source (two long names
 * can share a shortened label; the annotation tells them apart), not finished. A Job already
 * being deleted still counts: its pods may still run until the garbage collector removes them.
 */
export function activeRuns(jobs: readonly V1Job[], source: SourceRef): V1Job[] {
  return jobs
    .filter((j) => j.metadata?.labels?.[Label.managedBy] === MANAGED_BY)
    .filter((j) => j.metadata?.labels?.[Label.sourceKind] === source.kind && runSourceName(j) === source.name)
    .filter((j) => !TERMINAL_STATUSES.has(decodeStatus(j)))
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** `jobs/ns/x (started 4m 10s ago by polysync/app run 1001 attempt 2, https://…)`: who to ask about it. */
export function describeRun(job: V1Job, namespace: string, nowMs: number): string {
  const a = job.metadata?.annotations ?? {};
  const created = job.metadata?.creationTimestamp;
  const age = created === undefined ? undefined : formatDuration((nowMs - new Date(created).getTime()) / 1000);
  const by = a[Annotation.repository] === undefined
    ? 'by an unknown workflow'
    : `by ${a[Annotation.repository]} run ${a[Annotation.runId] ?? '?'}${a[Annotation.runAttempt] ? ` attempt ${a[Annotation.runAttempt]}` : ''}`;
  const facts = [`started ${age === undefined ? 'at an unknown time' : `${age} ago`} ${by}`, a[Annotation.runUrl]].filter(Boolean);
  return `${jobPath(namespace, job.metadata?.name ?? '')} (${facts.join(', ')})`;
}

export type ConcurrencyDecision =
  | { readonly action: 'submit' }
  | { readonly action: 'refuse'; readonly runs: readonly V1Job[]; readonly message: string }
  | { readonly action: 'replace'; readonly runs: readonly V1Job[] };

/**
 * What the policy does before a submit, given the Jobs listed with runSelector. Allow never looks;
 * Forbid refuses while any run is active; Replace deletes the active runs first.
 */
export function decideConcurrency(
  policy: ConcurrencyPolicy,
  source: SourceRef,
  namespace: string,
  jobs: readonly V1Job[],
  nowMs: number,
): ConcurrencyDecision {
  if (policy === 'Allow') return { action: 'submit' };
  const runs = activeRuns(jobs, source);
  if (runs.length === 0) return { action: 'submit' };
  if (policy === 'Replace') return { action: 'replace', runs };
  const one = runs.length === 1;
  const list = runs.map((j) => describeRun(j, namespace, nowMs)).join('; ');
  return {
    action: 'refuse',
    runs,
    message:
      `concurrency: Forbid: ${source.kind} ${source.name} already has ${one ? 'an active run' : `${runs.length} active runs`}: ${list}. ` +
      `Nothing was created. Wait for ${one ? 'it' : 'them'} to finish, attach to ${one ? 'it' : 'one'} with input 'attach', or use 'concurrency: Replace' to stop ${one ? 'it' : 'them'} and start anew.`,
  };
}

/**
 * The per-source lock that makes check-then-create atomic for Forbid and Replace: a Lease
 * (coordination.k8s.io) with a deterministic name, created with create-if-absent semantics (the
 * API server's AlreadyExists), so of two racing runs exactly one holds it while it lists and creates.
 */
export function lockName(source: SourceRef): string {
  return `polysync-${source.kind.toLowerCase()}-${labelValue(source.name)}`.replace(/[^a-z0-9.-]/g, '-').replace(/[-.]+$/, '');
}

/** How long a lock protects its holder's list + delete + create before others may take it over. */
export const LOCK_SECONDS = 120;

export type LockState = 'held' | 'stale';

/**
 * Whether an existing lock still protects its holder. It is stale once its holder's Job exists
 * (the holder created it and the list now shows it; only the release was lost) or its duration
 * has passed since it was taken (the holder died between lock and create). Time is the waiter's
 * clock against the holder's acquireTime: runner clocks are NTP-synchronised, and LOCK_SECONDS
 * dwarfs their skew.
 */
export function lockState(lease: V1Lease, holderJobExists: boolean, nowMs: number): LockState {
  if (holderJobExists) return 'stale';
  const acquired = lease.spec?.acquireTime ?? lease.metadata?.creationTimestamp;
  const duration = lease.spec?.leaseDurationSeconds ?? LOCK_SECONDS;
  if (acquired === undefined) return 'stale';
  return nowMs - new Date(acquired).getTime() > duration * 1000 ? 'stale' : 'held';
}
