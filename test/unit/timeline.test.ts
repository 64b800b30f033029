import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { renderSummary, type SummaryFacts } from '../../src/core/summary.js';
import { buildTimeline, mermaidText, timelineGantt, timelineSection, timelineTable } from '../../src/core/timeline.js';

const T0 = Date.parse('2026-01-02T03:04:00Z');
const at = (s: number): Date => new Date(T0 + s * 1000);
const ms = (s: number): number => T0 + s * 1000;

interface PodFixture {
  name: string;
  start: number;
  end?: number;
  phase: 'Succeeded' | 'Failed' | 'Running' | 'Pending';
  exitCode?: number;
  index?: number;
  /** The container's termination reason. */
  reason?: string;
}

function pod(p: PodFixture): V1Pod {
  const terminated = p.end === undefined
    ? undefined
    : { exitCode: p.exitCode ?? 0, startedAt: at(p.start), finishedAt: at(p.end), ...(p.reason === undefined ? {} : { reason: p.reason }) };
  return {
    metadata: {
      name: p.name,
      creationTimestamp: at(p.start - 1),
      ...(p.index === undefined ? {} : { annotations: { 'batch.kubernetes.io/job-completion-index': String(p.index) } }),
    },
    status: {
      phase: p.phase,
      ...(p.phase === 'Pending' ? {} : { startTime: at(p.start) }),
      containerStatuses: [{
        name: 'main', image: 'i', imageID: '', ready: false, restartCount: 0,
        state: terminated ? { terminated } : { running: { startedAt: at(p.start) } },
      }],
    },
  };
}

function job(extra: Partial<V1Job['status']> = {}): V1Job {
  return { metadata: { name: 'etl-x7k2p', creationTimestamp: at(0) }, spec: { template: {} }, status: { startTime: at(0), ...extra } };
}

const retried = [
  pod({ name: 'etl-x7k2p-aaaaa', start: 2, end: 7, phase: 'Failed', exitCode: 1 }),
  pod({ name: 'etl-x7k2p-bbbbb', start: 9, end: 14, phase: 'Failed', exitCode: 1 }),
  pod({ name: 'etl-x7k2p-ccccc', start: 16, end: 20, phase: 'Succeeded' }),
];

const indexed = [
  pod({ name: 'etl-x7k2p-0-aaaaa', index: 0, start: 30, end: 40, phase: 'Succeeded' }),
  pod({ name: 'etl-x7k2p-1-aaaaa', index: 1, start: 30, end: 33, phase: 'Failed', exitCode: 137, reason: 'OOMKilled' }),
  pod({ name: 'etl-x7k2p-1-bbbbb', index: 1, start: 35, end: 45, phase: 'Succeeded' }),
  pod({ name: 'etl-x7k2p-2-aaaaa', index: 2, start: 31, end: 32, phase: 'Failed', exitCode: 2 }),
  pod({ name: 'etl-x7k2p-2-bbbbb', index: 2, start: 34, phase: 'Running' }),
  pod({ name: 'etl-x7k2p-10-aaaaa', index: 10, start: 31, phase: 'Pending' }),
];
const indexedJob = job({
  conditions: [{ type: 'Suspended', status: 'False', reason: 'JobResumed', lastTransitionTime: at(29) }],
  completionTime: undefined,
});
// The last thing reported: index 1's second pod finished at +45s; running pods are drawn up to there.

describe('buildTimeline', () => {
  it('draws nothing for a single pod', () => {
    expect(buildTimeline(job(), [retried[2] as V1Pod])).toBeUndefined();
    expect(timelineSection(job(), [retried[2] as V1Pod], 'mermaid')).toBe('');
  });

  it('draws nothing for no pods', () => {
    expect(buildTimeline(job(), [])).toBeUndefined();
  });
});

describe('timelineGantt', () => {
  it('retries: the queue, then each attempt, failed ones crit', () => {
    expect(timelineGantt(buildTimeline(job(), retried)!)).toBe([
      '```mermaid',
      'gantt',
      '  dateFormat x',
      '  axisFormat %H:%M:%S',
      '  todayMarker off',
      '  section Job',
      `  Queued (waiting for the first pod) :done, ${ms(0)}, ${ms(2)}`,
      '  section Pods',
      `  etl-x7k2p-aaaaa (exit 1) :crit, ${ms(2)}, ${ms(7)}`,
      `  etl-x7k2p-bbbbb (exit 1) :crit, ${ms(9)}, ${ms(14)}`,
      `  etl-x7k2p-ccccc :${ms(16)}, ${ms(20)}`,
      '```',
    ].join('\n'));
  });

  it('indexed with failures: a section per index in numeric order, suspended queue, running pods up to the last report', () => {
    expect(timelineGantt(buildTimeline(indexedJob, indexed)!)).toBe([
      '```mermaid',
      'gantt',
      '  dateFormat x',
      '  axisFormat %H:%M:%S',
      '  todayMarker off',
      '  section Job',
      `  Queued (suspended, then waiting for the first pod) :done, ${ms(0)}, ${ms(30)}`,
      '  section Index 0',
      `  etl-x7k2p-0-aaaaa :${ms(30)}, ${ms(40)}`,
      '  section Index 1',
      `  etl-x7k2p-1-aaaaa (exit 137, OOMKilled) :crit, ${ms(30)}, ${ms(33)}`,
      `  etl-x7k2p-1-bbbbb :${ms(35)}, ${ms(45)}`,
      '  section Index 2',
      `  etl-x7k2p-2-aaaaa (exit 2) :crit, ${ms(31)}, ${ms(32)}`,
      `  etl-x7k2p-2-bbbbb (running) :active, ${ms(34)}, ${ms(45)}`,
      '  section Index 10',
      `  etl-x7k2p-10-aaaaa (pending) :active, ${ms(30)}, ${ms(45)}`,
      '```',
    ].join('\n'));
  });
});

describe('timelineTable', () => {
  it('indexed with failures: offsets from the Job\'s creation, durations, results', () => {
    expect(timelineTable(buildTimeline(indexedJob, indexed)!)).toBe([
      '| Pod | Index | Started | Took | Result |',
      '|---|---|---|---|---|',
      '| Queued |  | +0s | 30s | 🕓 suspended, then waiting for the first pod |',
      '| etl-x7k2p-0-aaaaa | 0 | +30s | 10s | ✅ succeeded |',
      '| etl-x7k2p-1-aaaaa | 1 | +30s | 3s | ❌ exit 137, OOMKilled |',
      '| etl-x7k2p-1-bbbbb | 1 | +35s | 10s | ✅ succeeded |',
      '| etl-x7k2p-2-aaaaa | 2 | +31s | 1s | ❌ exit 2 |',
      '| etl-x7k2p-2-bbbbb | 2 | +34s | 11s | ⏳ running |',
      '| etl-x7k2p-10-aaaaa | 10 | +30s | 15s | ⏳ pending |',
    ].join('\n'));
  });
});

describe('pods that ended without a container finishing', () => {
  it('an evicted pod ends at its last condition change, not at the end of the run', () => {
    const evicted: V1Pod = {
      metadata: { name: 'etl-x7k2p-ddddd', creationTimestamp: at(1) },
      status: { phase: 'Failed', reason: 'Evicted', startTime: at(2), conditions: [{ type: 'DisruptionTarget', status: 'True', lastTransitionTime: at(4) }] },
    };
    const later = pod({ name: 'etl-x7k2p-eeeee', start: 6, end: 30, phase: 'Succeeded' });
    expect(timelineTable(buildTimeline(job(), [evicted, later])!)).toBe([
      '| Pod | Index | Started | Took | Result |',
      '|---|---|---|---|---|',
      '| Queued |  | +0s | 2s | 🕓 waiting for the first pod |',
      '| etl-x7k2p-ddddd |  | +2s | 2s | ❌ Evicted |',
      '| etl-x7k2p-eeeee |  | +6s | 24s | ✅ succeeded |',
    ].join('\n'));
  });
});

describe('mermaidText', () => {
  it.each([
    ['etl-x7k2p-aaaaa', 'etl-x7k2p-aaaaa'],
    ['a:b;c#d', 'a#58;b#59;c#35;d'],
    ['#58;', '#35;58#59;'],
    ['two\nlines', 'two lines'],
  ])('%j → %j', (text, escaped) => {
    expect(mermaidText(text)).toBe(escaped);
  });
});

describe('500 pods', () => {
  // completions 500, parallelism 50: wave w (indexes 50w..50w+49) runs from 10+60w s to 60+60w s;
  // index 7 failed once in the first wave and succeeded in a retry during the second.
  const wide = Array.from({ length: 500 }, (_, i) => {
    const w = Math.floor(i / 50);
    return pod({ name: `wide-${i}-a`, index: i, start: 10 + 60 * w, end: 60 + 60 * w, phase: 'Succeeded' });
  });
  wide[7] = pod({ name: 'wide-7-a', index: 7, start: 10, end: 20, phase: 'Failed', exitCode: 1 });
  wide.push(pod({ name: 'wide-7-b', index: 7, start: 70, end: 115, phase: 'Succeeded' }));
  const wideJob = job({ succeeded: 500, failed: 1, completionTime: at(600) });

  it('is summarised: one bar per 25 consecutive indexes, and a line of counts', () => {
    const groups = Array.from({ length: 20 }, (_, g) => {
      const w = Math.floor((25 * g) / 50);
      const label = `Indexes ${25 * g}–${25 * g + 24}`;
      return g === 0
        ? `  ${label} (26 pods, 1 failed) :crit, ${ms(10)}, ${ms(115)}`
        : `  ${label} (25 pods) :${ms(10 + 60 * w)}, ${ms(60 + 60 * w)}`;
    });
    expect(timelineGantt(buildTimeline(wideJob, wide)!)).toBe([
      '```mermaid',
      'gantt',
      '  dateFormat x',
      '  axisFormat %H:%M:%S',
      '  todayMarker off',
      '  section Job',
      `  Queued (waiting for the first pod) :done, ${ms(0)}, ${ms(10)}`,
      '  section Indexes',
      ...groups,
      '```',
      '',
      '501 pods: 500 succeeded, 1 failed, 0 running; drawn as 20 groups (more than 40 pods).',
    ].join('\n'));
  });

  it('stays far below Mermaid\'s 50 000 characters and the summary\'s 1 MiB', () => {
    const section = timelineSection(wideJob, wide, 'mermaid');
    expect(section.length).toBeLessThan(5_000);
    const facts: SummaryFacts = {
      settings: { namespace: 'data', source: { kind: 'Job', name: 'wide' } },
      job: wideJob, status: 'Success', reason: undefined, pods: wide, lastLines: [], monitorUrl: undefined, runUrl: undefined, timeline: 'mermaid',
    };
    const summary = renderSummary(facts);
    expect(summary).toContain(section);
    expect(Buffer.byteLength(summary)).toBeLessThan(10_000);
  });

  it('non-indexed pods are grouped in start order', () => {
    const pods = Array.from({ length: 45 }, (_, i) => pod({ name: `p-${i}`, start: 10 + i, end: 20 + i, phase: 'Succeeded' }));
    const t = buildTimeline(job(), pods)!;
    expect(t.bars.map((b) => `${b.section}: ${b.label} (${b.detail})`)).toEqual([
      'Job: Queued (waiting for the first pod)',
      ...Array.from({ length: 15 }, (_, g) => `Pods (in start order): Pods ${3 * g + 1}–${3 * g + 3} (3 pods)`),
    ]);
    expect(t.counts).toBe('45 pods: 45 succeeded, 0 failed, 0 running; drawn as 15 groups (more than 40 pods).');
  });
});

describe('renderSummary with a timeline', () => {
  const facts: SummaryFacts = {
    settings: { namespace: 'data', source: { kind: 'CronJob', name: 'etl' } },
    job: { ...job({ succeeded: 1, failed: 2, completionTime: at(20) }) },
    status: 'Success', reason: undefined, pods: retried, lastLines: ['done'], monitorUrl: undefined, runUrl: undefined,
  };

  it('GitHub: the gantt block between the facts and the log lines', () => {
    const summary = renderSummary({ ...facts, timeline: 'mermaid' });
    expect(summary).toContain(`| Exit code | 1 |\n\n#### Timeline\n\n\`\`\`mermaid\ngantt\n`);
    expect(summary).toContain(`  etl-x7k2p-ccccc :${ms(16)}, ${ms(20)}\n\`\`\`\n\n<details><summary>Last 1 log line</summary>`);
  });

  it('Azure DevOps (default): the same bars as a table', () => {
    expect(renderSummary(facts)).toBe([
      '### ✅ Job etl-x7k2p: Success',
      '',
      '| | |',
      '|---|---|',
      '| Job | `etl-x7k2p` |',
      '| Namespace | `data` |',
      '| Source | CronJob `etl` |',
      '| Status | ✅ Success |',
      '| Duration | 20s |',
      '| Pods | 1 succeeded, 2 failed |',
      '| Exit code | 1 |',
      '',
      '#### Timeline',
      '',
      '| Pod | Index | Started | Took | Result |',
      '|---|---|---|---|---|',
      '| Queued |  | +0s | 2s | 🕓 waiting for the first pod |',
      '| etl-x7k2p-aaaaa |  | +2s | 5s | ❌ exit 1 |',
      '| etl-x7k2p-bbbbb |  | +9s | 5s | ❌ exit 1 |',
      '| etl-x7k2p-ccccc |  | +16s | 4s | ✅ succeeded |',
      '',
      '<details><summary>Last 1 log line</summary>',
      '',
      '```text',
      'done',
      '```',
      '',
      '</details>',
      '',
    ].join('\n'));
  });
});
