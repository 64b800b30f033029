// `npm run cluster`: build (cached) and run the local control plane in the foreground until Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, startCluster } from './localcluster.mjs';

const dir = mkdtempSync(join(tmpdir(), 'localcluster-kubeconfig-'));
const kubeconfigPath = join(dir, 'kubeconfig');
ensureBuilt();
const started = Date.now();
const cluster = await startCluster({ kubeconfigPath, extraArgs: process.argv.slice(2) });
console.log(`Local cluster ready at ${cluster.server} in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
console.log(`Kubeconfig: ${cluster.kubeconfigPath}`);
console.log(`  export KUBECONFIG=${cluster.kubeconfigPath}`);
console.log('  kubectl from the same release: test/localcluster/bin/kubectl');
console.log('Press Ctrl-C to stop.');

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
