/**
 * Where a container's log stream stopped, so a reopened stream prints neither a line twice nor
 * skips one. Kept by the kubelet's per-line timestamps (`timestamps=true`): a new follow request
 * starts at the current log file, so after log rotation counting lines would skip unseen ones.
 * The API's `sinceTime` has whole-second precision, so the reopened stream starts at the second
 * of the last line printed and the lines of that second already printed are skipped. Pure.
 */
import type { LogLine } from './ports.js';

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/**
 * A string that orders like the instant: UTC seconds plus nine fraction digits. The kubelet writes
 * RFC 3339 with a fixed nine-digit fraction; other servers trim zeros or use an offset.
 */
export function timeKey(time: string): string | undefined {
  const m = TIMESTAMP.exec(time);
  if (!m?.[1]) return undefined;
  let seconds = m[1];
  if (m[3] !== 'Z') {
    const ms = Date.parse(`${m[1]}${m[3]}`);
    if (Number.isNaN(ms)) return undefined;
    seconds = new Date(ms).toISOString().slice(0, 19);
  }
  return `${seconds}.${(m[2] ?? '').padEnd(9, '0')}`;
}

export class LogPosition {
  private key: string | undefined;
  /** Lines printed with exactly `key` (several lines can share a timestamp). */
  private atKey = 0;
  private printed = 0;

  /**
   * A filter for a newly opened stream: true for lines to print (and counts them), false for
   * lines an earlier stream of the same container already printed.
   */
  resume(): (line: LogLine) => boolean {
    const from = this.key;
    let skipAtKey = this.atKey;
    return (line) => {
      const key = timeKey(line.time);
      if (key !== undefined && from !== undefined) {
        if (key < from) return false;
        if (key === from && skipAtKey > 0) {
          skipAtKey--;
          return false;
        }
      }
      this.printed++;
      if (key === undefined) return true;
      if (key === this.key) this.atKey++;
      else if (this.key === undefined || key > this.key) {
        this.key = key;
        this.atKey = 1;
      }
      return true;
    };
  }

  /** `sinceTime` for the next request: the second of the last line printed. */
  sinceTime(): string | undefined {
    return this.key === undefined ? undefined : `${this.key.slice(0, 19)}Z`;
  }

  /** For messages: `after line 4 (2026-12-07T10:00:01.300000000Z)`, or `from its first line`. */
  describe(): string {
    return this.printed === 0 ? 'from its first line' : `after line ${this.printed}${this.key ? ` (${this.key}Z)` : ''}`;
  }
}
