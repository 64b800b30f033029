/**
 * Which way the action talks to the cluster after an Azure sign-in: straight to the API server,
 * or through ARM runCommand (`private-cluster`). `auto` goes through runCommand only when the API
 * server is private (a privatelink name, or ARM's enablePrivateCluster) and this runner cannot
 * reach it: a self-hosted runner inside the VNet keeps the direct, streaming path.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { PrivateApiServerVerdict } from './azure/private-cluster.js';
import type { ClusterCommandRunner } from './core/cluster-commands.js';
import { Input } from './core/names.js';
import type { Clock, JobCluster } from './core/ports.js';
import type { PrivateClusterMode } from './core/settings.js';
import { KubeJobCluster } from './kubernetes/job-cluster.js';
import { probeReach, type Reach } from './kubernetes/reach-probe.js';
import { RunCommandCluster, type CommandLog } from './kubernetes/run-command-cluster.js';

/** What an Azure sign-in offers for the choice (src/azure/sign-in.ts AksSignIn). */
export interface RouteSignIn {
  readonly kubeConfig: KubeConfig;
  createCommandRunner(): ClusterCommandRunner;
  detectPrivateApiServer(signal: AbortSignal): Promise<PrivateApiServerVerdict>;
}

export interface Route {
  /** Set when every call goes through runCommand. */
  readonly runner: ClusterCommandRunner | undefined;
  /** One line for the Connect group; undefined when `private-cluster` is false (nothing to say). */
  readonly why: string | undefined;
}

const DETECT_TIMEOUT_MS = 30_000;

export async function chooseRoute(mode: PrivateClusterMode, signIn: RouteSignIn, probe: (server: string) => Promise<Reach> = probeReach): Promise<Route> {
  if (mode === 'false') return { runner: undefined, why: undefined };
  if (mode === 'true') return { runner: signIn.createCommandRunner(), why: `Through AKS runCommand (${Input.privateCluster}: true).` };
  const verdict = await signIn.detectPrivateApiServer(AbortSignal.timeout(DETECT_TIMEOUT_MS));
  if (!verdict.private) return { runner: undefined, why: `${Input.privateCluster}: auto: ${verdict.reason}, so the API server directly.` };
  const server = signIn.kubeConfig.getCurrentCluster()?.server ?? '';
  const reach = await probe(server);
  if (reach.ok) return { runner: undefined, why: `${Input.privateCluster}: auto: ${verdict.reason}, but this runner reaches it, so the API server directly.` };
  return { runner: signIn.createCommandRunner(), why: `${Input.privateCluster}: auto: ${verdict.reason} and this runner cannot reach it (${reach.detail}), so through AKS runCommand.` };
}

/** The JobCluster for a connection: client-node on its kubeconfig, or commands through runCommand. */
export function clusterFor(connected: { readonly kubeConfig: KubeConfig; readonly runCommand?: ClusterCommandRunner | undefined }, clock: Clock, log: CommandLog): JobCluster {
  return connected.runCommand ? new RunCommandCluster(connected.runCommand, clock, log) : new KubeJobCluster(connected.kubeConfig, clock, log);
}
