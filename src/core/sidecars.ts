/**
 * Legacy sidecars: a proxy or agent in `containers` that never exits (istio-proxy, cloud-sql-proxy)
 * keeps the pod Running and the Job active after the app has finished (kubernetes/kubernetes#25908).
 * Native sidecars (initContainers with restartPolicy Always) are stopped by the kubelet instead.
 * Pure: which containers linger, and the warning that says so.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { Input } from './names.js';

/**
 * The regular containers still running although the app container has ended for good (exited 0,
 * or exited at all under restartPolicy Never: the kubelet will not restart it). Empty otherwise.
 */
export function lingeringSidecars(pod: V1Pod, app: string | undefined): string[] {
  if (app === undefined || pod.status?.phase !== 'Running') return [];
  const statuses = pod.status.containerStatuses ?? [];
  const ended = statuses.find((s) => s.name === app)?.state?.terminated;
  if (!ended || (ended.exitCode !== 0 && pod.spec?.restartPolicy !== 'Never')) return [];
  return statuses.filter((s) => s.name !== app && s.state?.running !== undefined).map((s) => s.name);
}

/** The warning for lingeringSidecars, naming the pod, the app's exit code and the sidecars. */
export function lingeringSidecarWarning(pod: V1Pod, app: string | undefined): string | undefined {
  const names = lingeringSidecars(pod, app);
  if (names.length === 0) return undefined;
  const code = pod.status?.containerStatuses?.find((s) => s.name === app)?.state?.terminated?.exitCode;
  const one = names.length === 1;
  const list = names.map((n) => `'${n}'`).join(', ');
  return `Container '${app ?? ''}' of pod ${pod.metadata?.name ?? ''} exited with code ${code ?? '?'}, but ${one ? 'container' : 'containers'} ${list} ${one ? 'is' : 'are'} still running: ` +
    `the pod, and so the Job, cannot finish until ${one ? 'it exits' : 'they exit'}, so this run waits until input '${Input.timeout}' or the Job's activeDeadlineSeconds. ` +
    `Make ${one ? 'it a native sidecar' : 'them native sidecars'} (an initContainer with restartPolicy: Always, Kubernetes 1.29+; the kubelet stops it when the app ends, ` +
    `and service meshes can inject their proxy that way), or have the app stop ${one ? 'it' : 'them'} when done (e.g. the /quitquitquit endpoint of istio-proxy and cloud-sql-proxy). ` +
    `If '${app ?? ''}' is not the app, set input '${Input.container}'.`;
}

/** How a run ends under `ignore-sidecars`: decided from the app container alone. */
export interface AppEnd {
  readonly status: 'Success' | 'Failed';
  /** Pods in which the app container exited 0, and its failures (restarts included). */
  readonly succeeded: number;
  readonly failed: number;
}

/**
 * With `ignore-sidecars`: the end the Job controller would decide had the sidecars exited too.
 * Success once the app container exited 0 in `completions` pods (1 unless set); Failed once it
 * failed more than `backoffLimit` times (6 unless set; under OnFailure a restart is a failure, as
 * the controller counts them). Undefined while neither holds. Pods are every pod of the Job seen
 * (deleted ones included: their failures counted). Mirrors kube-job's --ignore-sidecar
 * (h3poteto/kube-job pkg/job/job.go), which looks only at the target container.
 */
export function appEndIgnoringSidecars(job: { spec?: { completions?: number; backoffLimit?: number } }, pods: readonly V1Pod[], app: string | undefined): AppEnd | undefined {
  if (app === undefined) return undefined;
  let succeeded = 0;
  let failed = 0;
  for (const pod of pods) {
    const status = (pod.status?.containerStatuses ?? []).find((s) => s.name === app);
    const ended = status?.state?.terminated;
    failed += status?.restartCount ?? 0;
    if (ended?.exitCode === 0) succeeded++;
    else if (ended) failed++;
  }
  if (succeeded >= (job.spec?.completions ?? 1)) return { status: 'Success', succeeded, failed };
  if (failed > (job.spec?.backoffLimit ?? 6)) return { status: 'Failed', succeeded, failed };
  return undefined;
}
