/**
 * task.json against the core: the one mapping (src/azure-devops/task-names.ts) covers every input,
 * the task's defaults are the core's DEFAULTS, outputs are the core's outputs, and the handlers
 * point at the bundles scripts/bundle.mjs writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, Input, type InputName } from '../../src/core/names.js';
import { parseRunSettings } from '../../src/core/parse-settings.js';
import { coreInputReader } from '../../src/azure-devops/inputs.js';
import { ConnectionType, FROM_SERVICE_CONNECTION, INPUT_ONLY_FOR, TASK_INPUT, TASK_OUTPUT, TaskInput, type ConnectionTypeName } from '../../src/azure-devops/task-names.js';
import { actionDefaults, ROOT } from '../../scripts/lib/runner.mjs';

interface TaskInputSpec { name: string; type: string; defaultValue?: string; visibleRule?: string; options?: Record<string, string> }
interface TaskJson {
  id: string; name: string; version: { Major: number; Minor: number; Patch: number };
  inputs: TaskInputSpec[]; outputVariables: Array<{ name: string }>;
  execution: Record<string, { target: string }>; postjobexecution: Record<string, { target: string }>;
}

const taskDir = join(ROOT, 'azure-devops', 'run-aks-job');
const task = JSON.parse(readFileSync(join(taskDir, 'task.json'), 'utf8')) as TaskJson;
const extension = JSON.parse(readFileSync(join(ROOT, 'azure-devops', 'vss-extension.json'), 'utf8')) as {
  contributions: Array<{ type: string; properties: { name: string } }>; files: Array<{ path: string }>;
};
const byName = new Map(task.inputs.map((i) => [i.name, i]));

/** What the agent passes: every input's defaultValue, then the pipeline's values. */
function agentInputs(given: Record<string, string>): (name: string) => string | undefined {
  const all: Record<string, string> = Object.fromEntries(task.inputs.map((i) => [i.name, i.defaultValue ?? '']));
  Object.assign(all, given);
  return (name) => all[name];
}

describe('task.json', () => {
  it('has a stable GUID id, a schema-valid name, a version and schema-valid input names', () => {
    expect(task.id).toBe('a42c310a-fe40-4ff5-a091-7e50c67b446b');
    expect(task.name).toMatch(/^[A-Za-z0-9-]+$/);
    expect(task.version).toEqual({ Major: expect.any(Number) as number, Minor: expect.any(Number) as number, Patch: expect.any(Number) as number });
    for (const input of task.inputs) expect(input.name).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
  });

  it('declares exactly the mapped core inputs plus the connection inputs', () => {
    const declared = task.inputs.map((i) => i.name).sort();
    const expected = [...Object.values(TASK_INPUT), ...Object.values(TaskInput)].sort();
    expect(declared).toEqual(expected);
    expect(byName.get(TaskInput.azureSubscription)?.type).toBe('connectedService:AzureRM');
    expect(byName.get(TaskInput.kubernetesServiceConnection)?.type).toBe('connectedService:Kubernetes');
    expect(Object.keys(byName.get(TaskInput.connectionType)?.options ?? {}).sort()).toEqual(Object.values(ConnectionType).sort());
  });

  it("gives every mapped input the core's default, and no default where the core has none", () => {
    for (const [core, taskName] of Object.entries(TASK_INPUT) as Array<[InputName, string]>) {
      const declared = byName.get(taskName)?.defaultValue ?? '';
      expect({ input: taskName, default: declared.toLowerCase() }).toEqual({ input: taskName, default: (DEFAULTS[core] ?? '').toLowerCase() });
    }
  });

  it('leaves only the service-connection values of DEFAULTS unmapped', () => {
    const unmapped = (Object.keys(DEFAULTS) as InputName[]).filter((name) => !(name in TASK_INPUT));
    for (const name of unmapped) expect(Object.keys(FROM_SERVICE_CONNECTION)).toContain(name);
  });

  it('parses to the same settings as the action with the same values', () => {
    const kubeconfig = 'apiVersion: v1\nkind: Config\n';
    const values = { job: 'nightly', namespace: 'etl', params: '{"A":"1"}', timeout: '30m' };
    const fromTask = parseRunSettings(coreInputReader(
      agentInputs({ connectionType: 'kubernetesServiceConnection', job: 'nightly', namespace: 'etl', params: '{"A":"1"}', timeout: '30m' }),
      'kubernetesServiceConnection', { [Input.kubeconfig]: kubeconfig }));
    const action: Record<string, string> = { ...actionDefaults(), ...values, kubeconfig };
    const fromAction = parseRunSettings((name) => action[name] ?? '');
    expect(fromTask).toEqual(fromAction);
  });

  it.each<[string, Record<string, string>, Record<string, string>]>([
    ['concurrency and secret params', { job: 'nightly', concurrency: 'Forbid', secretParams: '{"TOKEN":"t"}' }, { job: 'nightly', concurrency: 'Forbid', 'secret-params': '{"TOKEN":"t"}' }],
    ['attach', { attach: 'nightly-x2b4c', timeout: '10m' }, { attach: 'nightly-x2b4c', timeout: '10m' }],
  ])('parses %s to the same settings as the action', (_, taskValues, actionValues) => {
    const kubeconfig = 'apiVersion: v1\nkind: Config\n';
    const fromTask = parseRunSettings(coreInputReader(agentInputs({ connectionType: 'kubernetesServiceConnection', ...taskValues }),
      'kubernetesServiceConnection', { [Input.kubeconfig]: kubeconfig }));
    const action: Record<string, string> = { ...actionDefaults(), ...actionValues, kubeconfig };
    expect(fromTask).toEqual(parseRunSettings((name) => action[name] ?? ''));
  });

  it('shows each connection-specific input only for the connection types the task reads it with', () => {
    for (const [core, types] of Object.entries(INPUT_ONLY_FOR) as Array<[InputName, readonly string[]]>) {
      const taskName = TASK_INPUT[core as keyof typeof TASK_INPUT];
      expect({ input: taskName, visibleRule: byName.get(taskName)?.visibleRule })
        .toEqual({ input: taskName, visibleRule: types.map((t) => `${TaskInput.connectionType} = ${t}`).join(' || ') });
    }
  });

  it.each<[string, string, Record<string, string>, Record<string, string>]>([
    ['managed identity', 'managedIdentity',
      { job: 'nightly', azureSubscriptionId: '11111111-2222-3333-4444-555555555555', azureResourceGroup: 'rg', kubernetesCluster: 'aks', managedIdentityClientId: '99999999-8888-7777-6666-555555555555' },
      { job: 'nightly', 'auth-type': 'managed-identity', 'subscription-id': '11111111-2222-3333-4444-555555555555', 'resource-group': 'rg', 'cluster-name': 'aks', 'client-id': '99999999-8888-7777-6666-555555555555' }],
    ['in-cluster', 'inCluster', { job: 'nightly' }, { job: 'nightly', 'auth-type': 'in-cluster' }],
  ])('parses %s to the same settings as the action with that auth-type', (_, connectionType, taskValues, actionValues) => {
    const facts = { env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, fileExists: () => true };
    const authType = actionValues['auth-type'] ?? '';
    const fromTask = parseRunSettings(coreInputReader(agentInputs({ connectionType, ...taskValues }), connectionType as ConnectionTypeName, { [Input.authType]: authType }), facts);
    const action: Record<string, string> = { ...actionDefaults(), ...actionValues };
    expect(fromTask).toEqual(parseRunSettings((name) => action[name] ?? '', facts));
  });

  it('declares the core outputs as output variables', () => {
    expect(task.outputVariables.map((o) => o.name).sort()).toEqual(Object.values(TASK_OUTPUT).sort());
  });

  it('runs on Node24 with a Node20_1 fallback, main and post-job, on the bundles scripts/bundle.mjs writes', () => {
    const bundle = readFileSync(join(ROOT, 'scripts', 'bundle.mjs'), 'utf8');
    expect(Object.keys(task.execution).sort()).toEqual(['Node20_1', 'Node24']);
    expect(Object.keys(task.postjobexecution).sort()).toEqual(['Node20_1', 'Node24']);
    for (const [handlers, entry] of [[task.execution, 'main'], [task.postjobexecution, 'post']] as const) {
      for (const h of Object.values(handlers)) expect(h.target).toBe(`dist/${entry}/index.js`);
      expect(bundle).toContain(`'azure-devops/run-aks-job/dist/${entry}': 'src/azure-devops/${entry}.ts'`);
    }
  });

  it('is the task contribution of the extension manifest, with its files packaged', () => {
    const [contribution] = extension.contributions;
    expect(contribution).toMatchObject({ type: 'ms.vss-distributed-task.task', properties: { name: 'run-aks-job' } });
    expect(extension.files.map((f) => f.path)).toEqual(expect.arrayContaining(['run-aks-job/task.json', 'run-aks-job/dist']));
  });
});
