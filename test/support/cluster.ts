// Helpers for integration tests against the local control plane started by
// test/setup/global-setup.ts. Pods there are simulated; their behaviour is set with SIM_* env
// vars (test/localcluster/README.md).
import { randomBytes } from 'node:crypto';
import { BatchV1Api, CoreV1Api, KubeConfig, type V1CronJob, type V1EnvVar, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { Label } from '../../src/core/names.js';
import { afterAll, beforeAll, inject } from 'vitest';

/** A KubeConfig for the cluster's admin (system:masters) identity. */
export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('kubeconfigPath'));
  return kc;
}

const created: string[] = [];

// Registered when a test file first imports this module, so every namespace a file creates is
// deleted after that file, however it was created.
afterAll(async () => {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  await Promise.all(
    created.splice(0).map((name) =>
      core.deleteNamespace({ name, propagationPolicy: 'Background' }).catch(() => undefined),
    ),
  );
});

/**
 * Create a namespace with a unique name (`<prefix>-<random>`) that is deleted, with
 * propagationPolicy Background, after the current test file. Resolves once the namespace's
 * `default` ServiceAccount exists, because ServiceAccount admission rejects pods before that.
 */
export async function createTestNamespace(prefix: string): Promise<string> {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  const name = `${prefix}-${randomBytes(3).toString('hex')}`.toLowerCase();
  await core.createNamespace({ body: { metadata: { name } } });
  created.push(name);
  await waitFor(
    async () => core.readNamespacedServiceAccount({ namespace: name, name: 'default' }).then(() => true, () => false),
    { timeoutMs: 30_000, what: `serviceaccounts/${name}/default` },
  );
  return name;
}

/**
 * Register beforeAll/afterAll hooks for a per-file namespace; read `.name` inside tests.
 * Call at the top level of a test file or describe block.
 */
export function withNamespace(prefix: string): { readonly name: string } {
  let name = '';
  beforeAll(async () => {
    name = await createTestNamespace(prefix);
  });
  return {
    get name() {
      if (!name) throw new Error('withNamespace: the namespace is only available inside tests');
      return name;
    },
  };
}

/** The Jobs the action created from `source` (by the source-name label it puts on every run). */
export async function jobsFromSource(kc: KubeConfig, namespace: string, source: string): Promise<V1Job[]> {
  const list = await kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace, labelSelector: `${Label.sourceName}=${source}` });
  return list.items;
}

/** A Job's pods, by the controller-uid label the Job controller sets on them. */
export async function podsOfJob(kc: KubeConfig, namespace: string, jobUid: string | undefined): Promise<V1Pod[]> {
  const list = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector: `batch.kubernetes.io/controller-uid=${jobUid ?? ''}` });
  return list.items;
}

/**
 * Poll `predicate` every `intervalMs` until it returns true, or throw after `timeoutMs`
 * naming `what`. Exceptions from the predicate count as "not yet".
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  { timeoutMs = 30_000, intervalMs = 200, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await predicate()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** SIM_* (and any other) env vars for the simulated container, in insertion order. */
export type SimEnv = Record<string, string>;

export interface JobOptions {
  env?: SimEnv;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  suspend?: boolean;
  ttlSecondsAfterFinished?: number;
  restartPolicy?: 'Never' | 'OnFailure';
  labels?: Record<string, string>;
}

function toEnv(env: SimEnv = {}): V1EnvVar[] {
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/** A batch/v1 Job with one container named `main` whose behaviour is set by `env`. */
export function jobManifest(name: string, opts: JobOptions = {}): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: opts.labels },
    spec: {
      backoffLimit: opts.backoffLimit ?? 0,
      activeDeadlineSeconds: opts.activeDeadlineSeconds,
      suspend: opts.suspend,
      ttlSecondsAfterFinished: opts.ttlSecondsAfterFinished,
      template: {
        spec: {
          restartPolicy: opts.restartPolicy ?? 'Never',
          containers: [{ name: 'main', image: 'busybox:1.36', env: toEnv(opts.env) }],
        },
      },
    },
  };
}

/** A batch/v1 CronJob whose Jobs look like jobManifest's; suspended unless `schedule` is given. */
export function cronJobManifest(name: string, opts: JobOptions & { schedule?: string } = {}): V1CronJob {
  const job = jobManifest(name, opts);
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, labels: opts.labels },
    spec: {
      schedule: opts.schedule ?? '0 0 1 1 *',
      suspend: opts.schedule === undefined,
      jobTemplate: { metadata: { labels: opts.labels }, spec: job.spec },
    },
  };
}
