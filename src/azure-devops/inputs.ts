/**
 * Azure DevOps inputs → the core's `read(name)` (parse-settings.ts), so the task validates exactly
 * as the action does. The agent fills in task.json's defaultValue for every input a pipeline leaves
 * out (as the GitHub runner does with action.yml), so no default is repeated here.
 */
import { InputError } from '../core/errors.js';
import type { InputName } from '../core/names.js';
import type { InputReader } from '../core/parse-settings.js';
import {
  AZURE_ONLY_INPUTS, ConnectionType, FROM_SERVICE_CONNECTION, TASK_INPUT, TaskInput, taskInputName, type ConnectionTypeName,
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
 * supplies (`fromConnection`). Azure-only inputs read as '' with a Kubernetes service connection,
 * as task.json's visibleRule hides them there (a leftover `useClusterAdmin: true` must not turn a
 * kubeconfig run into an Azure one).
 */
export function coreInputReader(
  getInput: GetTaskInput,
  connectionType: ConnectionTypeName,
  fromConnection: Readonly<Partial<Record<InputName, string>>>,
): InputReader {
  return (name) => {
    const derived = fromConnection[name];
    if (derived !== undefined) return derived;
    if (connectionType !== ConnectionType.azureResourceManager && AZURE_ONLY_INPUTS.includes(name)) return '';
    const taskName = taskInputName(name);
    return taskName === undefined ? '' : (getInput(taskName) ?? '');
  };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The core's messages name inputs as a workflow does (`Input 'allow-new-params' …`); a pipeline
 * author needs task.json's names (`allowNewParams`) or, for values that come from the service
 * connection, which connection field is wrong.
 */
export function inTaskTerms(message: string): string {
  let out = message;
  for (const [core, source] of Object.entries(FROM_SERVICE_CONNECTION)) {
    out = out.replace(new RegExp(`Input '${escapeRegExp(core)}'`, 'g'), source.charAt(0).toUpperCase() + source.slice(1));
    out = out.replace(new RegExp(`'${escapeRegExp(core)}'`, 'g'), source);
  }
  for (const [core, task] of Object.entries(TASK_INPUT)) {
    out = out.replace(new RegExp(`'${escapeRegExp(core)}'`, 'g'), `'${task}'`);
  }
  return out;
}
