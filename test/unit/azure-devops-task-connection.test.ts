/**
 * The task's connection types for self-hosted agents: `managedIdentity` and `inCluster` turn into the
 * core's managed-identity and in-cluster settings, the agent's environment decides in-cluster, and
 * what is missing is said in the task's terms.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunSettings } from '../../src/core/parse-settings.js';
import { inTaskTerms } from '../../src/azure-devops/inputs.js';
import { readTaskConnection } from '../../src/azure-devops/task-connection.js';
import type { TaskLib } from '../../src/azure-devops/task-lib.js';

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const CLIENT = '99999999-8888-7777-6666-555555555555';

/** Only getInput is read for these connection types: no service connection, no endpoint. */
function agent(inputs: Record<string, string>): TaskLib {
  const fail = (): never => { throw new Error('no service connection is read for this connection type'); };
  return {
    getInput: (name: string) => inputs[name],
    getEndpointUrl: fail, getEndpointDataParameter: fail, getEndpointAuthorizationScheme: fail,
    getEndpointAuthorizationParameter: fail, getEndpointAuthorization: fail,
  } as unknown as TaskLib;
}

/** What main-step does: read, parse, and on failure the message the pipeline shows. */
function settingsOrMessage(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const task = readTaskConnection(agent(inputs), env);
  try {
    return parseRunSettings(task.read, task.facts);
  } catch (e) {
    return inTaskTerms((e as Error).message, task.type);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'serviceaccount-'));
writeFileSync(join(dir, 'token'), 'not-a-real-token');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('connectionType managedIdentity', () => {
  const cluster = { connectionType: 'managedIdentity', job: 'nightly', azureSubscriptionId: SUBSCRIPTION, azureResourceGroup: 'rg', kubernetesCluster: 'aks' };

  it.each<[string, Record<string, string>, string]>([
    ['the system-assigned identity', {}, ''],
    ['a user-assigned identity', { managedIdentityClientId: CLIENT }, CLIENT],
  ])('signs in with %s of the agent VM', (_, extra, clientId) => {
    const settings = settingsOrMessage({ ...cluster, ...extra });
    expect(typeof settings === 'string' ? settings : { connection: settings.connection, auth: settings.auth }).toEqual({
      connection: {
        kind: 'azure', signIn: { kind: 'managed-identity' }, clientId, tenantId: '', subscriptionId: SUBSCRIPTION, resourceGroup: 'rg',
        clusterName: 'aks', environment: 'AzureCloud', admin: false, audience: 'api://AzureADTokenExchange', privateCluster: 'false',
      },
      auth: { type: 'managed-identity', reason: undefined },
    });
  });

  it('names the missing task inputs', () => {
    expect(settingsOrMessage({ connectionType: 'managedIdentity', job: 'nightly', azureResourceGroup: 'rg' }))
      .toBe("'connectionType: managedIdentity' needs input 'azureSubscriptionId' and input 'kubernetesCluster'.");
  });

  it('names a bad client id as the task input', () => {
    expect(settingsOrMessage({ ...cluster, managedIdentityClientId: 'mine' }))
      .toBe("Input 'managedIdentityClientId' must be a GUID like '00000000-0000-0000-0000-000000000000'; got 'mine'.");
  });
});

describe('connectionType inCluster', () => {
  const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443', POLYSYNC_SERVICEACCOUNT_DIR: dir };

  it("uses the agent pod's service account from the agent's environment, ignoring Azure inputs left over", () => {
    const settings = settingsOrMessage({ connectionType: 'inCluster', job: 'nightly', azureResourceGroup: 'rg', useClusterAdmin: 'true' }, env);
    expect(typeof settings === 'string' ? settings : { connection: settings.connection, auth: settings.auth }).toEqual({
      connection: { kind: 'in-cluster', host: '10.0.0.1', port: '443', serviceAccountDir: dir },
      auth: { type: 'in-cluster', reason: undefined },
    });
  });

  it('says what the agent lacks outside a pod', () => {
    expect(settingsOrMessage({ connectionType: 'inCluster', job: 'nightly' }, { POLYSYNC_SERVICEACCOUNT_DIR: join(dir, 'none') }))
      .toMatch(/^'connectionType: inCluster' needs variable KUBERNETES_SERVICE_HOST, variable KUBERNETES_SERVICE_PORT and a service-account token at .*\/none\/token\. kubelet sets/);
  });
});
