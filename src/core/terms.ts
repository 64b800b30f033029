/**
 * The words each platform uses for what a user runs and what runs the step. The orchestrator's
 * messages and the cancellation `reason` take them from the Reporter, so an Azure Pipelines log
 * speaks of pipelines and agents (learn.microsoft.com azure/devops/pipelines/get-started/key-pipelines-concepts)
 * while the action's log stays as it was.
 */
export interface PlatformTerms {
  /** What a user starts and cancels: `workflow`, `pipeline`. */
  readonly run: string;
  /** The machine the step runs on: `runner`, `agent`. */
  readonly host: string;
  /** The step that cleans up after the main one: `post step`, `post-job step`. */
  readonly postStep: string;
  /** The `reason` output when a cancellation deleted the Job (or stopped it before it was created). */
  readonly cancelledReason: string;
}

export const GITHUB_TERMS: PlatformTerms = { run: 'workflow', host: 'runner', postStep: 'post step', cancelledReason: 'WorkflowCancelled' };

export const AZURE_DEVOPS_TERMS: PlatformTerms = { run: 'pipeline', host: 'agent', postStep: 'post-job step', cancelledReason: 'PipelineCancelled' };
