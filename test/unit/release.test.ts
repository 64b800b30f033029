import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  changelogSection, parseVersion, pickVsix, readManifests, releaseCommands, versionProblems, type Manifests,
} from '../../scripts/release/lib.mjs';
import { ROOT } from '../../scripts/lib/runner.mjs';

const manifests = readManifests(ROOT);

/** A deep copy with one change, so the checker is tested against altered manifests in memory. */
function altered(change: (m: { packageJson: { version: unknown }; taskJson: { version: Record<string, unknown> }; extensionJson: { version: unknown } }) => void): Manifests {
  const copy = structuredClone(manifests) as Parameters<typeof change>[0];
  change(copy);
  return copy;
}

describe('the manifests of this checkout', () => {
  it('package.json, task.json and vss-extension.json carry the same version', () => {
    expect(versionProblems(manifests)).toEqual([]);
  });

  it('CHANGELOG.md has a non-empty section for that version', () => {
    const version = (manifests.packageJson as { version: string }).version;
    expect(changelogSection(readFileSync(`${ROOT}/CHANGELOG.md`, 'utf8'), version)).toMatch(/^### Added\n/);
  });
});

describe('versionProblems', () => {
  const v = (manifests.packageJson as { version: string }).version;
  it.each<[string, Manifests, string | undefined, string[]]>([
    ['task.json behind', altered((m) => { m.taskJson.version.Patch = 9; }), undefined,
      [`azure-devops/run-aks-job/task.json says ${v.replace(/\d+$/, '9')}, expected ${v}.`]],
    ['vss-extension.json ahead', altered((m) => { m.extensionJson.version = '9.0.0'; }), undefined,
      [`azure-devops/vss-extension.json says 9.0.0, expected ${v}.`]],
    ['package.json bumped alone', altered((m) => { m.packageJson.version = '9.9.9'; }), undefined,
      [`azure-devops/run-aks-job/task.json says ${v}, expected 9.9.9.`, `azure-devops/vss-extension.json says ${v}, expected 9.9.9.`]],
    ['task.json without Minor', altered((m) => { delete m.taskJson.version.Minor; }), undefined,
      ['azure-devops/run-aks-job/task.json has no version.']],
    ['all agree, but not with the tag', manifests, '2.0.0',
      [`package.json says ${v}, expected 2.0.0.`, `azure-devops/run-aks-job/task.json says ${v}, expected 2.0.0.`, `azure-devops/vss-extension.json says ${v}, expected 2.0.0.`]],
    ['all agree with the tag', manifests, v, []],
  ])('%s', (_, m, expected, problems) => {
    expect(versionProblems(m, expected)).toEqual(problems);
  });
});

describe('parseVersion', () => {
  it.each([['v1.2.3', '1.2.3'], ['1.2.3', '1.2.3'], [' v10.0.1 ', '10.0.1'], ['v01.2.3', '1.2.3']])('%j → %s', (input, version) => {
    expect(parseVersion(input)).toBe(version);
  });
  it.each(['v1.2', 'v1.2.3-rc.1', 'latest', ''])('rejects %j, naming it', (input) => {
    expect(() => parseVersion(input)).toThrow(`Version must look like 1.2.3 or v1.2.3 (a release tag); got '${input}'.`);
  });
});

const changelog = [
  '# Changelog',
  '',
  '## [Unreleased]',
  '',
  '### Added',
  '- next thing',
  '',
  '## [1.1.0] - 2026-12-20',
  '',
  '### Fixed',
  '- a bug',
  '',
  '### Added',
  '- a feature',
  '',
  '## [1.0.0] - 2026-12-07',
  '',
  '### Added',
  '- the first release',
  '',
  '## [0.9.0] - 2026-11-01',
  '',
  '[Unreleased]: https://example.com/compare/v1.1.0...HEAD',
  '[1.1.0]: https://example.com/releases/tag/v1.1.0',
].join('\n');

describe('changelogSection', () => {
  it.each([
    ['1.1.0', '### Fixed\n- a bug\n\n### Added\n- a feature'],
    ['1.0.0', '### Added\n- the first release'],
  ])('%s: the section up to the next heading', (version, body) => {
    expect(changelogSection(changelog, version)).toBe(body);
  });

  it('does not take 1.0.0 for 1.0.01 or 11.0.0', () => {
    expect(() => changelogSection('## [11.0.0]\n- x\n## [1.0.01]\n- y', '1.0.0')).toThrow("CHANGELOG.md has no section for 1.0.0: add '## [1.0.0] - YYYY-MM-DD' with what changed.");
  });

  it('an empty section (the last one, before the link definitions) is an error', () => {
    expect(() => changelogSection(changelog, '0.9.0')).toThrow("CHANGELOG.md's section for 0.9.0 is empty.");
  });
});

describe('pickVsix and releaseCommands', () => {
  it('finds the one .vsix of the version', () => {
    expect(pickVsix(['polysync.run-aks-job-1.0.0.vsix', 'polysync.run-aks-job-1.1.0.vsix', 'notes.txt'], '1.1.0')).toBe('polysync.run-aks-job-1.1.0.vsix');
    expect(() => pickVsix(['polysync.run-aks-job-1.0.0.vsix'], '1.1.0')).toThrow("Expected one azure-devops/out/*-1.1.0.vsix (run 'npm run package:azdo'); found none.");
  });

  it('creates the release with notes and the .vsix, then moves the major tag to the same commit', () => {
    expect(releaseCommands({ version: '1.4.2', sha: 'abc123', notesFile: '/tmp/notes.md', vsix: 'out/x-1.4.2.vsix' })).toEqual([
      ['gh', 'release', 'create', 'v1.4.2', 'out/x-1.4.2.vsix', '--title', 'v1.4.2', '--notes-file', '/tmp/notes.md', '--target', 'abc123'],
      ['git', 'tag', '--force', 'v1', 'abc123'],
      ['git', 'push', '--force', 'origin', 'refs/tags/v1'],
    ]);
  });
});

describe('the CLIs the workflow runs', () => {
  const run = (script: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [`scripts/release/${script}`, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GITHUB_OUTPUT: '' } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const version = (manifests.packageJson as { version: string }).version;

  it('check-versions.mjs accepts the tag of the current version and names every manifest that disagrees with another', () => {
    expect(run('check-versions.mjs', `v${version}`)).toEqual({ code: 0, out: `Versions agree: ${version}\n`, err: '' });
    const other = run('check-versions.mjs', '9.9.9');
    expect(other.code).toBe(1);
    expect(other.err).toBe([
      'Versions disagree:',
      `  package.json says ${version}, expected 9.9.9.`,
      `  azure-devops/run-aks-job/task.json says ${version}, expected 9.9.9.`,
      `  azure-devops/vss-extension.json says ${version}, expected 9.9.9.`,
      'Set the same version in all three before tagging.',
      '',
    ].join('\n'));
  });

  it('changelog-section.mjs prints the notes, or fails for a version without a section', () => {
    const notes = run('changelog-section.mjs', version);
    expect(notes.code).toBe(0);
    expect(notes.out).toBe(`${changelogSection(readFileSync(`${ROOT}/CHANGELOG.md`, 'utf8'), version)}\n`);
    expect(run('changelog-section.mjs', '0.0.1')).toMatchObject({ code: 1, out: '' });
  });
});
