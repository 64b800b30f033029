/** Reading one batch's answers for the poller: lists (kept in their wire form, as the direct path keeps them), and what a Job or pod state means for following. */
import type { V1Job, V1Pod } from '@kubernetes/client-node';

/**
 * Failures a retry cannot mend (runCommand disabled, a missing Azure role, a policy refusing the
 * command pod, a bad ARM token, no such cluster): src/azure/run-command-errors.ts's kinds, read by
 * shape so this adapter does not depend on the ARM one.
 */
const LASTING_KINDS = new Set(['disabled', 'forbidden', 'policy', 'unauthenticated', 'not-found']);
export function isLasting(err: unknown): boolean {
  const kind = (err as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' && LASTING_KINDS.has(kind);
}

export function listItems<T>(stdout: string): T[] {
  const list = JSON.parse(stdout) as { items?: unknown[] };
  return (list.items ?? []).map((item) => item as T);
}

export function isFinished(job: V1Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export function isAlive(pod: V1Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

export function terminatedIn(pods: ReadonlyMap<string, ReadonlyMap<string, V1Pod>>, pod: string, container: string): boolean {
  for (const known of pods.values()) {
    const p = known.get(pod);
    if (!p) continue;
    const all = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
    return all.find((s) => s.name === container)?.state?.terminated !== undefined;
  }
  return false;
}
