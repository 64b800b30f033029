/**
 * Text the user reads about a run: the job summary (markdown), the failure message, progress
 * lines. Pure: everything arrives as data.
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { jobPath } from './errors.js';
import { durationSeconds, lastFailedContainer, lastFailedExitCode } from './outputs.js';
import type { RunSettings } from './settings.js';
import type { RunStatus } from './status.js';
import { timelineSection, type TimelineFormat } from './timeline.js';

/** What the summary and the failure message are made from (the run's last known state). */
export interface SummaryFacts {
  readonly settings: Pick<RunSettings, 'namespace' | 'source'>;
  readonly job: V1Job;
  readonly status: RunStatus;
  readonly reason: string | undefined;
  readonly pods: readonly V1Pod[];
  /** The last log lines seen, oldest first. */
  readonly lastLines: readonly string[];
  readonly monitorUrl: string | undefined;
  readonly runUrl: string | undefined;
  /** How the pods' timeline is drawn: a Mermaid gantt (GitHub) or a table (default: Azure DevOps). */
  readonly timeline?: TimelineFormat;
  /** The platform's word for the run `runUrl` links to (PlatformTerms.run); `workflow` when omitted. */
  readonly runTerm?: string;
}

/** Log lines in the summary's collapsed block and in the failure message. */
export const SUMMARY_LOG_LINES = 50;
export const MESSAGE_LOG_LINES = 20;

const ICON: Readonly<Record<RunStatus, string>> = {
  Success: '✅', Failed: '❌', Cancelled: '🚫', Queued: '🕒', Running: '⏳', Starting: '⏳', Unknown: '❔',
};

/** What a terminal reason means, for the failure message (Job conditions' documented reasons). */
const REASON_HINT: Readonly<Record<string, string>> = {
  BackoffLimitExceeded: 'its pods failed more often than spec.backoffLimit allows',
  DeadlineExceeded: 'it ran longer than spec.activeDeadlineSeconds (the source\'s, or the \'timeout\' input\'s)',
  PodFailurePolicy: 'a pod failure matched a FailJob rule of spec.podFailurePolicy',
  MaxFailedIndexesExceeded: 'more indexes failed than spec.maxFailedIndexes allows',
  FailedIndexes: 'some indexes failed (spec.backoffLimitPerIndex)',
};

/** `0s`, `45s`, `1m 5s`, `2h`, `1h 0m 3s`: largest unit first, no trailing zero units. */
export function formatDuration(seconds: number): string {
  const total = Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : 0;
  const parts: Array<[number, string]> = [[Math.floor(total / 3600), 'h'], [Math.floor((total % 3600) / 60), 'm'], [total % 60, 's']];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return '0s';
  let last = parts.length - 1;
  while (last > first && parts[last]?.[0] === 0) last--;
  return parts.slice(first, last + 1).map(([n, unit]) => `${n}${unit}`).join(' ');
}

/**
 * One progress line from a Job's status: `Pods: active 2, succeeded 3 of 10, failed 0`, plus the
 * completed (and failed) indexes of an Indexed Job, e.g. `; completed indexes 0-2,5`.
 */
export function progressLine(job: V1Job): string {
  const s = job.status ?? {};
  const completions = job.spec?.completions;
  const of = completions != null && completions > 1 ? ` of ${completions}` : '';
  let line = `Pods: active ${s.active ?? 0}, succeeded ${s.succeeded ?? 0}${of}, failed ${s.failed ?? 0}`;
  if (job.spec?.completionMode === 'Indexed') {
    line += `; completed indexes ${s.completedIndexes || 'none'}`;
    if (s.failedIndexes) line += `; failed indexes ${s.failedIndexes}`;
  }
  return line;
}

/** A markdown table cell: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A fenced code block no line can close early (fence longer than any backtick run inside). */
function fenced(lines: readonly string[]): string {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${lines.join('\n')}\n${fence}`;
}

function rows(f: SummaryFacts): Array<[string, string]> {
  const name = f.job.metadata?.name ?? '';
  const duration = durationSeconds(f.job);
  const exitCode = lastFailedExitCode(f.job, f.pods);
  const s = f.job.status ?? {};
  const link = f.monitorUrl !== undefined ? `[Azure portal](${f.monitorUrl})` : f.runUrl !== undefined ? `[${capitalised(f.runTerm ?? 'workflow')} run](${f.runUrl})` : undefined;
  const all: Array<[string, string | undefined]> = [
    ['Job', `\`${name}\``],
    ['Namespace', `\`${f.settings.namespace}\``],
    ['Source', `${f.settings.source.kind} \`${f.settings.source.name}\``],
    ['Status', `${ICON[f.status]} ${f.status}`],
    ['Reason', f.reason],
    ['Duration', duration === undefined ? undefined : formatDuration(duration)],
    ['Pods', `${s.succeeded ?? 0} succeeded, ${s.failed ?? 0} failed`],
    ['Exit code', exitCode === undefined ? undefined : String(exitCode)],
    ['Link', link],
  ];
  return all.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
}

/**
 * The job summary: a table of the run's facts, the pods' timeline when there was more than one pod,
 * and the last log lines in a collapsed block.
 */
export function renderSummary(f: SummaryFacts): string {
  const name = f.job.metadata?.name ?? '';
  const table = ['| | |', '|---|---|', ...rows(f).map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n');
  const lines = f.lastLines.slice(-SUMMARY_LOG_LINES);
  const logs = lines.length === 0
    ? ''
    : `\n\n<details><summary>Last ${lines.length} log line${lines.length === 1 ? '' : 's'}</summary>\n\n${fenced(lines)}\n\n</details>`;
  const timeline = timelineSection(f.job, f.pods, f.timeline ?? 'table');
  return `### ${ICON[f.status]} Job ${name}: ${f.status}\n\n${table}${timeline}${logs}\n`;
}

/**
 * The step's failure message: the Job, its status and reason (explained), the exit code, why the
 * action gave up (`why`, e.g. timeout) and the last log lines.
 */
export function failureMessage(f: SummaryFacts & { readonly why?: string | undefined }): string {
  const path = jobPath(f.settings.namespace, f.job.metadata?.name ?? '');
  const hint = f.reason === undefined ? undefined : REASON_HINT[f.reason];
  const reason = f.reason === undefined ? '' : ` (${f.reason}${hint === undefined ? '' : `: ${hint}`})`;
  const failed = lastFailedContainer(f.job, f.pods);
  const parts = [`Job ${path} ended ${f.status}${reason}.`];
  if (failed?.init) parts.push(`Last failed container (init container ${failed.container} of pod ${failed.pod}) exited with code ${failed.code}.`);
  else if (failed) parts.push(`Last failed container exited with code ${failed.code}.`);
  if (f.why !== undefined && f.why !== '') parts.push(f.why);
  const lines = f.lastLines.slice(-MESSAGE_LOG_LINES);
  const logs = lines.length > 0
    ? `Last ${lines.length} log line${lines.length === 1 ? '' : 's'}:\n${lines.map((l) => `  ${l}`).join('\n')}`
    : f.pods.length === 0
      ? `No pod was created; see the Job's events with kubectl describe job ${f.job.metadata?.name ?? ''} -n ${f.settings.namespace}.`
      : 'No log lines were captured; see the pods\' events with kubectl describe pod.';
  return `${parts.join(' ')}\n${logs}`;
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
