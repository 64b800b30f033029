/**
 * Watches end (server timeouts, load balancers) and answer 410 Gone when their resourceVersion is
 * too old. Faults are injected by a proxy in front of the real API server; the run must still end
 * on the Job's real terminal state, with its whole log, through list + re-watch.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace } from '../support/cluster.js';
import { startApiProxy, type ApiProxy } from '../support/api-proxy.js';
import { runAction } from '../support/run-action.js';
import { sourceJob } from '../support/sources.js';

let kc: KubeConfig;
let ns: string;
let proxy: ApiProxy;

beforeAll(async () => {
  kc = adminKubeConfig();
  ns = await createTestNamespace('watch');
  proxy = await startApiProxy(kc, { expireFirstJobWatch: true, cutWatchesAfterMs: 1500 });
});
afterAll(async () => proxy?.close());

it('survives a 410 Expired watch and watches that keep ending, and reports the real end', async () => {
  await kc.makeApiClient(BatchV1Api).createNamespacedJob({
    namespace: ns,
    body: sourceJob('steady', { env: { SIM_DURATION: '6s', SIM_LOG: 'one|two|three', SIM_LOG_INTERVAL: '1500ms', SIM_EXIT_CODE: '4' } }),
  });
  const { reporter, error } = await runAction(proxy.kubeConfig, { job: 'steady', namespace: ns });
  expect(reporter.outputs).toMatchObject({ status: 'Failed', reason: 'BackoffLimitExceeded', 'exit-code': '4' });
  expect(error?.message).toContain('BackoffLimitExceeded');
  expect(reporter.lines).toEqual(expect.arrayContaining(['one', 'two', 'three']));
  const path = (r: { path: string }) => r.path.split('?')[0] ?? '';
  const jobWatches = proxy.requests.filter((r) => r.path.includes('watch=true') && path(r).endsWith('/jobs'));
  expect(jobWatches.length).toBeGreaterThanOrEqual(3); // the expired one, then re-watches after each cut
  // Every watch starts from a fresh list (the run may end between a last re-list and its watch).
  const jobRequests = proxy.requests.filter((r) => r.method === 'GET' && path(r).endsWith('/jobs')).map((r) => (r.path.includes('watch=true') ? 'watch' : 'list'));
  expect(jobRequests.filter((kind, i) => kind === 'watch' && jobRequests[i - 1] !== 'list')).toEqual([]);
});

it('prints every log line exactly once when a follow stream drops mid-way', async () => {
  const cutting = await startApiProxy(kc, { cutLogsAfterMs: 1200 });
  try {
    await kc.makeApiClient(BatchV1Api).createNamespacedJob({
      namespace: ns,
      body: sourceJob('chatty', { env: { SIM_LOG: 'l1|l2|l3|l4|l5', SIM_LOG_INTERVAL: '700ms' } }),
    });
    const { reporter, error } = await runAction(cutting.kubeConfig, { job: 'chatty', namespace: ns });
    expect(error).toBeUndefined();
    expect(reporter.lines.filter((l) => /^l\d$/.test(l))).toEqual(['l1', 'l2', 'l3', 'l4', 'l5']);
    const logRequests = cutting.requests.filter((r) => r.path.includes('/log?'));
    expect(logRequests.length).toBeGreaterThanOrEqual(2); // the cut one and the re-stream
  } finally {
    await cutting.close();
  }
});
