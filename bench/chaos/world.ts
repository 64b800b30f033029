/**
 * What every fault campaign shares: the cluster and identity fakes a trial runs against, the
 * trial's result, and the checks users care about (how many Jobs a run made, the log it printed).
 */
import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Job } from '@kubernetes/client-node';
import { Label } from '../../src/core/names.js';
import type { IdentityProvidersInfo, IdentityWorld } from '../../test/fakes/identity-providers.js';
import type { ProxiedRequest } from '../../test/support/fault-proxy.js';
import { sourceJob } from '../../test/support/sources.js';

export interface ChaosWorld {
  /** system:masters on the local control plane. */
  readonly admin: KubeConfig;
  /** The same, as kubeconfig YAML (the bundled action's `kubeconfig` input). */
  readonly kubeconfigText: string;
  /** Where trials put their source Jobs (each trial has its own source name). */
  readonly namespace: string;
  /** The identity fakes the API server trusts (Azure campaign). */
  readonly identity: IdentityWorld & { readonly info: IdentityProvidersInfo };
  /** A staged copy of dist/ (cancellation campaign). */
  readonly bundleRoot: string;
  /** Longest API outage a trial may draw, s (the issue asks for 5–90 s). */
  readonly outageMaxSeconds: number;
}

export interface TrialResult {
  readonly ok: boolean;
  /** What the trial drew (faults, moments) and, when it failed, what went wrong. */
  readonly detail: string;
}

export interface Campaign {
  readonly name: string;
  /** What must hold, for the table. */
  readonly promise: string;
  readonly trials: number;
  readonly concurrency: number;
  run(world: ChaosWorld, seed: number): Promise<TrialResult>;
}

/** Creates a suspended source Job named `name` whose clone behaves as `env` says (SIM_*). */
export async function createSource(w: ChaosWorld, name: string, env: Record<string, string>, labels: Record<string, string> = {}): Promise<void> {
  await w.admin.makeApiClient(BatchV1Api).createNamespacedJob({ namespace: w.namespace, body: sourceJob(name, { env, labels }) });
}

/** The Jobs runs of `source` created (by the source-name label the action puts on each). */
export async function runsOf(w: ChaosWorld, source: string): Promise<V1Job[]> {
  const list = await w.admin.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: w.namespace, labelSelector: `${Label.sourceName}=${source}` });
  return list.items;
}

export async function podsLabelled(w: ChaosWorld, selector: string): Promise<string[]> {
  const list = await w.admin.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: w.namespace, labelSelector: selector });
  return list.items.map((p) => p.metadata?.name ?? '');
}

export function jobEnd(job: V1Job | undefined): 'Complete' | 'Failed' | 'unfinished' {
  const c = (job?.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c ? (c.type as 'Complete' | 'Failed') : 'unfinished';
}

/** Lines `expected` that were not printed exactly once, as `line ×n`. */
export function notOnce(printed: readonly string[], expected: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const l of printed) counts.set(l, (counts.get(l) ?? 0) + 1);
  return expected.filter((l) => counts.get(l) !== 1).map((l) => `${l} ×${counts.get(l) ?? 0}`);
}

/**
 * What a fault must never cause, for one run of `source`: other than exactly one Job, a failed
 * step, a status other than the Job's real end, a log line not printed exactly once.
 */
export function runProblems(
  run: { readonly error?: Error | undefined; readonly reporter: { readonly outputs: Record<string, string>; readonly lines: readonly string[] } },
  jobs: readonly V1Job[],
  lines: readonly string[],
): string[] {
  const problems: string[] = [];
  if (jobs.length !== 1) problems.push(`${jobs.length} Jobs made`);
  if (run.error) problems.push(`step failed: ${run.error.message}`);
  const end = jobEnd(jobs[0]);
  const real = end === 'Complete' ? 'Success' : end;
  if (run.reporter.outputs.status !== real) problems.push(`reported status ${run.reporter.outputs.status}, real end ${real}`);
  problems.push(...notOnce(run.reporter.lines, lines).map((l) => `log ${l}`));
  return problems;
}

/** `line-001|line-002|…`: distinct numbered lines, so each one's count can be checked. */
export function numberedLines(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
}

export const isJobCreate = (r: ProxiedRequest): boolean => r.method === 'POST' && /\/apis\/batch\/v1\/namespaces\/[^/]+\/jobs(\?|$)/.test(r.path);

/** Waits until `predicate` holds or `timeoutMs` passes; says whether it held. */
export async function eventually(predicate: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
