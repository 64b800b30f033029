import { describe, expect, it } from 'vitest';
import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import type { JobCluster, Page } from '../../src/core/ports.js';
import { discoverSources } from '../../src/run/discover.js';

const job = (name: string): V1Job => ({
  metadata: { name, namespace: 'ns', labels: { team: 'data' }, managedFields: [{ manager: 'kubectl', operation: 'Update' }], resourceVersion: '7' },
  spec: {
    suspend: true,
    backoffLimit: 2,
    template: {
      metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'main' }, labels: { app: 'batch' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'batch:1', resources: { requests: { cpu: '1' } }, env: [{ name: 'MODE', value: 'full' }] }] },
    },
  },
  status: { conditions: [{ type: 'Suspended', status: 'True' }] },
});

/** Two pages of Jobs, one of CronJobs, as the API pages them with continue tokens. */
function cluster(): JobCluster {
  const pages: Record<string, Page<V1Job>> = { '': { items: [job('a')], continueToken: 't1' }, t1: { items: [job('b')], continueToken: undefined } };
  return {
    listJobs: async (_ns: string, token: string | undefined) => pages[token ?? ''],
    listCronJobs: async (): Promise<Page<V1CronJob>> => ({ items: [{ metadata: { name: 'c', managedFields: [{ manager: 'm' }] }, spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x', env: [] }] } } } } }, status: {} }], continueToken: undefined }),
  } as unknown as JobCluster;
}

describe('discoverSources', () => {
  it('reads every page and keeps of each object only what discovery reads (no status, managedFields or other pod fields)', async () => {
    const slimSpec = {
      suspend: true,
      template: { metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'main' } }, spec: { containers: [{ name: 'main', env: [{ name: 'MODE', value: 'full' }] }] } },
    };
    const { jobs, cronJobs } = await discoverSources(cluster(), 'ns');
    expect(jobs).toEqual([
      { metadata: { name: 'a', namespace: 'ns', labels: { team: 'data' } }, spec: slimSpec },
      { metadata: { name: 'b', namespace: 'ns', labels: { team: 'data' } }, spec: slimSpec },
    ]);
    expect(cronJobs).toEqual([{ metadata: { name: 'c' }, spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', env: [] }] } } } } } }]);
  });
});
