/** Task inputs → the core's reader, and core messages in the task's terms. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { InputName } from '../../src/core/names.js';
import { parseRunSettings } from '../../src/core/parse-settings.js';
import { coreInputReader, inTaskTerms, readConnectionType } from '../../src/azure-devops/inputs.js';

const inputs = (values: Record<string, string>) => (name: string): string | undefined => values[name];

describe('readConnectionType', () => {
  it.each([
    ['azureResourceManager', 'azureResourceManager'],
    ['KubernetesServiceConnection', 'kubernetesServiceConnection'],
  ])('%s → %s', (given, expected) => {
    expect(readConnectionType(inputs({ connectionType: given }))).toBe(expected);
  });

  it('names the input and the choices for anything else', () => {
    expect(() => readConnectionType(inputs({ connectionType: 'None' }))).toThrow(
      InputError.invalid('connectionType', 'None', 'one of azureResourceManager, kubernetesServiceConnection'));
    expect(() => readConnectionType(inputs({ connectionType: 'None' }))).toThrow(
      "Input 'connectionType' must be one of azureResourceManager, kubernetesServiceConnection; got 'None'.");
  });
});

describe('coreInputReader', () => {
  const given = { cronJob: 'nightly', allowNewParams: 'true', useClusterAdmin: 'true', kubernetesCluster: 'aks', azureResourceGroup: 'rg' };

  it('reads task inputs by their task.json names and service connection values by core name', () => {
    const read = coreInputReader(inputs(given), 'azureResourceManager', { 'client-id': 'c', 'tenant-id': 't' });
    expect((['cronjob', 'allow-new-params', 'admin', 'cluster-name', 'resource-group', 'client-id', 'tenant-id', 'audience', 'job'] as InputName[]).map((n) => read(n)))
      .toEqual(['nightly', 'true', 'true', 'aks', 'rg', 'c', 't', '', '']);
  });

  it('hides the Azure-only inputs with a Kubernetes service connection, as the visibleRule does', () => {
    const read = coreInputReader(inputs(given), 'kubernetesServiceConnection', { kubeconfig: 'k' });
    expect((['admin', 'cluster-name', 'resource-group', 'kubeconfig', 'cronjob'] as InputName[]).map((n) => read(n))).toEqual(['', '', '', 'k', 'nightly']);
  });
});

describe('inTaskTerms', () => {
  it.each([
    ["Input 'allow-new-params' must be 'true' or 'false'; got 'yes'.", "Input 'allowNewParams' must be 'true' or 'false'; got 'yes'."],
    ["Set exactly one of inputs 'job' (a Job to clone) and 'cronjob' (a CronJob to run now); got neither.",
      "Set exactly one of inputs 'job' (a Job to clone) and 'cronJob' (a CronJob to run now); got neither."],
    ["Input 'client-id' must be a GUID like '00000000-0000-0000-0000-000000000000'; got 'x'.",
      "The 'azureSubscription' service connection's service principal id must be a GUID like '00000000-0000-0000-0000-000000000000'; got 'x'."],
    ["Azure sign-in needs all of 'client-id', 'resource-group'; missing 'resource-group'",
      "Azure sign-in needs all of the 'azureSubscription' service connection's service principal id, 'azureResourceGroup'; missing 'azureResourceGroup'"],
  ])('%s', (core, task) => {
    expect(inTaskTerms(core)).toBe(task);
  });

  it('turns a whole parse error of the core into task names', () => {
    const read = coreInputReader(inputs({ job: 'a', cronJob: 'b', timeout: 'soon', maxLogStreams: '0' }), 'kubernetesServiceConnection', { kubeconfig: 'k' });
    const error = (() => { try { parseRunSettings(read); } catch (e) { return e as Error; } return undefined; })();
    expect(inTaskTerms(error?.message ?? '')).toMatch(/^3 inputs are invalid:\n- Inputs 'job' and 'cronJob' exclude each other.*\n- Input 'timeout' must be.*\n- Input 'maxLogStreams' must be/);
  });
});
