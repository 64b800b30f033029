// The release workflow's logic as plain functions (.github/workflows/release.yml calls the small
// CLIs next to this file), so test/unit/release.test.ts checks them without a release.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The three manifests that carry the version, by path relative to the repository root. */
export const MANIFESTS = {
  packageJson: 'package.json',
  taskJson: 'azure-devops/run-aks-job/task.json',
  extensionJson: 'azure-devops/vss-extension.json',
};

/** `v1.2.3` or `1.2.3` → `1.2.3`; anything else is an error that names the value. */
export function parseVersion(input) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(String(input ?? '').trim());
  if (!match) throw new Error(`Version must look like 1.2.3 or v1.2.3 (a release tag); got '${input ?? ''}'.`);
  return match.slice(1, 4).map(Number).join('.');
}

/** Parsed manifests of a checkout. */
export function readManifests(root) {
  const read = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'));
  return { packageJson: read(MANIFESTS.packageJson), taskJson: read(MANIFESTS.taskJson), extensionJson: read(MANIFESTS.extensionJson) };
}

/** The version each manifest declares (task.json's is {Major, Minor, Patch}). */
export function manifestVersions({ packageJson, taskJson, extensionJson }) {
  const v = taskJson?.version ?? {};
  const task = [v.Major, v.Minor, v.Patch].every((n) => Number.isInteger(n)) ? `${v.Major}.${v.Minor}.${v.Patch}` : undefined;
  return {
    [MANIFESTS.packageJson]: packageJson?.version,
    [MANIFESTS.taskJson]: task,
    [MANIFESTS.extensionJson]: extensionJson?.version,
  };
}

/**
 * What is wrong with the manifests' versions: each must be present and equal the expected version
 * (the tag being released), or, without one, package.json's. Empty when they agree.
 */
export function versionProblems(manifests, expected) {
  const versions = manifestVersions(manifests);
  const want = expected ?? versions[MANIFESTS.packageJson];
  const problems = [];
  for (const [path, version] of Object.entries(versions)) {
    if (version === undefined) problems.push(`${path} has no version.`);
    else if (version !== want) problems.push(`${path} says ${version}, expected ${want}.`);
  }
  return problems;
}

/**
 * The body of a Keep a Changelog section (`## [1.2.3] - 2026-12-01`, up to the next `## ` heading
 * or the link definitions at the end), trimmed. An error when it is missing or empty: a release
 * without notes is a mistake.
 */
export function changelogSection(markdown, version) {
  const lines = markdown.split(/\r?\n/);
  const escaped = version.replace(/\./g, '\\.');
  const heading = new RegExp(`^## \\[?v?${escaped}\\]?(\\s|$)`);
  const start = lines.findIndex((l) => heading.test(l));
  if (start === -1) throw new Error(`CHANGELOG.md has no section for ${version}: add '## [${version}] - YYYY-MM-DD' with what changed.`);
  let end = lines.findIndex((l, i) => i > start && (/^## /.test(l) || /^\[[^\]]+\]:\s/.test(l)));
  if (end === -1) end = lines.length;
  const body = lines.slice(start + 1, end).join('\n').trim();
  if (body === '') throw new Error(`CHANGELOG.md's section for ${version} is empty.`);
  return body;
}

/** The .vsix that `npm run package:azdo` wrote for this version (tfx names it <publisher>.<id>-<version>.vsix). */
export function pickVsix(files, version) {
  const matches = files.filter((f) => f.endsWith(`-${version}.vsix`));
  if (matches.length !== 1) {
    throw new Error(`Expected one azure-devops/out/*-${version}.vsix (run 'npm run package:azdo'); found ${matches.length === 0 ? 'none' : matches.join(', ')}.`);
  }
  return matches[0];
}

/**
 * The commands that publish a release: the GitHub release (creating the tag at `sha` when it does
 * not exist yet, as on a manual dispatch) with the changelog section as notes and the .vsix
 * attached, then the major tag (v1) moved to the same commit, as actions/toolkit's
 * docs/action-versioning.md asks of actions.
 */
export function releaseCommands({ version, sha, notesFile, vsix }) {
  const tag = `v${version}`;
  const major = `v${version.split('.')[0]}`;
  return [
    ['gh', 'release', 'create', tag, vsix, '--title', tag, '--notes-file', notesFile, '--target', sha],
    ['git', 'tag', '--force', major, sha],
    ['git', 'push', '--force', 'origin', `refs/tags/${major}`],
  ];
}
