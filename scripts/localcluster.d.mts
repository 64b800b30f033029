// Types for scripts/localcluster.mjs, so strict TypeScript callers (vitest setup, bench) get them.
export declare const moduleDir: string;
export declare const binDir: string;
export declare function binaryPath(name: 'localcluster' | 'kubectl' | 'kueue' | 'kueue-manifests'): string;
export declare function sourceHash(goVersion: string): string;
export declare function ensureBuilt(options?: { log?: (msg: string) => void }): { built: boolean; binDir: string };
export interface StartedCluster {
  server: string;
  kubeconfigPath: string;
  pid: number;
  stop(): Promise<void>;
}
export declare function startCluster(options: {
  kubeconfigPath: string;
  extraArgs?: string[];
  timeoutMs?: number;
  stderr?: 'inherit' | 'ignore' | 'pipe';
}): Promise<StartedCluster>;
