/** Source Jobs and CronJobs as platform teams keep them, driven by the pod simulator's SIM_* env. */
import type { V1CronJob, V1EnvVar, V1Job, V1JobSpec } from '@kubernetes/client-node';

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
