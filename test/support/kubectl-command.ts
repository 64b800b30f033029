/**
 * Runs one command the way AKS runCommand runs it in its `aks-command` pod: `sh -c <command>` in a
 * fresh directory holding the command's files, the real kubectl (built from the control-plane
 * module) on PATH, signed in as the caller's token, so the API server's own authentication and RBAC
 * decide. Used by the ARM fake's runCommand and by tests of the runCommand JobCluster.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { CommandFile, CommandResult } from '../../src/core/cluster-commands.js';

const KUBECTL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'localcluster', 'bin');

export interface CommandTarget {
  readonly server: string;
  readonly caPem: string;
  /** The bearer token kubectl sends (runCommand's clusterToken, or a ServiceAccount token). */
  readonly token: string;
}

/** The command's exit code and its stdout and stderr interleaved as they were written. */
export async function runKubectlCommand(
  target: CommandTarget,
  command: string,
  files: readonly CommandFile[],
  signal?: AbortSignal,
): Promise<CommandResult> {
  const dir = await mkdtemp(join(tmpdir(), 'aks-command-'));
  try {
    for (const file of files) {
      if (basename(file.name) !== file.name) throw new Error(`command file name ${JSON.stringify(file.name)} has a directory part`);
      await writeFile(join(dir, file.name), file.content);
    }
    // The token goes into a kubeconfig in the command's own temp dir (as the aks-command pod holds
    // it), removed with the directory, never on the command line.
    const kubeconfig = join(dir, '.kubeconfig');
    await writeFile(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'aks', cluster: { server: target.server, 'certificate-authority-data': Buffer.from(target.caPem).toString('base64') } }],
        users: [{ name: 'caller', user: { token: target.token } }],
        contexts: [{ name: 'aks', context: { cluster: 'aks', user: 'caller' } }],
        'current-context': 'aks',
      }),
      { mode: 0o600 },
    );
    return await new Promise<CommandResult>((resolve, reject) => {
      const child = spawn('sh', ['-c', command], {
        cwd: dir,
        env: { PATH: `${KUBECTL_DIR}:/usr/bin:/bin`, HOME: dir, KUBECONFIG: kubeconfig },
        stdio: ['ignore', 'pipe', 'pipe'],
        signal,
      });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => chunks.push(c));
      child.once('error', reject);
      child.once('close', (code, sig) => resolve({ exitCode: code ?? (sig === null ? 1 : 128 + 9), logs: Buffer.concat(chunks).toString('utf8') }));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
