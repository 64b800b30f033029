// Bundles each entry into <out>/index.js (ESM, because package.json says "type": "module").
// dist/ is committed; CI rebuilds it and fails on any difference. Entries build concurrently.
//
// The GitHub entries are bundled by esbuild, which drops what a run never uses: ncc (webpack)
// keeps every module of @kubernetes/client-node's generated code, since the package declares no
// "sideEffects" and its index re-exports all of it, so the main bundle was 5.7 MB and most of the
// start-up went into compiling and running it (bench/startup.ts, issue #13). The Azure DevOps task
// stays on ncc: azure-pipelines-task-lib reads its resource files from next to itself, and ncc's
// asset relocation copies them into the bundle's folder.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);

const entries = {
  'dist/main': 'src/main.ts',
  'dist/post': 'src/post.ts',
  'dist/discover': 'src/discover.ts',
  'azure-devops/run-aks-job/dist/main': 'src/azure-devops/main.ts',
  'azure-devops/run-aks-job/dist/post': 'src/azure-devops/post.ts',
};

// `node scripts/bundle.mjs azure-devops` bundles only the entries whose output starts with an argument.
const only = process.argv.slice(2);
const work = Object.entries(entries).filter(
  ([out, entry]) => existsSync(entry) && (only.length === 0 || only.some((prefix) => out.startsWith(prefix))),
);

/** Every file below the given paths, sorted, for a content hash. */
function filesUnder(paths) {
  const files = [];
  const walk = (p) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
    else files.push(p);
  };
  paths.forEach(walk);
  return files.sort();
}

function hashOf(paths) {
  const hash = createHash('sha256');
  for (const file of filesUnder(paths)) hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

// Incremental: ncc takes over a minute, and its output is a pure function of the sources, the
// lockfile and this script. A fresh clone (CI's check-dist) has no stamp and always rebuilds;
// FORCE_BUNDLE=1 rebuilds anyway.
const STAMP = join('.cache', `bundle-stamp${only.length ? `-${only.join('-').replace(/\W/g, '_')}` : ''}.json`);
const inputs = hashOf(['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs']);
const outputs = () => hashOf(work.map(([out]) => out));
if (!process.env.FORCE_BUNDLE && existsSync(STAMP)) {
  const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
  if (stamp.inputs === inputs && stamp.outputs === outputs()) {
    process.stdout.write('bundle: up to date (sources and outputs unchanged since the last build)\n');
    process.exit(0);
  }
}

async function bundle([out, entry]) {
  rmSync(out, { recursive: true, force: true });
  if (out.startsWith('dist/')) await bundleWithEsbuild(out, entry);
  else {
    await run(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', entry, '-o', out, '--minify', '--license', 'licenses.txt', '--quiet'], {
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  // The runner starts <out>/index.js wherever the action is checked out; a local package.json
  // keeps the bundle ESM even without the repository's package.json beside it.
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
}

// CommonJS dependencies call require() and read __dirname; an ES module has neither.
const ESM_PRELUDE = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
  'const require = __bundleCreateRequire(import.meta.url);',
  'const __filename = __bundleFileURLToPath(import.meta.url);',
  "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
].join('\n');

/**
 * @kubernetes/client-node only declares classes and functions at import time, but many of its
 * modules assign static fields (ListWatch's delays, every generated model's type map), which
 * esbuild must assume to have side effects; the package declares no "sideEffects" to say
 * otherwise, so everything its index re-exports would be kept. Said here, what no code of ours
 * reaches is left out: the generated APIs and models (about 1.4 MB), ListWatch, Exec, Metrics.
 */
const clientNodeWithoutSideEffects = {
  name: 'client-node-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolving' || !(/@kubernetes[\\/]client-node/.test(args.path) || /@kubernetes[\\/]client-node[\\/]dist/.test(args.resolveDir))) return undefined;
      const resolved = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'resolving' });
      return /node_modules[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]/.test(resolved.path) ? { ...resolved, sideEffects: false } : resolved;
    });
  },
};

/**
 * Node's built-in modules through require(), not `import`: importing a built-in as an ES module
 * reads every export, and node:http's lazy ones load Node's own copy of undici at start-up
 * (about 10 ms, bench/startup.ts); require() reads only what the code uses.
 */
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(b) {
    const builtins = new Set(builtinModules);
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!builtins.has(name) || args.kind !== 'import-statement') return undefined;
      return { path: `node:${name}`, namespace: 'builtin-require' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

async function bundleWithEsbuild(out, entry) {
  const result = await build({
    entryPoints: { index: entry },
    outdir: out,
    bundle: true,
    // Lazily imported parts (Azure sign-in) become chunks, loaded only by the runs that need them.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node24',
    minify: true,
    legalComments: 'none',
    banner: { js: ESM_PRELUDE },
    metafile: true,
    plugins: [clientNodeWithoutSideEffects, builtinsThroughRequire],
    logLevel: 'error',
  });
  writeFileSync(join(out, 'licenses.txt'), licenses(Object.keys(result.metafile.inputs)));
}

/** The licence of every package with code in the bundle, as ncc's --license writes them. */
function licenses(inputs) {
  const roots = new Set();
  for (const input of inputs) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at === -1) continue;
    const depth = parts[at + 1]?.startsWith('@') ? 3 : 2;
    roots.add(parts.slice(0, at + depth).join(sep));
  }
  const entries = [];
  for (const root of [...roots].sort()) {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const file = readdirSync(root).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? readFileSync(join(root, file), 'utf8').trim() : '';
    entries.push(`${pkg.name}\n${pkg.license ?? ''}\n${text}`);
  }
  return entries.join('\n\n') + '\n';
}

const queue = [...work];
const workers = Array.from({ length: Math.min(availableParallelism(), queue.length) }, async () => {
  for (let next = queue.shift(); next; next = queue.shift()) await bundle(next);
});
try {
  await Promise.all(workers);
} catch (err) {
  process.stderr.write(`${err.stderr ?? ''}${err.message}\n`);
  process.exit(1);
}
mkdirSync('.cache', { recursive: true });
writeFileSync(STAMP, JSON.stringify({ inputs, outputs: outputs() }) + '\n');
