// Build (cached) and start the local Kubernetes control plane in test/localcluster.
// Plain ESM with no dependencies: used by the vitest global setup, `npm run cluster`, the demo and
// the benchmarks. See test/localcluster/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const moduleDir = join(root, 'test', 'localcluster');
export const binDir = join(moduleDir, 'bin');
const hashFile = join(binDir, '.source-hash');
// Kueue is a module of its own: its controller-runtime and k8s.io/* v0.34.2 requirements would
// fight k8s.io/kubernetes's replace directives in ours.
const kueueModuleDir = join(moduleDir, 'kueue');
const binaries = ['localcluster', 'kubectl', 'kueue', 'kueue-manifests'];

/** Path of a built binary: `localcluster`, `kubectl` or `kueue`. */
export function binaryPath(name) {
  return join(binDir, name);
}

function goFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'bin' && full !== kueueGenDir) out.push(...goFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.go')) out.push(full);
  }
  return out;
}

/**
 * Hash of both modules' go.mod and go.sum and every *.go file (path and content), the Go version
 * and the one change made to Kueue's main.
 */
export function sourceHash(goVersion) {
  const hash = createHash('sha256').update(goVersion).update(JSON.stringify(KUEUE_PATCH));
  const files = [
    join(moduleDir, 'go.mod'), join(moduleDir, 'go.sum'), join(kueueModuleDir, 'go.mod'), join(kueueModuleDir, 'go.sum'),
    ...goFiles(moduleDir).sort(),
  ];
  for (const file of files) {
    hash.update(relative(moduleDir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** The Kubernetes release pinned in go.mod, stamped into the binaries like hack/lib/version.sh does. */
function kubeVersion() {
  const match = /^\s*k8s\.io\/kubernetes\s+(v\d+\.\d+\.\d+)/m.exec(readFileSync(join(moduleDir, 'go.mod'), 'utf8'));
  return match?.[1] ?? 'v0.0.0';
}

function ldflags() {
  const v = kubeVersion();
  const [major, minor] = v.slice(1).split('.');
  const stamp = (pkg) =>
    [`-X ${pkg}.gitVersion=${v}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`, `-X ${pkg}.gitTreeState=clean`];
  return ['-s', '-w', ...stamp('k8s.io/component-base/version'), ...stamp('k8s.io/client-go/pkg/version')].join(' ');
}

/** Go 1.21 is the first go command that switches toolchains (go.dev/doc/toolchain). */
const MIN_BOOTSTRAP_GO = '1.21';

// Asked in the module, so the answer is the toolchain that builds it: with GOTOOLCHAIN=auto an
// older local Go switches to the one go.mod asks for (downloaded once into the module cache).
function goVersion() {
  const result = spawnSync('go', ['version'], { cwd: moduleDir, encoding: 'utf8', env: goEnv() });
  if (result.error || result.status !== 0) {
    const detail = result.error ? `: ${result.error.message}` : result.stderr?.trim() ? `:\n${result.stderr.trim()}\n` : '. ';
    throw new Error(
      'Go is needed to build the local control plane (test/localcluster), but `go version` failed' + detail +
        `Install Go ${MIN_BOOTSTRAP_GO} or later from https://go.dev/dl/ (or your package manager) and put \`go\` on PATH:` +
        ` it fetches the toolchain go.mod asks for (${moduleGoLine()}) from the module proxy. Where the proxy serves no` +
        ' toolchains, install that Go release itself.',
    );
  }
  return result.stdout.trim();
}

/** `toolchain go1.26.8` or `go 1.26`, as go.mod says: what an older Go will fetch. */
function moduleGoLine() {
  const text = readFileSync(join(moduleDir, 'go.mod'), 'utf8');
  return /^toolchain\s+\S+/m.exec(text)?.[0] ?? /^go\s+\S+/m.exec(text)?.[0] ?? 'its go line';
}

// GOTOOLCHAIN=auto unless the caller chose one: a local Go that satisfies go.mod builds as is
// (nothing is downloaded); an older one fetches the toolchain go.mod names instead of failing.
// CGO_ENABLED=0 with -trimpath matches every other build of this module, so they share one cache.
function goEnv() {
  return { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'auto', CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
}

/**
 * Build test/localcluster/bin/{localcluster,kubectl,kueue} unless the stored source hash matches.
 * A cold build takes minutes (it compiles kube-apiserver); later builds reuse Go's build cache.
 * @param {{ log?: (msg: string) => void }} [options]
 * @returns {{ built: boolean, binDir: string }}
 */
export function ensureBuilt({ log = (msg) => process.stderr.write(`${msg}\n`) } = {}) {
  const hash = sourceHash(goVersion());
  const present = binaries.every((b) => existsSync(binaryPath(b)));
  if (present && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === hash) {
    return { built: false, binDir };
  }
  mkdirSync(binDir, { recursive: true });
  log('localcluster: building test/localcluster and Kueue (first build compiles Kubernetes and Kueue: several minutes)…');
  const started = Date.now();
  const result = spawnSync(
    'go',
    ['build', '-trimpath', '-ldflags', ldflags(), '-o', binDir + '/', './cmd/localcluster', './cmd/kubectl'],
    { cwd: moduleDir, env: goEnv(), stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.status !== 0) {
    throw new Error(`go build in ${moduleDir} failed (exit ${result.status ?? result.signal})`);
  }
  buildKueue();
  writeFileSync(hashFile, `${hash}\n`);
  log(`localcluster: built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return { built: true, binDir };
}

/**
 * Kueue's manager hard-codes where it reads the metrics server's certificate when its internal
 * cert management is off (cmd/kueue/main.go); this one line lets localcluster point it at its
 * data dir instead of /etc. Nothing else of Kueue is changed.
 */
const KUEUE_PATCH = {
  file: 'cmd/kueue/main.go',
  from: 'metricsCertPath := "/etc/kueue/metrics/certs"',
  to: 'metricsCertPath := cmp.Or(os.Getenv("KUEUE_METRICS_CERT_DIR"), "/etc/kueue/metrics/certs")',
  importFrom: 'import (\n',
  importTo: 'import (\n\t"cmp"\n',
};
/** Where the patched main is written (gitignored, left out of the source hash). */
const kueueGenDir = join(kueueModuleDir, 'gen');

/** The Kueue release pinned by test/localcluster/kueue/go.mod. */
function kueueVersion() {
  return /^\s*sigs\.k8s\.io\/kueue\s+(v\S+)/m.exec(readFileSync(join(kueueModuleDir, 'go.mod'), 'utf8'))?.[1] ?? 'v0.0.0';
}

/**
 * bin/kueue: the release's cmd/kueue/main.go with KUEUE_PATCH applied, written into our kueue
 * module (it imports no internal package, so it builds there as it does in Kueue's) and built
 * with the same env and -trimpath as the rest; and bin/kueue-manifests: the release's
 * config/components/{crd,webhook}, which `localcluster --kueue` installs. (`go build -overlay`
 * cannot replace files in the module cache.)
 */
function buildKueue() {
  const listed = spawnSync('go', ['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kueue'], { cwd: kueueModuleDir, env: goEnv(), encoding: 'utf8' });
  const kueueDir = listed.stdout?.trim();
  if (listed.status !== 0 || !kueueDir) {
    throw new Error(`go list -m sigs.k8s.io/kueue in ${kueueModuleDir} failed (exit ${listed.status ?? listed.signal}):\n${listed.stderr}`);
  }
  const original = readFileSync(join(kueueDir, KUEUE_PATCH.file), 'utf8');
  if (!original.includes(KUEUE_PATCH.from) || !original.includes(KUEUE_PATCH.importFrom)) {
    throw new Error(`${KUEUE_PATCH.file} of sigs.k8s.io/kueue ${kueueVersion()} no longer contains '${KUEUE_PATCH.from}': update KUEUE_PATCH in scripts/localcluster.mjs`);
  }
  const patched = original.replace(KUEUE_PATCH.from, KUEUE_PATCH.to).replace(KUEUE_PATCH.importFrom, KUEUE_PATCH.importTo);
  rmSync(kueueGenDir, { recursive: true, force: true });
  mkdirSync(join(kueueGenDir, 'kueue'), { recursive: true });
  writeFileSync(join(kueueGenDir, 'kueue', 'main.go'), `// Generated by scripts/localcluster.mjs from sigs.k8s.io/kueue ${kueueVersion()} ${KUEUE_PATCH.file}. DO NOT EDIT.\n\n${patched}`);
  const result = spawnSync(
    'go',
    ['build', '-trimpath', '-ldflags', `-s -w -X sigs.k8s.io/kueue/pkg/version.GitVersion=${kueueVersion()}`, '-o', binaryPath('kueue'), './gen/kueue'],
    { cwd: kueueModuleDir, env: goEnv(), stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.status !== 0) {
    throw new Error(`go build of sigs.k8s.io/kueue ${kueueVersion()} cmd/kueue in ${kueueModuleDir} failed (exit ${result.status ?? result.signal})`);
  }
  const manifests = binaryPath('kueue-manifests');
  rmSync(manifests, { recursive: true, force: true });
  for (const part of ['crd', 'webhook']) copyTree(join(kueueDir, 'config', 'components', part), join(manifests, part));
}

// Module cache files are read-only; plain copies stay writable so the next build can replace them.
function copyTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile()) writeFileSync(join(to, entry.name), readFileSync(join(from, entry.name)));
  }
}

/**
 * Start the control plane and resolve once it printed its READY line.
 * @param {{ kubeconfigPath: string, extraArgs?: string[], timeoutMs?: number, stderr?: 'inherit' | 'ignore' | 'pipe' }} options
 * @returns {Promise<{ server: string, kubeconfigPath: string, pid: number, stop: () => Promise<void> }>}
 */
export function startCluster({ kubeconfigPath, extraArgs = [], timeoutMs = 180_000, stderr = 'inherit' }) {
  // --exit-with-stdin: the cluster stops when this process dies without calling stop(), because
  // the kernel closes the stdin pipe we hold.
  const args = ['--kubeconfig', kubeconfigPath, '--exit-with-stdin', ...extraArgs];
  const child = spawn(binaryPath('localcluster'), args, { stdio: ['pipe', 'pipe', stderr] });
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolvePromise, reject) => {
    const fail = (err) => {
      clearTimeout(timer);
      void stop().finally(() => reject(err));
    };
    const timer = setTimeout(() => fail(new Error(`localcluster did not print READY within ${timeoutMs} ms`)), timeoutMs);
    child.once('error', fail);
    void exited.then(({ code, signal }) => fail(new Error(`localcluster exited before READY (code ${code}, signal ${signal})`)));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      const ready = JSON.parse(line.slice('READY '.length));
      resolvePromise({ server: ready.server, kubeconfigPath: ready.kubeconfig, pid: child.pid, stop });
    });
  });
}
