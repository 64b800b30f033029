// vitest globalSetup for the integration project: start the identity fakes (GitHub's token
// service, Entra ID, ARM), then build the local control plane and Kueue (cached by a hash of their
// sources) and start one instance for the whole run, without Kueue (kueue.test.ts starts its
// own), trusting the Entra fake's tokens as AKS trusts Entra ID's. Tests get inject('kubeconfigPath') and inject('identityProviders').
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureBuilt, startCluster } from '../../scripts/localcluster.mjs';
import { controlPlaneJwtArgs, startIdentityProviders } from '../fakes/identity-providers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfigPath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureBuilt();
  // The issuer must be up before the API server starts, or its JWT authenticator waits for discovery.
  const identity = await startIdentityProviders();
  const dir = mkdtempSync(join(tmpdir(), 'localcluster-vitest-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  // A 1s pod-failure backoff instead of upstream's 10s doubling keeps retry tests short.
  const cluster = await startCluster({
    kubeconfigPath,
    extraArgs: ['--pod-failure-backoff=1s', ...controlPlaneJwtArgs(identity.info)],
  });
  project.provide('kubeconfigPath', cluster.kubeconfigPath);
  project.provide('identityProviders', identity.info);
  return async () => {
    await cluster.stop();
    await identity.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
