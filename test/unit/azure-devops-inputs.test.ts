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
    ['managedidentity', 'managedIdentity'],
    ['inCluster', 'inCluster'],
  ])('%s → %s', (given, expected) => {
    expect(readConnectionType(inputs({ connectionType: given }))).toBe(expected);
  });

  it('names the input and the choices for anything else', () => {
    expect(() => readConnectionType(inputs({ connectionType: 'None' }))).toThrow(
      InputError.invalid('connectionType', 'None', 'one of azureResourceManager, kubernetesServiceConnection, managedIdentity, inCluster'));
    expect(() => readConnectionType(inputs({ connectionType: 'None' }))).toThrow(
      "Input 'connectionType' must be one of azureResourceManager, kubernetesServiceConnection, managedIdentity, inCluster; got 'None'.");
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

  const agentIdentity = { ...given, azureSubscriptionId: 's', managedIdentityClientId: 'c' };
  const names: InputName[] = ['subscription-id', 'client-id', 'resource-group', 'cluster-name', 'admin', 'auth-type', 'cronjob'];

  it('reads the managed identity inputs with managedIdentity, and auth-type from the connection type', () => {
    const read = coreInputReader(inputs(agentIdentity), 'managedIdentity', { 'auth-type': 'managed-identity' });
    expect(names.map((n) => read(n))).toEqual(['s', 'c', 'rg', 'aks', 'true', 'managed-identity', 'nightly']);
  });

  it('hides every Azure input with inCluster, and the managed identity ones with a service connection', () => {
    const inCluster = coreInputReader(inputs(agentIdentity), 'inCluster', { 'auth-type': 'in-cluster' });
    expect(names.map((n) => inCluster(n))).toEqual(['', '', '', '', '', 'in-cluster', 'nightly']);
    const kubernetes = coreInputReader(inputs(agentIdentity), 'kubernetesServiceConnection', { kubeconfig: 'k' });
    expect(names.map((n) => kubernetes(n))).toEqual(['', '', '', '', '', '', 'nightly']);
  });
});

describe('inTaskTerms', () => {
  it.each([
    ["Input 'allow-new-params' must be 'true' or 'false'; got 'yes'.", "Input 'allowNewParams' must be 'true' or 'false'; got 'yes'."],
    ["Set exactly one of inputs 'job' (a Job to clone), 'cronjob' (a CronJob to run now) and 'attach' (a run to follow); got none.",
      "Set exactly one of inputs 'job' (a Job to clone), 'cronJob' (a CronJob to run now) and 'attach' (a run to follow); got none."],
    ["Input 'client-id' must be a GUID like '00000000-0000-0000-0000-000000000000'; got 'x'.",
      "The 'azureSubscription' service connection's service principal id must be a GUID like '00000000-0000-0000-0000-000000000000'; got 'x'."],
    ["Azure sign-in needs all of 'client-id', 'resource-group'; missing 'resource-group'",
      "Azure sign-in needs all of the 'azureSubscription' service connection's service principal id, 'azureResourceGroup'; missing 'azureResourceGroup'"],
    ['Could not list jobs/ns: connect ECONNREFUSED. Check that the API server is reachable from the runner and that the kubeconfig points at the right cluster.',
      'Could not list jobs/ns: connect ECONNREFUSED. Check that the API server is reachable from the agent and that the kubeconfig points at the right cluster.'],
    ["Could not get the workflow's OIDC token for audience 'api://AzureADTokenExchange': HTTP 500. Check the runner's clock.",
      "Could not get the pipeline's OIDC token for audience 'api://AzureADTokenExchange': HTTP 500. Check the agent's clock."],
  ])('%s', (core, task) => {
    expect(inTaskTerms(core)).toBe(task);
  });

  it.each([
    ["'auth-type: managed-identity' needs input 'subscription-id', input 'resource-group' and input 'cluster-name'.",
      "'connectionType: managedIdentity' needs input 'azureSubscriptionId', input 'azureResourceGroup' and input 'kubernetesCluster'."],
    ["Input 'client-id' must be a GUID like '00000000-0000-0000-0000-000000000000'; got 'x'.",
      "Input 'managedIdentityClientId' must be a GUID like '00000000-0000-0000-0000-000000000000'; got 'x'."],
    ["Could not reach IMDS at http://169.254.169.254: fetch failed. 'auth-type: managed-identity' works on an Azure VM or VMSS with a managed identity.",
      "Could not reach IMDS at http://169.254.169.254: fetch failed. 'connectionType: managedIdentity' works on an Azure VM or VMSS with a managed identity."],
  ])('with managedIdentity: %s', (core, task) => {
    expect(inTaskTerms(core, 'managedIdentity')).toBe(task);
  });

  it('with inCluster: names the connection type, not auth-type', () => {
    expect(inTaskTerms("'auth-type: in-cluster' needs variable KUBERNETES_SERVICE_HOST. Is this step running in a pod?", 'inCluster'))
      .toBe("'connectionType: inCluster' needs variable KUBERNETES_SERVICE_HOST. Is this step running in a pod?");
  });

  it('turns a whole parse error of the core into task names', () => {
    const read = coreInputReader(inputs({ job: 'a', cronJob: 'b', timeout: 'soon', maxLogStreams: '0' }), 'kubernetesServiceConnection', { kubeconfig: 'k' });
    const error = (() => { try { parseRunSettings(read); } catch (e) { return e as Error; } return undefined; })();
    expect(inTaskTerms(error?.message ?? '')).toMatch(/^3 inputs are invalid:\n- Inputs 'job' and 'cronJob' exclude each other.*\n- Input 'timeout' must be.*\n- Input 'maxLogStreams' must be/);
  });
});
