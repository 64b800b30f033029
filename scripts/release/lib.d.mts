export const MANIFESTS: { readonly packageJson: string; readonly taskJson: string; readonly extensionJson: string };
export interface Manifests {
  packageJson: unknown;
  taskJson: unknown;
  extensionJson: unknown;
}
export function parseVersion(input: string | undefined): string;
export function readManifests(root: string): Manifests;
export function manifestVersions(manifests: Manifests): Record<string, string | undefined>;
export function versionProblems(manifests: Manifests, expected?: string): string[];
export function changelogSection(markdown: string, version: string): string;
export function pickVsix(files: readonly string[], version: string): string;
export function releaseCommands(options: { version: string; sha: string; notesFile: string; vsix: string }): string[][];
