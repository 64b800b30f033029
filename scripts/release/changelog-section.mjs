#!/usr/bin/env node
// node scripts/release/changelog-section.mjs <version>: prints CHANGELOG.md's section for that
// version (the release notes); fails when there is none.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { changelogSection, parseVersion } from './lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
try {
  const version = parseVersion(process.argv[2]);
  process.stdout.write(`${changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version)}\n`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
