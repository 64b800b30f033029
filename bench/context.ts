/** What every bench gets: the cluster's kubeconfig (object, file, text) and kubectl. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BatchV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

const run = promisify(execFile);

export interface BenchContext {
  readonly kc: KubeConfig;
  readonly kubeconfigPath: string;
  readonly kubeconfig: string;
  readonly kubectlPath: string;
}

/** kubectl against the bench cluster; resolves with its stdout. */
export async function kubectl(ctx: BenchContext, args: string[]): Promise<string> {
  const { stdout } = await run(ctx.kubectlPath, ['--kubeconfig', ctx.kubeconfigPath, ...args], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** `kubectl create job --from=cronjob/<source>` + `kubectl wait --for=condition=complete`: the anchor. */
export async function kubectlRun(ctx: BenchContext, namespace: string, source: string, name: string, timeoutSeconds: number): Promise<number> {
  const t0 = performance.now();
  await kubectl(ctx, ['-n', namespace, 'create', 'job', name, `--from=cronjob/${source}`]);
  await kubectl(ctx, ['-n', namespace, 'wait', '--for=condition=complete', `job/${name}`, `--timeout=${timeoutSeconds}s`]);
  return performance.now() - t0;
}

export async function createNamespace(ctx: BenchContext, name: string): Promise<void> {
  await ctx.kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
}

/** Deletes every Job of the namespace and its pods, so the next bench starts on an idle cluster. */
export async function deleteJobs(ctx: BenchContext, namespace: string): Promise<void> {
  await ctx.kc.makeApiClient(BatchV1Api).deleteCollectionNamespacedJob({ namespace, propagationPolicy: 'Background' });
}
