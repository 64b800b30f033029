/**
 * The `secret-params` input's objects, pure: the Secret a run's secret values live in, and the
 * env entries that reference it. The values never enter the Job: its env carries only
 * `valueFrom.secretKeyRef` (so `kubectl get job -o yaml`, `describe`, etcd's copy of the Job,
 * the summary and the dry-run YAML show names, never values).
 */
import type { V1EnvVar, V1Job, V1Secret } from '@kubernetes/client-node';
import { Label, MANAGED_BY } from './names.js';

/** The run's Secret is named after it (Secrets and Jobs are separate kinds; the suffix says what it holds). */
export function secretParamsName(runName: string): string {
  return `${runName}-params`;
}

/** `{name, valueFrom: {secretKeyRef}}` for each secret param; keys are the env var names (both allow [-._a-zA-Z0-9]). */
export function secretParamsEnv(runName: string, secretParams: ReadonlyArray<readonly [string, string]>): Array<readonly [string, V1EnvVar]> {
  return secretParams.map(([name]) => [name, { name, valueFrom: { secretKeyRef: { name: secretParamsName(runName), key: name } } }] as const);
}

/**
 * The Secret for a created Job: owned by it (ownerReference with its uid, so the garbage collector
 * deletes the Secret with the Job: by TTL, CronJob history, a cancel or a person), immutable (the
 * values belong to this run; the kubelet need not watch it). No blockOwnerDeletion: that would
 * need update on jobs/finalizers, as for the CronJob owner in clone.ts.
 */
export function secretForRun(job: V1Job, secretParams: ReadonlyArray<readonly [string, string]>): V1Secret {
  const name = job.metadata?.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: secretParamsName(name),
      namespace: job.metadata?.namespace,
      labels: { [Label.managedBy]: MANAGED_BY, ...(job.metadata?.labels?.[Label.sourceName] ? { [Label.sourceName]: job.metadata.labels[Label.sourceName] } : {}) },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata?.uid ?? '', controller: true }],
    },
    type: 'Opaque',
    immutable: true,
    stringData: Object.fromEntries(secretParams),
  };
}
