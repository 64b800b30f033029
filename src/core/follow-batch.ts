/**
 * Following a Job through runCommand without one long command: each command (a "batch") waits,
 * inside the cluster, up to a bounded time for the Job to end, then prints the Job, its pods, its
 * events and every container's new log lines, within the 512 kB runCommand output cap. The
 * poller (src/kubernetes/command-poller.ts) chains batches until the Job ends. Pure: the script
 * text, and the reading of its log frames.
 */
import { framePrelude, sq } from './command-frames.js';
import type { LogLine } from './ports.js';

/** Where one container's log continues: kubectl's `--since-time` and, when raised, its own byte limit. */
export interface LogCursor {
  readonly pod: string;
  readonly container: string;
  readonly sinceTime: string | undefined;
  /** 0: an even share of the batch's log budget. */
  readonly limitBytes: number;
}

export interface BatchRequest {
  readonly nonce: string;
  readonly namespace: string;
  /** Names of the Jobs followed (usually one). */
  readonly jobs: readonly string[];
  /** Uids whose pods are listed (label batch.kubernetes.io/controller-uid). */
  readonly podUids: readonly string[];
  /** How long the batch waits in the cluster for a Job to end before it reports (0: at once). */
  readonly waitSeconds: number;
  /** How often, while it waits, it looks at the Jobs' conditions (an in-cluster read). */
  readonly tickSeconds: number;
  /** Bytes the whole output may take: the runCommand cap less a margin for frames and noise. */
  readonly budgetBytes: number;
  readonly cursors: readonly LogCursor[];
}

/** Below this a container's share is not worth a request: it waits for the next batch. */
export const MIN_LOG_BYTES = 1024;

const CONTAINERS_JSONPATH =
  '{range .items[*]}{.metadata.name}{" "}{range .spec.initContainers[*]}{.name}{" "}{end}{range .spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}';

/** The `sh -c` text of one batch; its answer is read with parseFrames. `since.txt` holds the cursors. */
export function batchScript(r: BatchRequest): string {
  const ns = sq(r.namespace);
  const lines: string[] = [framePrelude(r.nonce), `ns=${ns}`, 'd=$(mktemp -d 2>/dev/null) && cd "$d"'];
  if (r.waitSeconds > 0 && r.jobs.length > 0) {
    // Waiting here costs one in-cluster read per tick instead of one runCommand per look.
    const checks = r.jobs
      .map((name) => `c=$(kubectl get job -n "$ns" ${sq(name)} -o 'jsonpath={.status.conditions[?(@.status=="True")].type}' 2>&1) || break; case " $c " in *" Complete "*|*" Failed "*) break;; esac`)
      .join('; ');
    lines.push(
      `end=$(( $(date +%s) + ${Math.round(r.waitSeconds)} ))`,
      `while [ "$(date +%s)" -lt "$end" ]; do ${checks}; sleep ${Math.max(1, Math.round(r.tickSeconds))}; done`,
    );
  }
  lines.push('used=0', 'count() { used=$(( used + $(wc -c <.o) + $(wc -c <.e) )); }');
  for (const name of r.jobs) {
    // `get -o json` rather than --raw: kubectl leaves out managedFields, a third of a pod's size.
    lines.push(`f ${sq(`job ${name}`)} kubectl get job -n "$ns" ${sq(name)} -o json; count`);
    const selector = encodeURIComponent(`involvedObject.kind=Job,involvedObject.name=${name}`);
    lines.push(`f ${sq(`events ${name}`)} kubectl get --raw "/api/v1/namespaces/$ns/events?fieldSelector=${selector}"; count`);
  }
  for (const uid of r.podUids) {
    lines.push(`f ${sq(`pods ${uid}`)} kubectl get pods -n "$ns" -l ${sq(`batch.kubernetes.io/controller-uid=${uid}`)} -o json; count`);
  }
  if (r.podUids.length > 0) {
    const cursorLines = r.cursors.map((c) => `${c.pod} ${c.container} ${c.sinceTime ?? '-'} ${c.limitBytes}`);
    lines.push(
      `: >since.txt`,
      ...cursorLines.map((l) => `echo ${sq(l)} >>since.txt`),
      ': >pairs.txt',
      ...r.podUids.map((uid) => `kubectl get pods -n "$ns" -l ${sq(`batch.kubernetes.io/controller-uid=${uid}`)} -o ${sq(`jsonpath=${CONTAINERS_JSONPATH}`)} >>pairs.txt 2>/dev/null`),
      `left=$(( ${r.budgetBytes} - used ))`,
      `n=$(awk '{ n += NF - 1 } END { print n + 0 }' pairs.txt)`,
      'per=$(( n > 0 ? left / n : 0 ))',
      'while read -r pod cs; do for c in $cs; do',
      `  s=$(awk -v p="$pod" -v c="$c" '$1 == p && $2 == c { print $3 }' since.txt); [ "$s" = - ] && s=`,
      `  l=$(awk -v p="$pod" -v c="$c" '$1 == p && $2 == c { print $4 }' since.txt); [ -z "$l" ] || [ "$l" -le 0 ] && l=$per`,
      '  [ "$l" -gt "$left" ] && l=$left',
      `  if [ "$l" -lt ${MIN_LOG_BYTES} ]; then f "skipped $pod $c" true; continue; fi`,
      '  f "log $pod $c $l" kubectl logs -n "$ns" "$pod" -c "$c" --timestamps ${s:+--since-time=$s} --limit-bytes="$l"',
      '  left=$(( left - $(wc -c <.o) - $(wc -c <.e) ))',
      'done; done <pairs.txt',
    );
  }
  return lines.join('\n');
}

/** One container's answer in a batch. */
export interface LogChunk {
  readonly lines: readonly LogLine[];
  /** The answer hit its byte limit: more lines wait (the last partial line was dropped). */
  readonly truncated: boolean;
}

/**
 * The lines of one `kubectl logs --timestamps --limit-bytes` answer. A cut answer ends inside a
 * line; that partial line is dropped and read whole by the next batch (from its timestamp).
 */
export function logChunk(stdout: string, limitBytes: number): LogChunk {
  const truncated = Buffer.byteLength(stdout, 'utf8') >= limitBytes;
  const parts = stdout.split('\n');
  const last = parts.pop() ?? '';
  // A final piece without a newline: cut short when truncated, else the container's last words.
  if (last !== '' && !truncated) parts.push(last);
  const lines = parts.map((raw) => {
    const space = raw.indexOf(' ');
    return space > 0 ? { time: raw.slice(0, space), text: raw.slice(space + 1) } : { time: '', text: raw };
  });
  return { lines, truncated };
}

/** kubectl's answer for a container that has not started (or whose image cannot be pulled): not an error. */
export function isNotStarted(stderr: string): boolean {
  return /is waiting to start|ContainerCreating|PodInitializing|image can't be pulled|trying and failing to pull image/.test(stderr);
}
