// Bundles each entry with ncc into dist/<entry>/index.js (ESM, because package.json says
// "type": "module"). dist/ is committed; CI rebuilds it and fails on any difference.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const entries = {
  'dist/main': 'src/main.ts',
  'dist/post': 'src/post.ts',
  'dist/discover': 'src/discover.ts',
  'azure-devops/run-aks-job/dist/main': 'src/azure-devops/main.ts',
  'azure-devops/run-aks-job/dist/post': 'src/azure-devops/post.ts',
};

// `node scripts/bundle.mjs azure-devops` bundles only the entries whose output starts with an argument.
const only = process.argv.slice(2);

for (const [out, entry] of Object.entries(entries)) {
  if (!existsSync(entry)) continue;
  if (only.length > 0 && !only.some((prefix) => out.startsWith(prefix))) continue;
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', entry, '-o', out, '--minify', '--license', 'licenses.txt', '--quiet'],
    { stdio: 'inherit' },
  );
  // The runner starts dist/<entry>/index.js without the repository's package.json nearby in
  // some layouts; a local package.json keeps the bundle ESM wherever it is copied.
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
}
