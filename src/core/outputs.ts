/** The step's outputs, computed from the last Job and pod states seen. Pure. */
import type { V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';
import { chooseAppContainer } from './app-container.js';
import { Output, type OutputName } from './names.js';
import type { RunStatus } from './status.js';

export interface RunFacts {
  readonly job: V1Job;
  readonly status: RunStatus;
  readonly reason: string | undefined;
  readonly pods: readonly V1Pod[];
  readonly monitorUrl: string | undefined;
}

function iso(value: Date | string | undefined): string {
  if (value === undefined) return '';
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

function millis(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return (value instanceof Date ? value : new Date(value)).getTime();
}

/** When the Job finished: completionTime for Complete, else the deciding condition's transition time. */
export function finishTime(job: V1Job): Date | string | undefined {
  if (job.status?.completionTime) return job.status.completionTime;
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Failed' || x.type === 'Suspended') && x.status === 'True');
  return c?.lastTransitionTime;
}

export function durationSeconds(job: V1Job): number | undefined {
  const start = millis(job.status?.startTime);
  const end = millis(finishTime(job));
  return start === undefined || end === undefined ? undefined : Math.max(0, Math.round((end - start) / 1000));
}

/**
 * Terminated statuses of a pod's containers: init containers too (one that fails stops the pod),
 * but not native sidecars (init containers with restartPolicy Always), whose exit code says
 * nothing about the run: they are stopped when the app ends. Sidecars are known from the pod's
 * spec, else from the Job's template (a pod seen only through its status).
 */
function terminatedOf(pod: V1Pod, job: V1Job): Array<{ status: V1ContainerStatus; init: boolean }> {
  const declared = pod.spec?.initContainers ?? job.spec?.template.spec?.initContainers ?? [];
  const sidecars = new Set(declared.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const inits = (pod.status?.initContainerStatuses ?? []).filter((s) => !sidecars.has(s.name)).map((status) => ({ status, init: true }));
  const apps = (pod.status?.containerStatuses ?? []).map((status) => ({ status, init: false }));
  return [...inits, ...apps].filter((x) => x.status.state?.terminated);
}

/** The most recently finished container that failed: its exit code, name, pod and kind. */
export interface FailedContainer {
  readonly code: number;
  readonly container: string;
  readonly pod: string;
  readonly init: boolean;
}

/** The app container's name as the Job's pod template says (core/app-container.ts). */
export function appContainerName(job: V1Job): string | undefined {
  return chooseAppContainer(job.spec?.template, undefined, '')?.name;
}

/**
 * The run's failed container: the app container's most recent failure; without one (an init
 * container or another container failed the pod), the most recent failure of any container that
 * is not a native sidecar.
 */
export function lastFailedContainer(job: V1Job, pods: readonly V1Pod[]): FailedContainer | undefined {
  const app = appContainerName(job);
  let best: (FailedContainer & { at: number; rank: number }) | undefined;
  for (const pod of pods) {
    for (const { status, init } of terminatedOf(pod, job)) {
      const t = status.state?.terminated;
      if (!t || t.exitCode === 0) continue;
      const at = millis(t.finishedAt) ?? 0;
      const rank = !init && status.name === app ? 1 : 0;
      if (!best || rank > best.rank || (rank === best.rank && at >= best.at)) {
        best = { at, rank, code: t.exitCode, container: status.name, pod: pod.metadata?.name ?? '', init };
      }
    }
  }
  return best && { code: best.code, container: best.container, pod: best.pod, init: best.init };
}

/** Exit code of the run's failed container (lastFailedContainer). */
export function lastFailedExitCode(job: V1Job, pods: readonly V1Pod[]): number | undefined {
  return lastFailedContainer(job, pods)?.code;
}

/**
 * The app container's termination message of the most recent pod where it succeeded: the run's
 * result. A Failed pod gives none; a Running one may (a legacy sidecar still runs, ignore-sidecars).
 */
export function lastResult(job: V1Job, pods: readonly V1Pod[]): string | undefined {
  const first = appContainerName(job);
  let best: { at: number; message: string } | undefined;
  for (const pod of pods) {
    if (pod.status?.phase === 'Failed') continue;
    const status = (pod.status?.containerStatuses ?? []).find((s) => s.name === first);
    const t = status?.state?.terminated;
    if (!t || t.exitCode !== 0) continue;
    const at = millis(t.finishedAt) ?? 0;
    if (!best || at >= best.at) best = { at, message: t.message ?? '' };
  }
  return best?.message;
}

/** Every output, as strings (empty when unknown), in declaration order. */
export function runOutputs(f: RunFacts): Array<[OutputName, string]> {
  const s = f.job.status ?? {};
  const duration = durationSeconds(f.job);
  const exitCode = lastFailedExitCode(f.job, f.pods);
  return [
    [Output.runId, f.job.metadata?.name ?? ''],
    [Output.status, f.status],
    [Output.reason, f.reason ?? ''],
    [Output.succeeded, String(s.succeeded ?? 0)],
    [Output.failed, String(s.failed ?? 0)],
    [Output.startTime, iso(s.startTime)],
    [Output.completionTime, iso(finishTime(f.job))],
    [Output.durationSeconds, duration === undefined ? '' : String(duration)],
    [Output.exitCode, exitCode === undefined ? '' : String(exitCode)],
    [Output.result, lastResult(f.job, f.pods) ?? ''],
    [Output.monitorUrl, f.monitorUrl ?? ''],
  ];
}
