/**
 * The `concurrency` policy around the create: Allow creates; Forbid and Replace take the
 * source's lock, look at its active runs (core/concurrency.ts decides), refuse or replace them,
 * create, and release the lock.
 *
 * Why a lock: "list, then create" alone lets two racing Forbid runs both see no active run and
 * both create. The lock is a Lease with a deterministic name per source (lockName), created with
 * create-if-absent semantics: the API server admits exactly one create of a name, so exactly one
 * racer holds the lock. It lists only after holding it (a quorum read, which sees every Job
 * created before), and releases it only after its own create returned, so the next holder's list
 * sees that Job. A racer that finds the lock held waits with jitter and retries; a lock whose
 * holder's Job exists (release lost) or whose LOCK_SECONDS passed (holder died) is taken over by
 * deleting it with a resourceVersion precondition, so two waiters cannot both take it over.
 * Runs started with `concurrency: Allow` take no lock and are not held back.
 */
import type { V1Job, V1Lease } from '@kubernetes/client-node';
import { decideConcurrency, describeRun, LOCK_SECONDS, lockName, lockState, runSelector } from '../core/concurrency.js';
import { JobFailedError, jobPath, KubernetesApiError } from '../core/errors.js';
import { Input, Label, MANAGED_BY } from '../core/names.js';
import type { RunSettings } from '../core/settings.js';
import type { RunDeps } from './run-deps.js';

const LOCK_POLL_MS = 500;
const GONE_POLL_MS = 1000;
/** Replace gives up when a replaced run's pods outlive this (e.g. a finalizer nobody removes). */
const GONE_LIMIT_MS = 10 * 60_000;

/** Creates the Job with `create`, under the settings' concurrency policy. */
export async function submitUnderPolicy(
  settings: RunSettings,
  deps: RunDeps,
  runName: string,
  signal: AbortSignal,
  create: () => Promise<V1Job>,
): Promise<V1Job> {
  if (settings.concurrency === 'Allow') return create();
  const lock = await acquireLock(settings, deps, runName, signal);
  try {
    const jobs = await deps.cluster.listJobsByLabel(settings.namespace, runSelector(settings.source));
    const decision = decideConcurrency(settings.concurrency, settings.source, settings.namespace, jobs, deps.clock.now());
    if (decision.action === 'refuse') throw new JobFailedError(decision.message, { status: 'Forbidden', reason: 'ConcurrencyPolicy' });
    if (decision.action === 'replace') await replace(settings, deps, decision.runs, signal);
    return await create();
  } finally {
    await deps.cluster.deleteLease(settings.namespace, lock.metadata?.name ?? '', { uid: lock.metadata?.uid }).catch((err: unknown) => {
      deps.reporter.warning(`Could not release the concurrency lock: ${(err as Error).message}. Others take it over after ${LOCK_SECONDS} s.`);
    });
  }
}

/** Dry run: say what the policy would do, change nothing. */
export async function previewPolicy(settings: RunSettings, deps: RunDeps): Promise<void> {
  if (settings.concurrency === 'Allow') return;
  const jobs = await deps.cluster.listJobsByLabel(settings.namespace, runSelector(settings.source));
  const decision = decideConcurrency(settings.concurrency, settings.source, settings.namespace, jobs, deps.clock.now());
  if (decision.action === 'refuse') deps.reporter.warning(`A real run would fail: ${decision.message}`, 'Concurrency');
  if (decision.action === 'replace') {
    deps.reporter.info(`concurrency: Replace: a real run would delete ${decision.runs.map((j) => describeRun(j, settings.namespace, deps.clock.now())).join('; ')}.`);
  }
}

async function acquireLock(settings: RunSettings, deps: RunDeps, runName: string, signal: AbortSignal): Promise<V1Lease> {
  const { cluster, clock, reporter } = deps;
  const name = lockName(settings.source);
  const path = `leases/${settings.namespace}/${name}`;
  let told = false;
  for (;;) {
    if (signal.aborted) throw new JobFailedError(`Stopped while waiting for the concurrency lock ${path}. No Job was created.`, { status: 'Cancelled', reason: deps.reporter.terms.cancelledReason });
    // Replace holds the lock while old pods terminate: it must not look dead meanwhile.
    const durationSeconds = settings.concurrency === 'Replace' ? LOCK_SECONDS + GONE_LIMIT_MS / 1000 : LOCK_SECONDS;
    const claim = { name, holder: runName, durationSeconds, acquiredAtMs: clock.now(), labels: { [Label.managedBy]: MANAGED_BY } };
    const created = await cluster.createLease(settings.namespace, claim).catch((err: unknown) => {
      throw err instanceof KubernetesApiError && err.statusCode === 403
        ? new KubernetesApiError({
          operation: 'create', object: path, statusCode: 403, reason: err.reason, namespace: settings.namespace, cause: err,
          detail: `input '${Input.concurrency}: ${settings.concurrency}' locks the source with a Lease; add the README's "concurrency rule" (leases: get, create, delete) to the identity's Role`,
        })
        : err;
    });
    if (created !== 'exists') return created;
    const held = await cluster.readLease(settings.namespace, name);
    if (held === undefined) continue; // released between our create and read
    const holder = held.spec?.holderIdentity ?? '';
    const holderJob = holder === '' ? undefined : await cluster.readJob(settings.namespace, holder);
    if (lockState(held, holderJob !== undefined, clock.now()) === 'stale') {
      reporter.info(`Taking over the stale concurrency lock ${path} (holder ${holder || 'unknown'}).`);
      await cluster.deleteLease(settings.namespace, name, { resourceVersion: held.metadata?.resourceVersion });
      continue;
    }
    if (!told) reporter.info(`Waiting for the concurrency lock ${path}: run ${holder} of the same source is being started by another workflow.`);
    told = true;
    await clock.sleep(LOCK_POLL_MS + Math.floor(deps.random() * LOCK_POLL_MS), signal).catch(() => undefined);
  }
}

/** Deletes the runs (Background, uid precondition) and waits until they and their pods are gone. */
async function replace(settings: RunSettings, deps: RunDeps, runs: readonly V1Job[], signal: AbortSignal): Promise<void> {
  const { cluster, clock, reporter } = deps;
  const ns = settings.namespace;
  for (const run of runs) {
    reporter.info(`concurrency: Replace: deleting ${describeRun(run, ns, clock.now())}.`);
    await cluster.deleteJob(ns, run.metadata?.name ?? '', run.metadata?.uid);
  }
  const deadline = clock.now() + GONE_LIMIT_MS;
  for (const run of runs) {
    const name = run.metadata?.name ?? '';
    const uid = run.metadata?.uid ?? '';
    for (;;) {
      const job = await cluster.readJob(ns, name);
      const left = job?.metadata?.uid === uid ? [job] : await cluster.listPodsByLabel(ns, `batch.kubernetes.io/controller-uid=${uid}`);
      if (left.length === 0) break;
      if (signal.aborted) throw new JobFailedError(`Stopped while waiting for the replaced ${jobPath(ns, name)} to go away. No new Job was created.`, { status: 'Cancelled', reason: deps.reporter.terms.cancelledReason });
      if (clock.now() > deadline) {
        throw new JobFailedError(`concurrency: Replace: ${jobPath(ns, name)} or its pods were still there ${GONE_LIMIT_MS / 60_000} minutes after the delete (a finalizer?). No new Job was created; check them with kubectl, or use input '${Input.concurrency}: Allow'.`, { status: 'Failed', reason: 'ReplaceTimeout' });
      }
      await clock.sleep(GONE_POLL_MS, signal).catch(() => undefined);
    }
  }
  reporter.info(`concurrency: Replace: replaced ${runs.map((j) => jobPath(ns, j.metadata?.name ?? '')).join(', ')}.`);
}
