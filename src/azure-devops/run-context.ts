/**
 * Who started the run, from the agent's predefined variables
 * (learn.microsoft.com azure/devops/pipelines/build/variables): goes into the clone's annotations
 * and the summary, as the GitHub adapter's runContextFromEnv does with GITHUB_*.
 */
import type { RunContext } from '../core/settings.js';

/** tl.getVariable: a pipeline variable by its dotted name. */
export type GetVariable = (name: string) => string | undefined;

export function runContextFromVariables(getVariable: GetVariable): RunContext {
  const get = (name: string): string | undefined => getVariable(name) || undefined;
  const project = get('System.TeamProject');
  const repository = get('Build.Repository.Name');
  const buildId = get('Build.BuildId');
  const collection = get('System.CollectionUri') ?? get('System.TeamFoundationCollectionUri');
  const base = collection?.endsWith('/') ? collection : collection && `${collection}/`;
  return {
    repository: repository && project ? `${project}/${repository}` : repository,
    runId: buildId,
    runAttempt: get('System.JobAttempt'),
    runUrl: base && project && buildId ? `${base}${encodeURIComponent(project)}/_build/results?buildId=${encodeURIComponent(buildId)}` : undefined,
  };
}
