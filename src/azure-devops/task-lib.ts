/**
 * The part of azure-pipelines-task-lib the adapter uses, as a type. Only the entry files import the
 * library itself: importing it moves INPUT_*, ENDPOINT_AUTH_*, SECRET_* and VSTS_TASKVARIABLE_* from
 * process.env into its vault (internal.ts _loadData), writes .taskkey to Agent.TempDirectory and
 * installs process-wide exception handlers. Everything else gets the module passed in, so unit tests
 * hand in a fake and never trigger those side effects.
 */
import type * as taskLib from 'azure-pipelines-task-lib/task.js';
import type { EndpointReader } from './service-connection.js';

export type TaskLib = Pick<
  typeof taskLib,
  | 'TaskResult'
  | 'debug'
  | 'warning'
  | 'error'
  | 'setResult'
  | 'command'
  | 'getInput'
  | 'getVariable'
  | 'setVariable'
  | 'setSecret'
  | 'setTaskVariable'
  | 'getTaskVariable'
  | 'uploadSummary'
  | 'getEndpointUrl'
  | 'getEndpointDataParameter'
  | 'getEndpointAuthorizationScheme'
  | 'getEndpointAuthorizationParameter'
  | 'getEndpointAuthorization'
>;

/** The endpoint getters with every value optional (task-lib throws or fails the task otherwise). */
export function endpointReader(tl: TaskLib): EndpointReader {
  return {
    scheme: (id) => tl.getEndpointAuthorizationScheme(id, true),
    authParameter: (id, key) => tl.getEndpointAuthorizationParameter(id, key, true),
    dataParameter: (id, key) => tl.getEndpointDataParameter(id, key, true),
    url: (id) => tl.getEndpointUrl(id, true),
  };
}

/**
 * The job's access token: the SystemVssConnection endpoint's AccessToken, which the agent passes to
 * every task (azure-pipelines-tasks getSystemAccessToken), else the System.AccessToken variable.
 */
export function systemAccessToken(tl: TaskLib): string {
  let auth: ReturnType<TaskLib['getEndpointAuthorization']>;
  try {
    auth = tl.getEndpointAuthorization('SYSTEMVSSCONNECTION', true);
  } catch {
    auth = undefined; // not JSON: fall back to the variable
  }
  const fromEndpoint = auth?.scheme?.toLowerCase() === 'oauth' ? auth.parameters['AccessToken'] : undefined;
  return fromEndpoint || tl.getVariable('System.AccessToken') || '';
}

/**
 * Ends the task as Canceled. task-lib's `setResult(TaskResult.Cancelled)` prints `result=Cancelled`,
 * which the agent refuses: TaskCompleteCommand parses it with a case-sensitive
 * `Enum.TryParse<TaskResult>`, whose member is spelled `Canceled` (azure-pipelines-agent
 * TaskCommandExtension.cs), so it logs "Command doesn't have valid result value", adds error issues
 * and drops the message (microsoft/azure-pipelines-tasks#9020).
 */
export function setCanceled(tl: TaskLib, message: string): void {
  tl.command('task.complete', { result: 'Canceled' }, message);
}
