import { describe, expect, it } from 'vitest';
import { chooseAuto, type RunnerFacts } from '../../src/core/auth-type.js';
import { InputError } from '../../src/core/errors.js';
import type { InputName } from '../../src/core/names.js';
import { parseConnectionSettings } from '../../src/core/parse-settings.js';
import type { ConnectionSettings } from '../../src/core/settings.js';
import { describeConnection } from '../../src/connect.js';

type Inputs = Partial<Record<InputName, string>>;
const reader = (inputs: Inputs) => (name: InputName): string => inputs[name] ?? '';
const facts = (env: Record<string, string>, files: readonly string[] = []): RunnerFacts => ({ env, fileExists: (p) => files.includes(p) });

const GUID_A = '11111111-2222-3333-4444-555555555555';
const GUID_B = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const CLUSTER: Inputs = { 'subscription-id': GUID_A, 'resource-group': 'rg', 'cluster-name': 'aks' };
const SA = '/var/run/secrets/kubernetes.io/serviceaccount';
const POD = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
const WEBHOOK = {
  AZURE_CLIENT_ID: GUID_A, AZURE_TENANT_ID: GUID_B, AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
  AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/',
};
const AZURE_REST = { subscriptionId: GUID_A, resourceGroup: 'rg', clusterName: 'aks', environment: 'AzureCloud', admin: false, audience: 'api://AzureADTokenExchange', privateCluster: 'false' } as const;

function parseError(inputs: Inputs, f: RunnerFacts): string {
  try {
    parseConnectionSettings(reader(inputs), f);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('auth-type', () => {
  it.each<[string, Inputs, RunnerFacts, Omit<ConnectionSettings, 'namespace'>]>([
    ['auto in a pod with a service-account token: in-cluster', {}, facts(POD, [`${SA}/token`]), {
      connection: { kind: 'in-cluster', host: '10.0.0.1', port: '443', serviceAccountDir: SA },
      auth: { type: 'in-cluster', reason: `no Azure inputs and no kubeconfig, and this runner pod has a service-account token at ${SA}/token` },
    }],
    ['auto prefers a KUBECONFIG file over the pod token', {}, facts({ ...POD, KUBECONFIG: '/nope:/home/r/.kube/config' }, [`${SA}/token`, '/home/r/.kube/config']), {
      connection: { kind: 'kubeconfig', kubeconfig: undefined },
      auth: { type: 'kubeconfig', reason: 'KUBECONFIG names the file /home/r/.kube/config' },
    }],
    ['auto without the pod variables: not in-cluster', {}, facts({}, [`${SA}/token`]), {
      connection: { kind: 'kubeconfig', kubeconfig: undefined },
      auth: { type: 'kubeconfig', reason: 'no Azure inputs, no kubeconfig and no service-account token: only a KUBECONFIG file could do' },
    }],
    ['in-cluster with the test seam directory', { 'auth-type': 'in-cluster' }, facts({ ...POD, POLYSYNC_SERVICEACCOUNT_DIR: '/tmp/sa/' }, ['/tmp/sa/token']), {
      connection: { kind: 'in-cluster', host: '10.0.0.1', port: '443', serviceAccountDir: '/tmp/sa' },
      auth: { type: 'in-cluster', reason: undefined },
    }],
    ['workload-identity from the webhook variables', { ...CLUSTER, 'auth-type': 'Workload-Identity' }, facts(WEBHOOK), {
      connection: { kind: 'azure', signIn: { kind: 'workload-identity', tokenFile: WEBHOOK.AZURE_FEDERATED_TOKEN_FILE, authorityHost: 'https://login.microsoftonline.com' },
        clientId: GUID_A, tenantId: GUID_B, ...AZURE_REST },
      auth: { type: 'workload-identity', reason: undefined },
    }],
    ['workload-identity: the inputs override the variables', { ...CLUSTER, 'auth-type': 'workload-identity', 'client-id': GUID_B, 'tenant-id': 'contoso.onmicrosoft.com' }, facts(WEBHOOK), {
      connection: { kind: 'azure', signIn: { kind: 'workload-identity', tokenFile: WEBHOOK.AZURE_FEDERATED_TOKEN_FILE, authorityHost: 'https://login.microsoftonline.com' },
        clientId: GUID_B, tenantId: 'contoso.onmicrosoft.com', ...AZURE_REST },
      auth: { type: 'workload-identity', reason: undefined },
    }],
    ['managed-identity, system-assigned', { ...CLUSTER, 'auth-type': 'managed-identity' }, facts({}), {
      connection: { kind: 'azure', signIn: { kind: 'managed-identity' }, clientId: '', tenantId: '', ...AZURE_REST },
      auth: { type: 'managed-identity', reason: undefined },
    }],
    ['managed-identity, user-assigned, the webhook variables ignored', { ...CLUSTER, 'auth-type': 'managed-identity', 'client-id': GUID_B }, facts(WEBHOOK), {
      connection: { kind: 'azure', signIn: { kind: 'managed-identity' }, clientId: GUID_B, tenantId: '', ...AZURE_REST },
      auth: { type: 'managed-identity', reason: undefined },
    }],
    ['oidc named explicitly', { ...CLUSTER, 'auth-type': 'oidc', 'client-id': GUID_A, 'tenant-id': GUID_B }, facts(WEBHOOK), {
      connection: { kind: 'azure', signIn: { kind: 'oidc' }, clientId: GUID_A, tenantId: GUID_B, ...AZURE_REST },
      auth: { type: 'oidc', reason: undefined },
    }],
    ['kubeconfig named explicitly in a pod', { 'auth-type': 'kubeconfig' }, facts(POD, [`${SA}/token`]), {
      connection: { kind: 'kubeconfig', kubeconfig: undefined },
      auth: { type: 'kubeconfig', reason: undefined },
    }],
  ])('%s', (_, inputs, f, expected) => {
    expect(parseConnectionSettings(reader(inputs), f)).toEqual({ namespace: 'default', ...expected });
  });

  const label = '. The Azure Workload Identity webhook sets AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID and AZURE_TENANT_ID only in pods labelled azure.workload.identity/use: "true" whose service account is annotated azure.workload.identity/client-id: this runner pod likely lacks the label (for ARC, in the runner template\'s metadata.labels).';
  const pod = '. kubelet sets the variables and mounts the token in every pod whose service account (or pod spec) does not set automountServiceAccountToken: false; is this step running in a pod?';
  it.each<[string, Inputs, RunnerFacts, string]>([
    ['unknown auth-type', { 'auth-type': 'identity' }, facts({}), "Input 'auth-type' must be one of auto, oidc, workload-identity, managed-identity, in-cluster, kubeconfig; got 'identity'."],
    ['workload-identity outside a labelled pod', { ...CLUSTER, 'auth-type': 'workload-identity' }, facts({}),
      `'auth-type: workload-identity' needs input 'client-id' or variable AZURE_CLIENT_ID, input 'tenant-id' or variable AZURE_TENANT_ID and variable AZURE_FEDERATED_TOKEN_FILE${label}`],
    ['workload-identity without the token file but with ids', { ...CLUSTER, 'auth-type': 'workload-identity', 'client-id': GUID_A, 'tenant-id': GUID_B }, facts({}),
      `'auth-type: workload-identity' needs variable AZURE_FEDERATED_TOKEN_FILE${label}`],
    ['workload-identity without the cluster', { 'auth-type': 'workload-identity', 'cluster-name': 'aks' }, facts(WEBHOOK),
      "'auth-type: workload-identity' needs input 'subscription-id' and input 'resource-group'."],
    ['workload-identity with a kubeconfig and an audience', { ...CLUSTER, 'auth-type': 'workload-identity', kubeconfig: 'x', audience: 'api://other' }, facts(WEBHOOK),
      ["2 inputs are invalid:", "- Input 'kubeconfig' cannot be used with 'auth-type: workload-identity'; remove it.", "- Input 'audience' cannot be used with 'auth-type: workload-identity'; remove it."].join('\n')],
    ['workload-identity with a bad client id variable', { ...CLUSTER, 'auth-type': 'workload-identity' }, facts({ ...WEBHOOK, AZURE_CLIENT_ID: 'nope' }),
      "Variable AZURE_CLIENT_ID must be a GUID like '00000000-0000-0000-0000-000000000000'; got 'nope'."],
    ['workload-identity with a bad client-id input over a good variable', { ...CLUSTER, 'auth-type': 'workload-identity', 'client-id': 'my-app' }, facts(WEBHOOK),
      "Input 'client-id' must be a GUID like '00000000-0000-0000-0000-000000000000'; got 'my-app'."],
    ['managed-identity with a tenant', { ...CLUSTER, 'auth-type': 'managed-identity', 'tenant-id': GUID_B }, facts({}),
      "Input 'tenant-id' cannot be used with 'auth-type: managed-identity'; remove it."],
    ['managed-identity without the cluster', { 'auth-type': 'managed-identity' }, facts({}),
      "'auth-type: managed-identity' needs input 'subscription-id', input 'resource-group' and input 'cluster-name'."],
    ['in-cluster outside a pod', { 'auth-type': 'in-cluster' }, facts({}),
      `'auth-type: in-cluster' needs variable KUBERNETES_SERVICE_HOST, variable KUBERNETES_SERVICE_PORT and a service-account token at ${SA}/token${pod}`],
    ['in-cluster without the token (automount off)', { 'auth-type': 'in-cluster' }, facts(POD),
      `'auth-type: in-cluster' needs a service-account token at ${SA}/token${pod}`],
    ['in-cluster with Azure inputs and a kubeconfig', { 'auth-type': 'in-cluster', kubeconfig: 'x', 'cluster-name': 'aks' }, facts(POD, [`${SA}/token`]),
      "Inputs 'kubeconfig', 'cluster-name' cannot be used with 'auth-type: in-cluster'; remove them."],
    ['kubeconfig with Azure inputs', { 'auth-type': 'kubeconfig', 'client-id': GUID_A }, facts({}),
      "Input 'client-id' cannot be used with 'auth-type: kubeconfig'; remove it."],
    ['auto with the cluster inputs in a workload-identity pod', { ...CLUSTER }, facts(WEBHOOK),
      "Azure sign-in needs all of 'client-id', 'tenant-id', 'subscription-id', 'resource-group', 'cluster-name'; missing 'client-id', 'tenant-id' (given: 'subscription-id', 'resource-group', 'cluster-name'). AZURE_FEDERATED_TOKEN_FILE is set: for Azure Workload Identity set 'auth-type: workload-identity', which takes the ids from the webhook's variables."],
    ['oidc without the Azure inputs', { 'auth-type': 'oidc' }, facts(WEBHOOK),
      "Azure sign-in needs all of 'client-id', 'tenant-id', 'subscription-id', 'resource-group', 'cluster-name'; missing 'client-id', 'tenant-id', 'subscription-id', 'resource-group', 'cluster-name' (given: )."],
  ])('%s', (_, inputs, f, message) => {
    expect(parseError(inputs, f)).toBe(message);
  });

  it('auto keeps the Azure inputs first, as before auth-type existed', () => {
    expect(chooseAuto({ azureInputs: ['cluster-name'], kubeconfigInput: false }, facts(POD, [`${SA}/token`])))
      .toEqual({ type: 'oidc', reason: "Azure inputs 'cluster-name' are set" });
  });
});

describe('describeConnection', () => {
  it('says which way auto chose and why, and who signed in', () => {
    const settings = parseConnectionSettings(reader({}), facts(POD, [`${SA}/token`]));
    expect(describeConnection(settings, 'https://10.0.0.1:443')).toBe(
      `API server https://10.0.0.1:443: as the runner pod's service account (${SA}/token); auth-type auto chose in-cluster: no Azure inputs and no kubeconfig, and this runner pod has a service-account token at ${SA}/token.`,
    );
    const mi = parseConnectionSettings(reader({ ...CLUSTER, 'auth-type': 'managed-identity' }), facts({}));
    expect(describeConnection(mi, 'https://aks:443')).toBe(
      "API server https://aks:443: AKS cluster aks (resource group rg), signed in as the system-assigned managed identity through the VM's managed identity (IMDS); auth-type managed-identity.",
    );
  });

  it('says what chose the way when it was not auth-type (the Azure DevOps task)', () => {
    const settings = parseConnectionSettings(reader({ kubeconfig: 'k' }), facts({}));
    expect(describeConnection(settings, 'https://10.0.0.1:443', 'connectionType kubernetesServiceConnection.'))
      .toBe("API server https://10.0.0.1:443: from input 'kubeconfig'; connectionType kubernetesServiceConnection.");
  });
});
