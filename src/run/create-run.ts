/**
 * The create itself: the Job, then (with secret params) its Secret.
 *
 * Order, and why: the Job first, then the Secret with an ownerReference to the Job's uid. So the
 * Secret is owned from its first moment: no crash, cancel or SIGKILL can leave a Secret of
 * credentials behind (the garbage collector deletes it with the Job), and the Role needs only
 * `secrets: create`. The pod cannot start without it: the kubelet refuses to create a container
 * whose secretKeyRef is missing (CreateContainerConfigError) and retries until it exists, which
 * in practice it already does, one API call after the Job's create, before the pod is even
 * scheduled. If the Secret's create fails, or the step is cancelled before it, the Job is
 * deleted, so no run ever goes on without its values.
 */
import type { V1Job } from '@kubernetes/client-node';
import { JobFailedError, jobPath } from '../core/errors.js';
import { secretForRun, secretParamsName } from '../core/secret-params.js';
import type { RunSettings } from '../core/settings.js';
import type { RunDeps } from './run-deps.js';

export async function createRun(
  settings: RunSettings,
  deps: RunDeps,
  job: V1Job,
  signal: AbortSignal,
  /** The Job's create (run-job's picks a fresh name when the chosen one is taken). */
  createJob: (job: V1Job) => Promise<V1Job> = (j) => deps.cluster.createJob(settings.namespace, j, { dryRun: false, signal }),
): Promise<V1Job> {
  const { cluster, reporter } = deps;
  const created = await createJob(job);
  if (settings.secretParams.length === 0) return created;
  const name = created.metadata?.name ?? '';
  const path = jobPath(settings.namespace, name);
  try {
    if (signal.aborted) throw new JobFailedError(`Stopped before the Secret of ${path} was created; the Job was deleted.`, { status: 'Cancelled', reason: reporter.terms.cancelledReason });
    await cluster.createSecret(settings.namespace, secretForRun(created, settings.secretParams));
  } catch (err) {
    await cluster.deleteJob(settings.namespace, name, created.metadata?.uid).catch(() => undefined);
    reporter.info(`Deleted ${path}: its secret params could not be stored, so it must not run.`);
    throw err;
  }
  reporter.info(`Created secrets/${settings.namespace}/${secretParamsName(name)} (owned by ${path}) with ${settings.secretParams.map(([n]) => n).join(', ')}.`);
  return created;
}
