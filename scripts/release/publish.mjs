#!/usr/bin/env node
// node scripts/release/publish.mjs <version>: creates the GitHub release v<version> with the
// changelog's section as notes and the .vsix attached, then moves the major tag (v1) to it.
// DRY_RUN=1 (or --dry-run) checks everything and prints the commands instead of running them.
// Needs GH_TOKEN with contents: write, and a checkout whose `origin` accepts a tag push.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { changelogSection, parseVersion, pickVsix, readManifests, releaseCommands, versionProblems } from './lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run') || ['1', 'true'].includes(process.env.DRY_RUN ?? '');

function git(...argv) {
  const r = spawnSync('git', argv, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${argv.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

try {
  const version = parseVersion(args.find((a) => !a.startsWith('--')));
  const problems = versionProblems(readManifests(root), version);
  if (problems.length > 0) throw new Error(`Versions disagree:\n  ${problems.join('\n  ')}`);
  const notes = changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version);
  const outDir = join(root, 'azure-devops', 'out');
  const vsix = join(outDir, pickVsix(readdirSync(outDir), version));
  const notesFile = join(mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'release-')), 'notes.md');
  writeFileSync(notesFile, `${notes}\n`);
  const sha = process.env.GITHUB_SHA || git('rev-parse', 'HEAD');
  const commands = releaseCommands({ version, sha, notesFile, vsix });
  console.log(`${dryRun ? 'Dry run: would release' : 'Releasing'} v${version} at ${sha}. Notes:\n${notes}\n`);
  for (const argv of commands) {
    console.log(`${dryRun ? 'would run' : 'running'}: ${argv.join(' ')}`);
    if (dryRun) continue;
    const r = spawnSync(argv[0], argv.slice(1), { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${argv.slice(0, 3).join(' ')} failed (exit ${r.status ?? r.signal}).`);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
