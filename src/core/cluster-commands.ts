/**
 * The port a private cluster is reached through: one shell command run inside the cluster (AKS
 * runCommand starts a pod with kubectl and runs it there under the caller's identity), with files
 * placed in its working directory, and its exit code and combined output back. Implemented by
 * src/azure/run-command.ts (ARM runCommand); src/kubernetes/run-command-cluster.ts builds the
 * JobCluster port on top of it.
 */
export interface CommandFile {
  /** A plain file name (no directories), e.g. `job.json`. */
  readonly name: string;
  readonly content: string;
}

export interface CommandResult {
  /** The command's exit code, as runCommand reports it. */
  readonly exitCode: number;
  /** stdout and stderr, as runCommand returns them (AKS caps them at 512 kB). */
  readonly logs: string;
}

export interface ClusterCommandRunner {
  /**
   * Runs `command` (a `sh -c` command line, `kubectl` on PATH, the files in its working
   * directory) in the cluster and resolves when it finished. Rejects with an error that says what
   * to do when the command could not run (runCommand disabled, a missing Azure role, the command
   * pod not scheduled, an abort).
   */
  run(command: string, files: readonly CommandFile[], signal: AbortSignal): Promise<CommandResult>;
}

/** What runCommand returns at most in `logs` (beyond-notes §1): commands must stay under it. */
export const RUN_COMMAND_OUTPUT_CAP_BYTES = 512 * 1024;
