// Bundles each entry with ncc into <out>/index.js (ESM, because package.json says "type":
// "module"). dist/ is committed; CI rebuilds it and fails on any difference. Entries build
// concurrently, one ncc process per core: each is independent, and the output is the same.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

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
  await run(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', entry, '-o', out, '--minify', '--license', 'licenses.txt', '--quiet'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  // The runner starts <out>/index.js wherever the action is checked out; a local package.json
  // keeps the bundle ESM even without the repository's package.json beside it.
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
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
