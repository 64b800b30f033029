/** Seed 000 "Job discovery" over a namespace bigger than one page. */
import { beforeAll, expect, it } from 'vitest';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace } from '../support/cluster.js';
import { sourceCronJob, sourceJob } from '../support/sources.js';
import { discoveryEntries, renderDiscoveryTable } from '../../src/core/discovery.js';
import { KubeJobCluster } from '../../src/kubernetes/job-cluster.js';
import { discoverSources } from '../../src/run/discover.js';
import { systemClock } from '../../src/system-clock.js';
import { Label, MANAGED_BY } from '../../src/core/names.js';

let kc: KubeConfig;
let ns: string;

beforeAll(async () => {
  kc = adminKubeConfig();
  ns = await createTestNamespace('discover');
  const batch = kc.makeApiClient(BatchV1Api);
  const names = Array.from({ length: 250 }, (_, i) => `job-${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 25) {
    await Promise.all(
      names.slice(i, i + 25).map((name) => batch.createNamespacedJob({ namespace: ns, body: sourceJob(name, { env: { SHARD: name } }) })),
    );
  }
  await batch.createNamespacedCronJob({ namespace: ns, body: sourceCronJob('nightly', { env: { RUN_DATE: 'yesterday' } }) });
  // A run the action created is not a source.
  await batch.createNamespacedJob({ namespace: ns, body: sourceJob('nightly-abcde', { labels: { [Label.managedBy]: MANAGED_BY } }) });
}, 300_000);

it('lists all 250 Jobs over several pages, with container[0] env as the parameter list', async () => {
  const cluster = new KubeJobCluster(kc, systemClock);
  let pages = 0;
  const listJobs = cluster.listJobs.bind(cluster);
  cluster.listJobs = async (namespace, token, limit) => {
    pages++;
    expect(limit).toBe(100);
    return listJobs(namespace, token, limit);
  };
  const { jobs, cronJobs } = await discoverSources(cluster, ns);
  expect(pages).toBe(3);
  expect(jobs).toHaveLength(250);
  const entries = discoveryEntries(jobs, cronJobs);
  expect(entries.find((e) => e.name === 'job-042')).toMatchObject({ kind: 'Job', suspended: true, params: [{ name: 'SHARD', default: 'job-042' }] });
  expect(entries.find((e) => e.name === 'nightly')).toMatchObject({ kind: 'CronJob', schedule: '0 2 * * *', params: [{ name: 'RUN_DATE', default: 'yesterday' }] });
  expect(entries.some((e) => e.name === 'nightly-abcde')).toBe(false);
  const table = renderDiscoveryTable(entries, ns);
  expect(table).toContain(`251 sources in namespace \`${ns}\``);
  expect(table).toContain('| Job | `job-249` |  | yes | `SHARD` = `job-249` |');
});
