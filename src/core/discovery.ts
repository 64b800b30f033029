/**
 * Seed 000/001 "Job discovery": each source Job and CronJob with its parameter list, the names and
 * current defaults of the app container's env (core/app-container.ts). Pure mapping and rendering; listing (paged) and the
 * choice of which Jobs are sources live in src/run/discover.ts.
 */
import type { V1CronJob, V1EnvVar, V1Job, V1JobSpec } from '@kubernetes/client-node';
import { chooseAppContainer } from './app-container.js';
import type { SourceKind } from './settings.js';

/** One parameter of a source: an env var of the app container. */
export interface DiscoveredParam {
  readonly name: string;
  /** The env value, or a description of its valueFrom such as `<from secret db/password>`. */
  readonly default: string;
}

/** One row of the `jobs` output and of the summary table. */
export interface DiscoveryEntry {
  readonly kind: SourceKind;
  readonly name: string;
  readonly namespace: string;
  /** spec.suspend of a Job (template Jobs) or a CronJob; omitted when unset. */
  readonly suspended?: boolean;
  /** A CronJob's schedule. */
  readonly schedule?: string;
  readonly params: readonly DiscoveredParam[];
}

/**
 * What an env entry holds. A valueFrom is described, never resolved: the action must not read
 * Secrets, and the value is only known inside the pod anyway.
 */
export function describeEnvValue(env: V1EnvVar): string {
  const from = env.valueFrom;
  if (from === undefined) return env.value ?? '';
  if (from.secretKeyRef) return `<from secret ${from.secretKeyRef.name ?? ''}/${from.secretKeyRef.key}>`;
  if (from.configMapKeyRef) return `<from configmap ${from.configMapKeyRef.name ?? ''}/${from.configMapKeyRef.key}>`;
  if (from.fieldRef) return `<from field ${from.fieldRef.fieldPath}>`;
  if (from.resourceFieldRef) {
    const container = from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : '';
    return `<from resource ${container}${from.resourceFieldRef.resource}>`;
  }
  if (from.fileKeyRef) return `<from file ${from.fileKeyRef.volumeName}/${from.fileKeyRef.path}:${from.fileKeyRef.key}>`;
  return '<from valueFrom>';
}

/** The app container's env (core/app-container.ts: annotation, first non-sidecar, container[0]). */
function paramsOf(spec: V1JobSpec | undefined): DiscoveredParam[] {
  const app = chooseAppContainer(spec?.template, undefined, '');
  const env = spec?.template.spec?.containers[app?.index ?? 0]?.env ?? [];
  return env.map((e) => ({ name: e.name, default: describeEnvValue(e) }));
}

/** A Job as a discovery entry (its app container's env as parameters). */
export function discoverJob(job: V1Job): DiscoveryEntry {
  return {
    kind: 'Job',
    name: job.metadata?.name ?? '',
    namespace: job.metadata?.namespace ?? '',
    ...(job.spec?.suspend != null ? { suspended: job.spec.suspend } : {}),
    params: paramsOf(job.spec),
  };
}

/** A CronJob as a discovery entry (spec.jobTemplate.spec...containers[0].env, seed 001). */
export function discoverCronJob(cronJob: V1CronJob): DiscoveryEntry {
  return {
    kind: 'CronJob',
    name: cronJob.metadata?.name ?? '',
    namespace: cronJob.metadata?.namespace ?? '',
    suspended: cronJob.spec?.suspend ?? false,
    ...(cronJob.spec?.schedule !== undefined ? { schedule: cronJob.spec.schedule } : {}),
    params: paramsOf(cronJob.spec?.jobTemplate.spec),
  };
}

/** Entries for Jobs then CronJobs, each sorted by name (the API lists in key order already). */
export function discoveryEntries(jobs: readonly V1Job[], cronJobs: readonly V1CronJob[]): DiscoveryEntry[] {
  const byName = (a: DiscoveryEntry, b: DiscoveryEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...jobs.map(discoverJob).sort(byName), ...cronJobs.map(discoverCronJob).sort(byName)];
}

/** Inline code that survives any content: backticks in the value get a longer delimiter. */
function code(text: string): string {
  if (text === '') return '`""`';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const tick = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${text}${pad}${tick}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * A markdown table: Kind, Name, Schedule, Suspended, Parameters (`NAME` = `default`, one per
 * line). An empty list renders a sentence instead of an empty table.
 */
export function renderDiscoveryTable(entries: readonly DiscoveryEntry[], namespace: string): string {
  if (entries.length === 0) return `No Jobs or CronJobs in namespace \`${namespace}\`.\n`;
  const head = ['| Kind | Name | Schedule | Suspended | Parameters |', '|---|---|---|---|---|'];
  const body = entries.map((e) => {
    const params = e.params.length === 0 ? '(none)' : e.params.map((p) => `${code(p.name)} = ${code(p.default)}`).join('<br>');
    const suspended = e.suspended === undefined ? '' : e.suspended ? 'yes' : 'no';
    return `| ${e.kind} | ${code(e.name)} | ${e.schedule === undefined ? '' : code(e.schedule)} | ${suspended} | ${cell(params)} |`;
  });
  return `${[`${entries.length} source${entries.length === 1 ? '' : 's'} in namespace \`${namespace}\`:`, '', ...head, ...body].join('\n')}\n`;
}
