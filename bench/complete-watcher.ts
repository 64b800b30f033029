/** Records, for each Job of a namespace, the moment this process first sees Complete=True (or Failed). */
import type { KubeConfig, V1Job } from '@kubernetes/client-node';
import { BatchV1Api } from '@kubernetes/client-node';
import { listWatch } from '../src/kubernetes/list-watch.js';
import { systemClock } from '../src/system-clock.js';

export interface CompleteWatcher {
  /** performance.now() when the Job's terminal condition was first seen. */
  finishedAt(name: string): number | undefined;
  stop(): void;
}

export function watchCompletions(kc: KubeConfig, namespace: string): CompleteWatcher {
  const seen = new Map<string, number>();
  const stop = new AbortController();
  const batch = kc.makeApiClient(BatchV1Api);
  const note = (job: V1Job): void => {
    const name = job.metadata?.name ?? '';
    const done = (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    if (done && !seen.has(name)) seen.set(name, performance.now());
  };
  const events = listWatch<V1Job>(
    {
      kc,
      clock: systemClock,
      target: { operation: 'watch', object: `jobs/${namespace}` },
      path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
      query: {},
      list: async () => {
        const list = await batch.listNamespacedJob({ namespace });
        return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
      },
    },
    stop.signal,
  );
  void (async () => {
    for await (const e of events) {
      if (e.type === 'listed') e.items.forEach(note);
      else note(e.object);
    }
  })().catch(() => undefined);
  return { finishedAt: (name) => seen.get(name), stop: () => stop.abort() };
}
