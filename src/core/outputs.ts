/** The step's outputs, computed from the last Job and pod states seen. Pure. */
import type { V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';
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

function terminatedOf(pod: V1Pod): Array<{ status: V1ContainerStatus; index: number }> {
  return (pod.status?.containerStatuses ?? []).map((status, index) => ({ status, index })).filter((x) => x.status.state?.terminated);
}

/** Exit code of the most recently finished container that failed. */
export function lastFailedExitCode(pods: readonly V1Pod[]): number | undefined {
  let best: { at: number; code: number } | undefined;
  for (const pod of pods) {
    for (const { status } of terminatedOf(pod)) {
      const t = status.state?.terminated;
      if (!t || t.exitCode === 0) continue;
      const at = millis(t.finishedAt) ?? 0;
      if (!best || at >= best.at) best = { at, code: t.exitCode };
    }
  }
  return best?.code;
}

/** Container[0]'s termination message of the most recently succeeded pod: the run's result. */
export function lastResult(job: V1Job, pods: readonly V1Pod[]): string | undefined {
  const first = job.spec?.template.spec?.containers[0]?.name;
  let best: { at: number; message: string } | undefined;
  for (const pod of pods) {
    if (pod.status?.phase !== 'Succeeded') continue;
    const status = (pod.status.containerStatuses ?? []).find((s) => s.name === first);
    const t = status?.state?.terminated;
    if (!t) continue;
    const at = millis(t.finishedAt) ?? 0;
    if (!best || at >= best.at) best = { at, message: t.message ?? '' };
  }
  return best?.message;
}

/** Every output, as strings (empty when unknown), in declaration order. */
export function runOutputs(f: RunFacts): Array<[OutputName, string]> {
  const s = f.job.status ?? {};
  const duration = durationSeconds(f.job);
  const exitCode = lastFailedExitCode(f.pods);
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
