/**
 * The Job as YAML, for the dry-run preview. A module of its own so run-job.ts can load it (and the
 * yaml library) only for a dry run: importing the CommonJS library itself lazily would leave the
 * bundle with its default export only.
 */
import { stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value);
}
