// Bundles each entry with ncc into <out>/index.js (ESM, because package.json says "type":
// "module"). dist/ is committed; CI rebuilds it and fails on any difference. Entries build
// concurrently, one ncc process per core: each is independent, and the output is the same.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
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
