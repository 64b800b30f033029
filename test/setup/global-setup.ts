// vitest globalSetup for the integration project: build the local control plane (cached by a
// hash of its sources) and start one instance for the whole run. Tests get the kubeconfig path
// through inject('kubeconfigPath') (see test/support/cluster.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureBuilt, startCluster } from '../../scripts/localcluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfigPath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'localcluster-vitest-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  // A 1s pod-failure backoff instead of upstream's 10s doubling keeps retry tests short.
  const cluster = await startCluster({ kubeconfigPath, extraArgs: ['--pod-failure-backoff=1s'] });
  project.provide('kubeconfigPath', cluster.kubeconfigPath);
  return async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
