import type { V1CronJob, V1EnvVar, V1Job } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeEnvValue, discoverCronJob, discoverJob, discoveryEntries, renderDiscoveryTable, type DiscoveryEntry } from '../../src/core/discovery.js';

describe('describeEnvValue', () => {
  it.each<[V1EnvVar, string]>([
    [{ name: 'A', value: 'x' }, 'x'],
    [{ name: 'A' }, ''],
    [{ name: 'A', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, '<from secret db/password>'],
    [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level' } } }, '<from configmap cfg/level>'],
    [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }, '<from field metadata.namespace>'],
    [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }, '<from resource limits.cpu>'],
    [{ name: 'A', valueFrom: { resourceFieldRef: { containerName: 'main', resource: 'limits.memory' } } }, '<from resource main/limits.memory>'],
    [{ name: 'A', valueFrom: { fileKeyRef: { volumeName: 'cfg', path: 'app.env', key: 'LEVEL' } } }, '<from file cfg/app.env:LEVEL>'],
    [{ name: 'A', valueFrom: {} }, '<from valueFrom>'],
  ])('%j → %s', (env, text) => {
    expect(describeEnvValue(env)).toBe(text);
  });
});

const job: V1Job = {
  metadata: { name: 'export', namespace: 'team-a' },
  spec: {
    suspend: true,
    template: { spec: { containers: [
      { name: 'main', env: [{ name: 'TARGET', value: 'staging' }, { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] },
      { name: 'sidecar', env: [{ name: 'IGNORED', value: 'x' }] },
    ] } },
  },
};
const cronJob: V1CronJob = {
  metadata: { name: 'nightly', namespace: 'team-a' },
  spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'run', env: [{ name: 'DAY', value: 'today' }] }] } } } } },
};

describe('discoverJob / discoverCronJob', () => {
  it('maps container[0] env to parameters', () => {
    expect(discoverJob(job)).toStrictEqual({
      kind: 'Job', name: 'export', namespace: 'team-a', suspended: true,
      params: [{ name: 'TARGET', default: 'staging' }, { name: 'PASSWORD', default: '<from secret db/pw>' }],
    });
    expect(discoverCronJob(cronJob)).toStrictEqual({
      kind: 'CronJob', name: 'nightly', namespace: 'team-a', suspended: false, schedule: '0 3 * * *', params: [{ name: 'DAY', default: 'today' }],
    });
  });

  it("lists the app container's env: the default-container annotation, else the first non-sidecar", () => {
    const containers = [{ name: 'istio-proxy', env: [{ name: 'PROXY', value: 'x' }] }, { name: 'etl', env: [{ name: 'DAY', value: 'today' }] }, { name: 'tool', env: [{ name: 'T', value: '1' }] }];
    expect(discoverJob({ metadata: { name: 'etl' }, spec: { template: { spec: { containers } } } }).params).toEqual([{ name: 'DAY', default: 'today' }]);
    const annotated = { metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'tool' } }, spec: { containers } };
    expect(discoverJob({ metadata: { name: 'etl' }, spec: { template: annotated } }).params).toEqual([{ name: 'T', default: '1' }]);
  });

  it('copes with sources without containers or env', () => {
    expect(discoverJob({ metadata: { name: 'bare', namespace: 'n' }, spec: { template: {} } })).toStrictEqual({ kind: 'Job', name: 'bare', namespace: 'n', params: [] });
  });

  it('lists Jobs then CronJobs, each by name', () => {
    const b: V1Job = { metadata: { name: 'b', namespace: 'n' }, spec: { template: {} } };
    const a: V1Job = { metadata: { name: 'a', namespace: 'n' }, spec: { template: {} } };
    expect(discoveryEntries([b, a], [cronJob]).map((e) => `${e.kind}/${e.name}`)).toEqual(['Job/a', 'Job/b', 'CronJob/nightly']);
  });
});

describe('renderDiscoveryTable', () => {
  it('renders one row per source', () => {
    const entries: DiscoveryEntry[] = [
      discoverJob(job),
      discoverCronJob(cronJob),
      { kind: 'Job', name: 'odd', namespace: 'team-a', params: [{ name: 'P', default: 'a|b `c`' }, { name: 'E', default: '' }] },
      { kind: 'Job', name: 'none', namespace: 'team-a', params: [] },
    ];
    expect(renderDiscoveryTable(entries, 'team-a')).toBe([
      '4 sources in namespace `team-a`:',
      '',
      '| Kind | Name | Schedule | Suspended | Parameters |',
      '|---|---|---|---|---|',
      '| Job | `export` |  | yes | `TARGET` = `staging`<br>`PASSWORD` = `<from secret db/pw>` |',
      '| CronJob | `nightly` | `0 3 * * *` | no | `DAY` = `today` |',
      '| Job | `odd` |  |  | `P` = `` a\\|b `c` ``<br>`E` = `""` |',
      '| Job | `none` |  |  | (none) |',
      '',
    ].join('\n'));
  });

  it('says so when the namespace has no sources', () => {
    expect(renderDiscoveryTable([], 'empty')).toBe('No Jobs or CronJobs in namespace `empty`.\n');
  });
});
