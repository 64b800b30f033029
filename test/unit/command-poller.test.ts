/**
 * The poller's chaining against a scripted cluster: each command's script is read for what it asks
 * (nonce, wait, each container's --since-time) and answered as kubectl would, with a small byte
 * limit per answer, so one container's log takes several batches.
 */
import { describe, expect, it } from 'vitest';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { ClusterCommandRunner, CommandResult } from '../../src/core/cluster-commands.js';
import type { Clock, JobWatchEvent, LogLine } from '../../src/core/ports.js';
import { CommandPoller } from '../../src/kubernetes/command-poller.js';

const clock: Clock = { now: () => 0, sleep: () => Promise.resolve() };

/** 40 lines, 4 per second, from 10:00:00. */
const LINES = Array.from({ length: 40 }, (_, i) => ({
  time: `2026-12-08T10:00:${String(Math.floor(i / 4)).padStart(2, '0')}.${String((i % 4) * 2).padStart(1, '0')}00000000Z`,
  text: `line ${i + 1}`,
}));

function frame(nonce: string, tag: string, stdout: string, exitCode = 0, stderr = ''): string {
  return `@@${nonce} begin ${tag}\n${stdout}\n@@${nonce} stderr\n${stderr}\n@@${nonce} end ${exitCode}\n`;
}

class ScriptedCluster implements ClusterCommandRunner {
  readonly waits: number[] = [];
  readonly sinceTimes: (string | undefined)[] = [];
  batches = 0;
  /** After this many batches the container has terminated and the Job is Complete. */
  constructor(private readonly finishAfter: number, private readonly limitBytes: number, private readonly lines = LINES) {}

  run(script: string): Promise<CommandResult> {
    this.batches++;
    const nonce = /^N=(\w+)$/m.exec(script)?.[1] ?? '';
    this.waits.push(Number(/\+ (\d+) \)\)/.exec(script)?.[1] ?? 0));
    const cursor = /echo '(\S+) (\S+) (\S+) (\d+)' >>since.txt/.exec(script);
    const since = cursor?.[3] === '-' ? undefined : cursor?.[3];
    this.sinceTimes.push(since);
    const done = this.batches > this.finishAfter;
    const job: V1Job = {
      metadata: { name: 'j', uid: 'u', resourceVersion: done ? '2' : '1' },
      status: done ? { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } : { active: 1 },
    };
    const pod: V1Pod = {
      metadata: { name: 'j-p', resourceVersion: done ? '2' : '1' },
      status: { phase: done ? 'Succeeded' : 'Running', containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: !done, restartCount: 0, containerID: 'c1', state: done ? { terminated: { exitCode: 0 } } : { running: {} } }] },
    };
    // Lines written so far: all of them once the container ended, else half.
    const written = done ? this.lines : this.lines.slice(0, this.lines.length / 2);
    const from = since === undefined ? written : written.filter((l) => l.time.slice(0, 19) >= since.slice(0, 19));
    const text = from.map((l) => `${l.time} ${l.text}\n`).join('');
    // The share the poller asked for (raised after a stall), else the batch's even share.
    const limit = Number(cursor?.[4] ?? 0) > 0 ? Number(cursor?.[4]) : this.limitBytes;
    const logs = [
      frame(nonce, 'job j', JSON.stringify(job)),
      frame(nonce, 'events j', JSON.stringify({ items: [] })),
      frame(nonce, 'pods u', JSON.stringify({ items: [pod] })),
      frame(nonce, `log j-p main ${limit}`, Buffer.from(text).subarray(0, limit).toString()),
    ].join('');
    return Promise.resolve({ exitCode: 0, logs });
  }
}

async function follow(runner: ScriptedCluster, budgetBytes: number) {
  const warnings: string[] = [];
  const poller = new CommandPoller({
    runner, clock, namespace: 'ns', waits: [0, 10, 80], tickSeconds: 5, budgetBytes,
    log: { debug: () => undefined, warning: (m) => warnings.push(m) }, onCommand: () => undefined,
  });
  const stop = new AbortController();
  const printed: LogLine[] = [];
  const jobs = (async () => {
    for await (const e of poller.watchJob('j', stop.signal)) if (e.job?.status?.succeeded) return;
  })();
  const pods = (async () => {
    for await (const e of poller.watchPods('u', stop.signal)) if (e.pod.status?.phase === 'Running') break;
    await poller.followLog('j-p', 'main', (line) => printed.push(line), stop.signal);
  })();
  await jobs;
  await pods;
  stop.abort();
  return { printed: printed.map((l) => l.text), warnings };
}

/** 40 lines within one second. */
const BURST = LINES.map((l, i) => ({ time: `2026-12-08T10:00:00.${String(i).padStart(2, '0')}0000000Z`, text: l.text }));

describe('CommandPoller', () => {
  it('widens the share of a container whose one second of lines fills it, until they pass', async () => {
    const { printed, warnings } = await follow(new ScriptedCluster(2, 200, BURST), 4000);
    expect(printed).toEqual(BURST.map((l) => l.text));
    expect(warnings).toEqual([]);
  });

  it('moves on to the next second, and says so, when one second holds more than a whole batch', async () => {
    const lines = [...BURST, { time: '2026-12-08T10:00:01.000000000Z', text: 'next second' }];
    const { printed, warnings } = await follow(new ScriptedCluster(2, 200, lines), 1000);
    // What fits of 10:00:00 is printed once; 10:00:01 is read after the warning.
    expect(printed.at(-1)).toBe('next second');
    expect(new Set(printed).size).toBe(printed.length);
    expect(printed.length).toBeLessThan(lines.length);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^The log of j-p\/main wrote more than \d+ kB within the second 2026-12-08T10:00:00Z, .*printing goes on from 2026-12-08T10:00:01Z/);
  });

  it('chains batches until every line is printed once, in order, and passes the end on only after the last line', async () => {
    const runner = new ScriptedCluster(2, 200);
    const warnings: string[] = [];
    const poller = new CommandPoller({
      runner, clock, namespace: 'ns', waits: [0, 10, 80], tickSeconds: 5, budgetBytes: 4000,
      log: { debug: () => undefined, warning: (m) => warnings.push(m) }, onCommand: () => undefined,
    });
    const stop = new AbortController();
    const seen: string[] = [];
    const events: JobWatchEvent[] = [];
    const printed: LogLine[] = [];
    const jobs = (async () => {
      for await (const e of poller.watchJob('j', stop.signal)) {
        events.push(e);
        seen.push(`job ${e.job?.metadata?.resourceVersion ?? '-'} after ${printed.length} lines`);
        if (e.job?.status?.succeeded) return;
      }
    })();
    const pods = (async () => {
      for await (const e of poller.watchPods('u', stop.signal)) {
        if (e.pod.status?.phase === 'Running') break;
      }
      await poller.followLog('j-p', 'main', (line) => printed.push(line), stop.signal);
    })();
    await jobs;
    await pods;
    stop.abort();
    expect(printed.map((l) => l.text)).toEqual(LINES.map((l) => l.text));
    expect(seen).toEqual(['job 1 after 0 lines', 'job 2 after 40 lines']);
    // First at once; a cut answer is followed at once (wait 0); once caught up, the batch waits in the cluster.
    expect(runner.waits[0]).toBe(0);
    expect(runner.waits.filter((w) => w === 0).length).toBeGreaterThan(3);
    expect(runner.waits.some((w) => w > 0)).toBe(true);
    // Resumed from the second of the last printed line, never from the start again.
    expect(runner.sinceTimes.filter((s) => s !== undefined).length).toBe(runner.batches - 1);
    expect(warnings).toEqual([]);
  });

  it('gives up at once when runCommand cannot work (disabled on the cluster), and retries what may pass', async () => {
    const make = (kind: string) => {
      let calls = 0;
      const runner: ClusterCommandRunner = {
        run: () => {
          calls++;
          return Promise.reject(Object.assign(new Error(`runCommand failed: ${kind}`), { kind }));
        },
      };
      const poller = new CommandPoller({
        runner, clock, namespace: 'ns', waits: [0], tickSeconds: 1, budgetBytes: 4000,
        log: { debug: () => undefined, warning: () => undefined }, onCommand: () => undefined,
      });
      return { poller, calls: () => calls };
    };
    const drain = async (poller: CommandPoller): Promise<string> => {
      try {
        for await (const _ of poller.watchJob('j', new AbortController().signal)) { /* none */ }
        return 'ended';
      } catch (err) {
        return (err as Error).message;
      }
    };
    const disabled = make('disabled');
    expect(await drain(disabled.poller)).toBe('runCommand failed: disabled');
    expect(disabled.calls()).toBe(1);
    const unavailable = make('unavailable');
    expect(await drain(unavailable.poller)).toBe('runCommand failed: unavailable');
    expect(unavailable.calls()).toBe(4);
  });
});
