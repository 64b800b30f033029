/** Source Jobs and CronJobs as platform teams keep them, driven by the pod simulator's SIM_* env. */
import type { V1Container, V1CronJob, V1EnvVar, V1Job, V1JobSpec } from '@kubernetes/client-node';

export interface SourceOptions {
  readonly env?: Record<string, string>;
  readonly extraEnv?: V1EnvVar[];
  readonly spec?: Partial<V1JobSpec>;
  readonly labels?: Record<string, string>;
}

function podSpec(o: SourceOptions): V1JobSpec['template'] {
  return {
    metadata: { labels: { app: 'batch', ...o.labels } },
    spec: {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'main',
          image: 'registry.example.com/batch:1.0',
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
          env: [...Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value })), ...(o.extraEnv ?? [])],
        },
      ],
    },
  };
}

/** A template Job: suspended, so it never runs itself; the action's clone runs. */
export function sourceJob(name: string, o: SourceOptions = {}): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: { team: 'data', ...o.labels }, annotations: { 'example.com/owner': 'data-team' } },
    spec: { suspend: true, backoffLimit: 0, template: podSpec(o), ...o.spec },
  };
}

export function sourceCronJob(name: string, o: SourceOptions & { suspend?: boolean; successfulJobsHistoryLimit?: number } = {}): V1CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, labels: { team: 'data' } },
    spec: {
      schedule: '0 2 * * *',
      suspend: o.suspend ?? true,
      successfulJobsHistoryLimit: o.successfulJobsHistoryLimit,
      jobTemplate: { metadata: { labels: { team: 'data' } }, spec: { backoffLimit: 0, template: podSpec(o), ...o.spec } },
    },
  };
}

/** A simulated container named `name`, driven by `env` (SIM_*), with small requests. */
export function simContainer(name: string, env: Record<string, string>, extra: Partial<V1Container> = {}): V1Container {
  return {
    name, image: `registry.example.com/${name}:1`, resources: { requests: { cpu: '10m', memory: '16Mi' } },
    env: Object.entries(env).map(([n, value]) => ({ name: n, value })), ...extra,
  };
}

/** A source Job whose pod runs `containers` (and `initContainers`), as sourceJob's otherwise. */
export function shapedJob(name: string, containers: V1Container[], initContainers?: V1Container[]): V1Job {
  const job = sourceJob(name);
  job.spec!.template.spec = { ...job.spec!.template.spec, containers, ...(initContainers ? { initContainers } : {}) };
  return job;
}
