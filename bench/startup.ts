/**
 * Start-up of the shipped bundle: from spawning `node24 dist/main/index.js` (staged without
 * node_modules, started as the runner starts it) to its first request to the cluster, seen as the
 * first TCP connection on a local listener that the kubeconfig points at. The listener then drops
 * the connection and the step is killed: only the time to the first request is measured.
 * Also: bundle sizes (all code, and what start-up loads), and bare `node -e ''` start-up on the same Node for scale.
 *
 *   npx tsx bench/startup.ts [runs]     (bench/run.ts calls measureStartup and bundleSizes)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { node24Path, ROOT, runnerFiles, stageBundle, startStep } from '../scripts/lib/runner.mjs';
import { summarize } from './stats.js';

type Summary = ReturnType<typeof summarize>;

/** A kubeconfig for a server that accepts TCP and never speaks TLS. */
function kubeconfigFor(port: number): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: probe\n  cluster:\n    server: https://127.0.0.1:${port}\n    insecure-skip-tls-verify: true`,
    'users:',
    '- name: probe\n  user:\n    token: startup-probe-token',
    'contexts:',
    '- name: probe\n  context:\n    cluster: probe\n    user: probe',
    'current-context: probe',
    '',
  ].join('\n');
}

/** One start: ms from spawn to the first connection (undefined if none came within 10 s). */
async function once(root: string): Promise<number | undefined> {
  let first: ((at: number) => void) | undefined;
  const connected = new Promise<number>((resolve) => (first = resolve));
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    first?.(performance.now());
    first = undefined;
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const files = runnerFiles();
  const t0 = performance.now();
  const step = startStep({
    step: 'main',
    files,
    bundleRoot: root,
    nodePath: node24Path(),
    inputs: { job: 'startup-probe', namespace: 'default', kubeconfig: kubeconfigFor(port) },
  });
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000).unref());
  const at = await Promise.race([connected, step.done.then(() => undefined), timeout]);
  try {
    process.kill(-(step.child.pid ?? 0), 'SIGKILL');
  } catch {
    // already exited
  }
  await step.done;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(files.dir, { recursive: true, force: true });
  return at === undefined ? undefined : at - t0;
}

/** Median (and spread) of `runs` start-ups of dist/main, after one unmeasured warm-up start. */
export async function measureStartup(runs = 10): Promise<{ toFirstRequestMs: Summary; bareNodeMs: Summary; failed: number }> {
  const root = stageBundle();
  try {
    await once(root);
    const samples: number[] = [];
    let failed = 0;
    for (let i = 0; i < runs; i++) {
      const ms = await once(root);
      if (ms === undefined) failed++;
      else samples.push(ms);
    }
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      spawnSync(node24Path(), ['-e', '']);
      bare.push(performance.now() - t0);
    }
    return { toFirstRequestMs: summarize(samples), bareNodeMs: summarize(bare), failed };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

interface BundleSize {
  /** Every .js file of dist/<entry>/ (index.js and its chunks). */
  readonly jsBytes: number;
  /** index.js and the chunks it imports statically: what every run loads before its first request. */
  readonly loadedAtStartBytes: number;
  /** The same, gzipped. */
  readonly loadedAtStartGzipBytes: number;
  readonly files: number;
}

/** Static imports of a bundle file (`from "./chunk-….js"`), not the lazy `import("./chunk-….js")`. */
function staticChunks(code: string): string[] {
  return [...code.matchAll(/from\s*"\.\/(chunk-[\w-]+\.js)"/g)].map((m) => m[1] ?? '');
}

/** Bytes of each bundle in dist/: all of its code, and what start-up loads of it. */
export function bundleSizes(): Record<string, BundleSize> {
  const sizes: Record<string, BundleSize> = {};
  const dist = join(ROOT, 'dist');
  for (const entry of readdirSync(dist, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(dist, entry.name);
    const names = readdirSync(dir);
    const loaded = new Set<string>();
    const visit = (file: string): void => {
      if (loaded.has(file)) return;
      loaded.add(file);
      staticChunks(readFileSync(join(dir, file), 'utf8')).forEach(visit);
    };
    visit('index.js');
    const startCode = Buffer.concat([...loaded].map((f) => readFileSync(join(dir, f))));
    sizes[entry.name] = {
      jsBytes: names.filter((f) => f.endsWith('.js')).reduce((n, f) => n + statSync(join(dir, f)).size, 0),
      loadedAtStartBytes: startCode.length,
      loadedAtStartGzipBytes: gzipSync(startCode).length,
      files: names.length,
    };
  }
  return sizes;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2] ?? 10);
  const startup = await measureStartup(runs);
  console.log(`dist/main start-up to first request (${runs} runs, Node ${spawnSync(node24Path(), ['--version'], { encoding: 'utf8' }).stdout.trim()}): ${JSON.stringify(startup)}`);
  console.log(`bundle sizes: ${JSON.stringify(bundleSizes())}`);
}
