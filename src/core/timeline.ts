/**
 * The pods of a run on a time axis, for the job summary: a Mermaid `gantt` block where the summary
 * renders Mermaid (GitHub does, in ```mermaid fences), the same facts as a markdown table where it
 * does not (Azure DevOps summary attachments). Pure: the Job and its pods arrive as data.
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';

/** Set by the Job controller on every pod of an Indexed Job (kubernetes.io/docs/reference/labels-annotations-taints). */
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** Up to this many pods get one bar each; more are drawn as groups (Mermaid stops at 50 000 characters). */
export const MAX_POD_BARS = 40;
/** How many bars a summarised timeline draws. */
export const SUMMARY_GROUPS = 20;

export type TimelineFormat = 'mermaid' | 'table';
type Outcome = 'succeeded' | 'failed' | 'running' | 'queued';

/** One bar: a pod, a group of pods, or the Job's wait for its first pod. Times in ms since the epoch. */
export interface TimelineBar {
  readonly section: string;
  readonly label: string;
  readonly index: string | undefined;
  readonly start: number;
  readonly end: number;
  readonly outcome: Outcome;
  readonly detail: string;
}

export interface Timeline {
  /** Where offsets in the table count from: the Job's creation (or the first pod's start). */
  readonly origin: number;
  readonly bars: readonly TimelineBar[];
  /** A line of counts when the pods were summarised in groups. */
  readonly counts: string | undefined;
}

interface PodSpan {
  readonly name: string;
  readonly index: string | undefined;
  readonly start: number;
  readonly end: number;
  readonly outcome: Exclude<Outcome, 'queued'>;
  readonly detail: string;
}

function millis(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = (value instanceof Date ? value : new Date(value)).getTime();
  return Number.isNaN(t) ? undefined : t;
}

/** The latest of some times, in ms; undefined when none is set. */
function latest(values: ReadonlyArray<Date | string | undefined>): number | undefined {
  const times = values.map(millis).filter((t): t is number => t !== undefined);
  return times.length === 0 ? undefined : Math.max(...times);
}

/** The latest time anything in the Job or its pods reports: the end of pods still running. */
function lastSeen(job: V1Job, pods: readonly V1Pod[]): number {
  const times: Array<Date | string | undefined> = [job.metadata?.creationTimestamp, job.status?.startTime, job.status?.completionTime];
  for (const c of job.status?.conditions ?? []) times.push(c.lastTransitionTime, c.lastProbeTime);
  for (const pod of pods) {
    times.push(pod.metadata?.creationTimestamp, pod.status?.startTime);
    for (const c of pod.status?.conditions ?? []) times.push(c.lastTransitionTime);
    for (const s of pod.status?.containerStatuses ?? []) times.push(s.state?.running?.startedAt, s.state?.terminated?.startedAt, s.state?.terminated?.finishedAt);
  }
  return latest(times) ?? 0;
}

function span(pod: V1Pod, end: number): PodSpan | undefined {
  const start = millis(pod.status?.startTime ?? pod.metadata?.creationTimestamp);
  if (start === undefined) return undefined;
  const terminated = (pod.status?.containerStatuses ?? []).flatMap((s) => (s.state?.terminated ? [s.state.terminated] : []));
  const finished = latest(terminated.map((t) => t.finishedAt));
  const phase = pod.status?.phase;
  const outcome = phase === 'Succeeded' ? 'succeeded' : phase === 'Failed' ? 'failed' : 'running';
  const exit = terminated.find((t) => t.exitCode !== 0);
  const detail = outcome === 'failed'
    ? [exit ? `exit ${exit.exitCode}` : undefined, pod.status?.reason ?? exit?.reason].filter(Boolean).join(', ') || 'failed'
    : outcome === 'running' ? (phase === 'Pending' ? 'pending' : 'running') : 'succeeded';
  // A pod that ended without a container finishing (evicted or deleted before it ran) ends at
  // its last condition change, not at the end of the run.
  const changed = latest((pod.status?.conditions ?? []).map((c) => c.lastTransitionTime));
  const stop = outcome === 'running' ? end : finished ?? changed ?? start;
  const index = pod.metadata?.annotations?.[COMPLETION_INDEX] ?? pod.metadata?.labels?.[COMPLETION_INDEX];
  return { name: pod.metadata?.name ?? '?', index, start, end: Math.max(start, stop), outcome, detail };
}

const byIndexThenStart = (a: PodSpan, b: PodSpan): number =>
  Number(a.index ?? 0) - Number(b.index ?? 0) || a.start - b.start || a.name.localeCompare(b.name);

/** The queue: from the Job's creation to its first pod's start (a suspended Job waits here too). */
function queuedBar(job: V1Job, spans: readonly PodSpan[]): TimelineBar | undefined {
  const created = millis(job.metadata?.creationTimestamp);
  const first = Math.min(...spans.map((s) => s.start));
  if (created === undefined || !(first > created)) return undefined;
  const suspended = (job.status?.conditions ?? []).some((c) => c.type === 'Suspended');
  return { section: 'Job', label: 'Queued', index: undefined, start: created, end: first, outcome: 'queued', detail: suspended ? 'suspended, then waiting for the first pod' : 'waiting for the first pod' };
}

function groupOutcome(spans: readonly PodSpan[]): PodSpan['outcome'] {
  if (spans.some((s) => s.outcome === 'failed')) return 'failed';
  return spans.some((s) => s.outcome === 'running') ? 'running' : 'succeeded';
}

/** Consecutive indexes (all attempts of an index together), or pods in start order, in SUMMARY_GROUPS groups. */
function groupBars(spans: readonly PodSpan[], indexed: boolean): TimelineBar[] {
  const keys = indexed ? [...new Set(spans.map((s) => s.index ?? '?'))] : spans.map((_, i) => String(i + 1));
  const size = Math.ceil(keys.length / SUMMARY_GROUPS);
  const bars: TimelineBar[] = [];
  for (let i = 0; i < keys.length; i += size) {
    const chunk = new Set(keys.slice(i, i + size));
    const members = indexed ? spans.filter((s) => chunk.has(s.index ?? '?')) : spans.slice(i, i + size);
    const first = keys[i] ?? '';
    const last = keys[Math.min(i + size, keys.length) - 1] ?? '';
    const range = first === last ? first : `${first}–${last}`;
    const failed = members.filter((s) => s.outcome === 'failed').length;
    bars.push({
      section: indexed ? 'Indexes' : 'Pods (in start order)',
      label: indexed ? `Indexes ${range}` : `Pods ${range}`,
      index: indexed ? range : undefined,
      start: Math.min(...members.map((s) => s.start)),
      end: Math.max(...members.map((s) => s.end)),
      outcome: groupOutcome(members),
      detail: `${members.length} pod${members.length === 1 ? '' : 's'}${failed > 0 ? `, ${failed} failed` : ''}`,
    });
  }
  return bars;
}

/**
 * The Job's pods as bars: one per pod (section per completion index when there is one) or, beyond
 * MAX_POD_BARS pods, one per group. undefined when the Job ran at most one pod: nothing to compare.
 * Pods still running end at the last time the Job or a pod reported (`now` when given).
 */
export function buildTimeline(job: V1Job, pods: readonly V1Pod[], now?: number): Timeline | undefined {
  const end = now ?? lastSeen(job, pods);
  const spans = pods.map((p) => span(p, end)).filter((s): s is PodSpan => s !== undefined).sort(byIndexThenStart);
  if (spans.length <= 1) return undefined;
  const indexed = spans.some((s) => s.index !== undefined);
  const queued = queuedBar(job, spans);
  const origin = queued?.start ?? Math.min(...spans.map((s) => s.start));
  const head = queued ? [queued] : [];
  if (spans.length <= MAX_POD_BARS) {
    const bars = spans.map(({ name, ...s }): TimelineBar => ({ section: indexed ? `Index ${s.index ?? '?'}` : 'Pods', label: name, ...s }));
    return { origin, bars: [...head, ...bars], counts: undefined };
  }
  const bars = groupBars(spans, indexed);
  const count = (o: PodSpan['outcome']): number => spans.filter((s) => s.outcome === o).length;
  const counts = `${spans.length} pods: ${count('succeeded')} succeeded, ${count('failed')} failed, ${count('running')} running; ` +
    `drawn as ${bars.length} groups (more than ${MAX_POD_BARS} pods).`;
  return { origin, bars: [...head, ...bars], counts };
}

const ENTITY: Readonly<Record<string, string>> = { '#': '#35;', ':': '#58;', ';': '#59;' };

/**
 * Text Mermaid shows as is: `#`, `:` and `;` would end a gantt task's name or data, so they become
 * Mermaid entity codes (`#58;`, decoded after parsing: mermaid-js docs, "Entity codes to escape characters").
 */
export function mermaidText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[#:;]/g, (c) => ENTITY[c] ?? c);
}

const TAG: Readonly<Record<Outcome, string>> = { succeeded: '', failed: 'crit, ', running: 'active, ', queued: 'done, ' };

/** A ```mermaid gantt block: wall-clock axis, failed attempts `crit`, running ones `active`, the queue `done`. */
export function timelineGantt(t: Timeline): string {
  const lines = ['```mermaid', 'gantt', '  dateFormat x', '  axisFormat %H:%M:%S', '  todayMarker off'];
  let section: string | undefined;
  for (const bar of t.bars) {
    if (bar.section !== section) lines.push(`  section ${mermaidText(bar.section)}`);
    section = bar.section;
    const label = bar.detail === 'succeeded' ? bar.label : `${bar.label} (${bar.detail})`;
    lines.push(`  ${mermaidText(label)} :${TAG[bar.outcome]}${bar.start}, ${bar.end}`);
  }
  lines.push('```');
  return t.counts === undefined ? lines.join('\n') : `${lines.join('\n')}\n\n${t.counts}`;
}

const RESULT: Readonly<Record<Outcome, string>> = { succeeded: '✅', failed: '❌', running: '⏳', queued: '🕓' };

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

/** The same bars as a markdown table: start as an offset from the Job's creation, and how long each ran. */
export function timelineTable(t: Timeline): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const rows = t.bars.map((b) => `| ${cell(b.label)} | ${cell(b.index ?? '')} | +${seconds(b.start - t.origin)} | ${seconds(b.end - b.start)} | ${RESULT[b.outcome]} ${cell(b.detail)} |`);
  const table = ['| Pod | Index | Started | Took | Result |', '|---|---|---|---|---|', ...rows].join('\n');
  return t.counts === undefined ? table : `${table}\n\n${t.counts}`;
}

/** The summary's timeline section, or '' when the Job ran at most one pod. */
export function timelineSection(job: V1Job, pods: readonly V1Pod[], format: TimelineFormat): string {
  const t = buildTimeline(job, pods);
  if (t === undefined) return '';
  return `\n\n#### Timeline\n\n${format === 'mermaid' ? timelineGantt(t) : timelineTable(t)}`;
}
