/**
 * A pod's service account as kubelet mounts it, for in-cluster runs on the local control plane: a
 * real token (TokenRequest API), laid out as kubelet's projected volume (token, ca.crt, namespace,
 * swapped in by a `..data` symlink on rotation) in a temp dir that POLYSYNC_SERVICEACCOUNT_DIR names,
 * with KUBERNETES_SERVICE_HOST/PORT pointing at the local API server.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

export async function serviceAccountToken(admin: KubeConfig, namespace: string, name: string): Promise<string> {
  const t = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({ namespace, name, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  if (!t.status?.token) throw new Error('no token');
  return t.status.token;
}

export interface ServiceAccountDir {
  readonly dir: string;
  /** kubelet's rotation: a new ..<n>/ with the token, ..data swapped to it. */
  rotate(token: string): void;
  remove(): void;
}

/** kubelet's projected-volume layout: ..<n>/ holds the files, ..data links to it, token links through ..data. */
export function serviceAccountDir(admin: KubeConfig, namespace: string, token: string): ServiceAccountDir {
  const dir = mkdtempSync(join(tmpdir(), 'serviceaccount-'));
  const caPem = Buffer.from(admin.getCurrentCluster()?.caData ?? '', 'base64').toString('utf8');
  let n = 0;
  const write = (value: string): void => {
    const data = `..${++n}`;
    mkdirSync(join(dir, data));
    writeFileSync(join(dir, data, 'token'), value);
    writeFileSync(join(dir, data, 'ca.crt'), caPem);
    writeFileSync(join(dir, data, 'namespace'), namespace);
    symlinkSync(data, join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  };
  write(token);
  for (const f of ['token', 'ca.crt', 'namespace']) symlinkSync(join('..data', f), join(dir, f));
  return { dir, rotate: write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What kubelet sets in a pod, pointing at the local API server, plus the seam naming the dir. */
export function podEnv(admin: KubeConfig, dir: string): Record<string, string> {
  const server = new URL(admin.getCurrentCluster()?.server ?? '');
  return { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: server.port, POLYSYNC_SERVICEACCOUNT_DIR: dir };
}
