#!/usr/bin/env node
// node scripts/release/check-versions.mjs [version]: fails unless package.json, the Azure DevOps
// task.json and vss-extension.json all carry the version (a tag like v1.2.3 is accepted), or,
// without one, agree with package.json. In a workflow it also sets the step output `version`.
import { appendFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseVersion, readManifests, versionProblems } from './lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
try {
  const manifests = readManifests(root);
  const expected = process.argv[2] ? parseVersion(process.argv[2]) : undefined;
  const problems = versionProblems(manifests, expected);
  if (problems.length > 0) {
    console.error(`Versions disagree:\n  ${problems.join('\n  ')}\nSet the same version in all three before tagging.`);
    process.exit(1);
  }
  const version = expected ?? manifests.packageJson.version;
  console.log(`Versions agree: ${version}`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `version=${version}\n`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
