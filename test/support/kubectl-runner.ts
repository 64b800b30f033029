/**
 * A ClusterCommandRunner that runs each command at once with the real kubectl against the local
 * control plane (test/support/kubectl-command.ts), as the given identity: a stand-in for the ARM
 * transport only, so the runCommand JobCluster is tested on a real cluster without ARM. Counts
 * the commands and keeps the largest output, so tests can check the batches stay under the cap.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterCommandRunner, CommandFile, CommandResult } from '../../src/core/cluster-commands.js';
import { runKubectlCommand, type CommandTarget } from './kubectl-command.js';

export function commandTarget(kc: KubeConfig): CommandTarget {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster?.caData || !user?.token) throw new Error('the kubeconfig has no CA data or token');
  return { server: cluster.server, caPem: Buffer.from(cluster.caData, 'base64').toString('utf8'), token: user.token };
}

export class KubectlRunner implements ClusterCommandRunner {
  commands = 0;
  largestOutputBytes = 0;
  readonly scripts: string[] = [];
  /** Every command's output, as ARM would store and return it. */
  readonly outputs: string[] = [];

  constructor(private readonly target: CommandTarget) {}

  async run(command: string, files: readonly CommandFile[], signal: AbortSignal): Promise<CommandResult> {
    this.commands++;
    this.scripts.push(command);
    const result = await runKubectlCommand(this.target, command, files, signal);
    this.outputs.push(result.logs);
    this.largestOutputBytes = Math.max(this.largestOutputBytes, Buffer.byteLength(result.logs, 'utf8'));
    return result;
  }
}
