/**
 * A control plane of its own with the real Kueue manager (`localcluster --kueue`), for the files
 * that test Kueue: its webhooks see every Job create, so the shared cluster stays without it.
 * Tests create their ResourceFlavor / ClusterQueue / LocalQueue objects with `createQueue`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startCluster } from '../../scripts/localcluster.mjs';
import { waitFor } from './cluster.js';

export interface KueueCluster {
  /** Admin (system:masters) identity. */
  readonly kc: KubeConfig;
  /** The admin kubeconfig's text, as a workflow passes it in `with: kubeconfig`. */
  readonly kubeconfigText: string;
  /** Start → READY, Kueue's webhook answering included. */
  readonly startMs: number;
  stop(): Promise<void>;
}

export async function startKueueCluster(): Promise<KueueCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'localcluster-kueue-'));
  const started = Date.now();
  const cluster = await startCluster({ kubeconfigPath: join(dir, 'kubeconfig'), extraArgs: ['--kueue', '--pod-failure-backoff=1s'] });
  const startMs = Date.now() - started;
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  return {
    kc, startMs, kubeconfigText: readFileSync(cluster.kubeconfigPath, 'utf8'),
    stop: async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A namespace `<prefix>-<random>`, once its `default` ServiceAccount exists. */
export async function kueueNamespace(kc: KubeConfig, prefix: string): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name } } });
  await waitFor(async () => core.readNamespacedServiceAccount({ namespace: name, name: 'default' }).then(() => true, () => false), { what: `serviceaccounts/${name}/default` });
  return name;
}

const KUEUE = { group: 'kueue.x-k8s.io', version: 'v1beta2' };

/**
 * LocalQueue `name` in `namespace`, backed by a ClusterQueue of its own (`<namespace>-<name>`,
 * returned) with `cpu` of nominal quota in ResourceFlavor `default-flavor`, preempting lower
 * priorities within itself. The ClusterQueue is cluster-scoped: name it after the namespace.
 */
export async function createQueue(kc: KubeConfig, namespace: string, name: string, cpu: string): Promise<string> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  await custom.createClusterCustomObject({ ...KUEUE, plural: 'resourceflavors', body: {
    apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ResourceFlavor', metadata: { name: 'default-flavor' },
  } }).catch((err: { code?: number }) => { if (err.code !== 409) throw err; });
  const clusterQueue = `${namespace}-${name}`;
  await custom.createClusterCustomObject({ ...KUEUE, plural: 'clusterqueues', body: {
    apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ClusterQueue', metadata: { name: clusterQueue },
    spec: {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      preemption: { withinClusterQueue: 'LowerPriority' },
      resourceGroups: [{ coveredResources: ['cpu', 'memory'], flavors: [{ name: 'default-flavor', resources: [
        { name: 'cpu', nominalQuota: cpu }, { name: 'memory', nominalQuota: '1Gi' },
      ] }] }],
    },
  } });
  await custom.createNamespacedCustomObject({ ...KUEUE, namespace, plural: 'localqueues', body: {
    apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name, namespace }, spec: { clusterQueue },
  } });
  return clusterQueue;
}

/** Set a ClusterQueue's cpu quota, as an operator raising it would. */
export async function setCpuQuota(kc: KubeConfig, clusterQueue: string, cpu: string): Promise<void> {
  await kc.makeApiClient(CustomObjectsApi).patchClusterCustomObject(
    { ...KUEUE, plural: 'clusterqueues', name: clusterQueue, body: [{ op: 'replace', path: '/spec/resourceGroups/0/flavors/0/resources/0/nominalQuota', value: cpu }] },
    setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  );
}

/** A WorkloadPriorityClass (cluster-scoped): Jobs opt in with label kueue.x-k8s.io/priority-class. */
export async function createPriorityClass(kc: KubeConfig, name: string, value: number): Promise<void> {
  await kc.makeApiClient(CustomObjectsApi).createClusterCustomObject({ ...KUEUE, plural: 'workloadpriorityclasses', body: {
    apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'WorkloadPriorityClass', metadata: { name }, value,
  } }).catch((err: { code?: number }) => { if (err.code !== 409) throw err; });
}

/** The Kueue Workloads of a Job (by the job-uid label Kueue puts on them). */
export async function workloadsOf(kc: KubeConfig, namespace: string, jobUid: string): Promise<Array<{ metadata: { name: string } }>> {
  const list = await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
    ...KUEUE, namespace, plural: 'workloads', labelSelector: `kueue.x-k8s.io/job-uid=${jobUid}`,
  }) as { items: Array<{ metadata: { name: string } }> };
  return list.items;
}
