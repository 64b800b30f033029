/**
 * One runCommand returns a single text (stdout and stderr together, at most 512 kB). To read
 * several kubectl calls back from it unambiguously, each call's stdout, stderr and exit code are
 * printed between markers that carry a random nonce, fresh per command, so no line a container
 * logs can look like one. Pure: builds the shell text and parses the answer.
 */

/** A shell word: single-quoted, so nothing in it is expanded. */
export function sq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell prelude: `f TAG cmd args...` runs the command with stdout and stderr in files (so
 * they do not interleave) and prints them framed. `.o`/`.e` stay until the next call, so the
 * script can measure what it printed (`wc -c`).
 */
export function framePrelude(nonce: string): string {
  return [
    `N=${nonce}`,
    `f() { t="$1"; shift; "$@" >.o 2>.e; r=$?; printf '@@%s begin %s\\n' "$N" "$t"; cat .o; printf '\\n@@%s stderr\\n' "$N"; cat .e; printf '\\n@@%s end %s\\n' "$N" "$r"; }`,
  ].join('\n');
}

/** One framed call: its tag (`job`, `log <pod> <container> <limit>`...), output and exit code. */
export interface Frame {
  readonly tag: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Every complete frame in `logs`, in order; text outside frames (the pod's own noise) is ignored. */
export function parseFrames(logs: string, nonce: string): Frame[] {
  const m = `@@${nonce}`;
  const pattern = new RegExp(`${m} begin ([^\\n]*)\\n([\\s\\S]*?)\\n${m} stderr\\n([\\s\\S]*?)\\n${m} end (\\d+)\\n?`, 'g');
  const frames: Frame[] = [];
  for (const match of logs.matchAll(pattern)) {
    frames.push({ tag: match[1] ?? '', stdout: match[2] ?? '', stderr: match[3] ?? '', exitCode: Number(match[4]) });
  }
  return frames;
}
