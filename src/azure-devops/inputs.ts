/**
 * Azure DevOps inputs → the core's `read(name)` (parse-settings.ts), so the task validates exactly
 * as the action does. The agent fills in task.json's defaultValue for every input a pipeline leaves
 * out (as the GitHub runner does with action.yml), so no default is repeated here.
 */
import { InputError } from '../core/errors.js';
import { Input, type InputName } from '../core/names.js';
import { AZURE_DEVOPS_TERMS, GITHUB_TERMS } from '../core/terms.js';
import type { InputReader } from '../core/parse-settings.js';
import {
  CONNECTION_AUTH_TYPE, ConnectionType, FROM_SERVICE_CONNECTION, INPUT_ONLY_FOR, TASK_INPUT, TaskInput, taskInputName, type ConnectionTypeName,
} from './task-names.js';

/** tl.getInput: an input's value as the agent passed it (INPUT_<NAME>, from task-lib's vault). */
export type GetTaskInput = (name: string) => string | undefined;

/** The connectionType pickList's value. */
export function readConnectionType(getInput: GetTaskInput): ConnectionTypeName {
  const value = (getInput(TaskInput.connectionType) ?? '').trim();
  const found = Object.values(ConnectionType).find((c) => c.toLowerCase() === value.toLowerCase());
  if (found) return found;
  throw InputError.invalid(TaskInput.connectionType, value, `one of ${Object.values(ConnectionType).join(', ')}`);
}

/**
 * The core's reader: task inputs by their task.json names, plus the values the service connection
 * or the connection type supplies (`fromConnection`). Inputs of other connection types
 * (INPUT_ONLY_FOR) read as '', as task.json's visibleRule hides them.
 */
export function coreInputReader(
  getInput: GetTaskInput,
  connectionType: ConnectionTypeName,
  fromConnection: Readonly<Partial<Record<InputName, string>>>,
): InputReader {
  return (name) => {
    const derived = fromConnection[name];
    if (derived !== undefined) return derived;
    const onlyFor = INPUT_ONLY_FOR[name];
    if (onlyFor !== undefined && !onlyFor.includes(connectionType)) return '';
    const taskName = taskInputName(name);
    return taskName === undefined ? '' : (getInput(taskName) ?? '');
  };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const SIGNS_IN_AS_AGENT: readonly ConnectionTypeName[] = [ConnectionType.managedIdentity, ConnectionType.inCluster];

/**
 * The core's messages name inputs as a workflow does (`Input 'allow-new-params' …`); a pipeline
 * author needs task.json's names (`allowNewParams`) or, for values that come from the service
 * connection, which connection field is wrong. The adapters' hints that speak of "the runner" or
 * "the workflow's" token (errors.ts, entra-errors.ts, aks-credentials.ts) get the agent's words.
 * `connectionType` undefined (it could not be read): as for a service connection.
 */
export function inTaskTerms(message: string, connectionType?: ConnectionTypeName): string {
  let out = message;
  for (const [type, authType] of Object.entries(CONNECTION_AUTH_TYPE)) {
    if (authType !== undefined) out = out.replace(new RegExp(`'${Input.authType}: ${authType}'`, 'g'), `'${TaskInput.connectionType}: ${type}'`);
  }
  // Signing in as the agent, client and subscription ids are task inputs, not service connection fields.
  const asAgent = connectionType !== undefined && SIGNS_IN_AS_AGENT.includes(connectionType);
  const fromConnection = Object.entries(FROM_SERVICE_CONNECTION).filter(([core]) => !asAgent || !(core in TASK_INPUT));
  for (const [core, source] of fromConnection) {
    out = out.replace(new RegExp(`Input '${escapeRegExp(core)}'`, 'g'), source.charAt(0).toUpperCase() + source.slice(1));
    out = out.replace(new RegExp(`'${escapeRegExp(core)}'`, 'g'), source);
  }
  for (const [core, task] of Object.entries(TASK_INPUT)) {
    out = out.replace(new RegExp(`'${escapeRegExp(core)}'`, 'g'), `'${task}'`);
  }
  for (const term of ['host', 'run'] as const) {
    out = out.replace(new RegExp(`\\bthe ${GITHUB_TERMS[term]}\\b`, 'g'), `the ${AZURE_DEVOPS_TERMS[term]}`);
  }
  return out;
}
