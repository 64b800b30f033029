/** Service connections as the agent passes them → the core's inputs, or a message that says what to change. */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { readAzureRmConnection, readKubernetesConnection, type EndpointReader } from '../../src/azure-devops/service-connection.js';

interface Endpoint { scheme?: string; auth?: Record<string, string>; data?: Record<string, string>; url?: string }

/** task-lib's lookups: auth and data keys are upper-cased into env names, so lookups ignore case. */
function endpoints(all: Record<string, Endpoint>): EndpointReader {
  const find = (map: Record<string, string> | undefined, key: string): string | undefined =>
    Object.entries(map ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  return {
    scheme: (id) => all[id]?.scheme,
    authParameter: (id, key) => find(all[id]?.auth, key),
    dataParameter: (id, key) => find(all[id]?.data, key),
    url: (id) => all[id]?.url,
  };
}

const SC = '6f1c9a53-0d3e-4a51-9c0e-3c7d2b7f5a11';
const wif: Endpoint = {
  scheme: 'WorkloadIdentityFederation',
  auth: { tenantid: 'tenant-guid', serviceprincipalid: 'client-guid', workloadIdentityFederationSubject: 'sc://org/proj/aks' },
  data: { subscriptionId: 'sub-guid', environment: 'AzureUSGovernment', scopeLevel: 'Subscription', activeDirectoryAuthority: 'https://login.microsoftonline.us/' },
  url: 'https://management.usgovcloudapi.net/',
};

describe('readAzureRmConnection', () => {
  it('takes tenant and client from the authorization, subscription and cloud from the data, endpoints from the connection', () => {
    expect(readAzureRmConnection(SC, endpoints({ [SC]: wif }))).toEqual({
      id: SC,
      inputs: { 'client-id': 'client-guid', 'tenant-id': 'tenant-guid', 'subscription-id': 'sub-guid', 'azure-environment': 'AzureUSGovernment' },
      endpoints: { resourceManager: 'https://management.usgovcloudapi.net/', authorityHost: 'https://login.microsoftonline.us/' },
    });
  });

  it('leaves the cloud and endpoints to the defaults when the connection states none', () => {
    const bare = { scheme: 'workloadidentityfederation', auth: wif.auth, data: { subscriptionid: 'sub-guid' } };
    expect(readAzureRmConnection(SC, endpoints({ [SC]: bare }))).toEqual({
      id: SC, inputs: { 'client-id': 'client-guid', 'tenant-id': 'tenant-guid', 'subscription-id': 'sub-guid' }, endpoints: {},
    });
  });

  it.each<[string, string | undefined, Record<string, Endpoint>, RegExp]>([
    ['no connection named', '', {}, /^Input 'azureSubscription' is required: name an Azure Resource Manager service connection that uses workload identity federation\.$/],
    ['a connection the agent did not pass', SC, {}, /^Service connection '.*' \(input 'azureSubscription'\) reached the task without authorization details/],
    ['a client secret', SC, { [SC]: { ...wif, scheme: 'ServicePrincipal' } },
      /authenticates with a client secret or certificate \(scheme ServicePrincipal\); this task signs in only with workload identity federation .*Convert the connection/],
    ['a managed identity', SC, { [SC]: { ...wif, scheme: 'ManagedServiceIdentity' } }, /authenticates with the agent's managed identity \(scheme ManagedServiceIdentity\)/],
    ['no tenant', SC, { [SC]: { ...wif, auth: { serviceprincipalid: 'c' } } }, /has no tenantid in its authorization parameters/],
    ['a management group scope', SC, { [SC]: { ...wif, data: { scopeLevel: 'ManagementGroup' } } },
      /is scoped to a ManagementGroup, and has no subscription: use a connection scoped to the subscription of the AKS cluster\.$/],
  ])('refuses %s', (_, id, all, message) => {
    const error = (() => { try { readAzureRmConnection(id, endpoints(all)); } catch (e) { return e; } return undefined; })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(message);
    expect((error as InputError).inputs).toEqual(['azureSubscription']);
  });
});

describe('readKubernetesConnection', () => {
  const kubeconfig = [
    'apiVersion: v1', 'kind: Config', 'current-context: a',
    'clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: Q0E=}}]',
    'users: [{name: u, user: {token: t0ken}}]',
    'contexts: [{name: a, context: {cluster: c, user: u}}, {name: b, context: {cluster: c, user: u, namespace: x}}]',
  ].join('\n');

  it('returns a Kubeconfig connection as given, with its cluster context selected', () => {
    const doc: unknown = parse(readKubernetesConnection('k', endpoints({ k: { data: { authorizationType: 'Kubeconfig' }, auth: { kubeconfig, clusterContext: 'b' } } })));
    expect(doc).toEqual({ ...(parse(kubeconfig) as object), 'current-context': 'b' });
  });

  it('builds a kubeconfig from a ServiceAccount connection (base64 token, CA as given)', () => {
    const sa = { data: { authorizationType: 'ServiceAccount' }, url: 'https://aks.example:443', auth: { apiToken: Buffer.from('sa-token').toString('base64'), serviceAccountCertificate: 'Q0E=' } };
    expect(parse(readKubernetesConnection('k', endpoints({ k: sa })))).toEqual({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'service-connection',
      clusters: [{ name: 'service-connection', cluster: { server: 'https://aks.example:443', 'certificate-authority-data': 'Q0E=' } }],
      users: [{ name: 'service-connection', user: { token: 'sa-token' } }],
      contexts: [{ name: 'service-connection', context: { cluster: 'service-connection', user: 'service-connection' } }],
    });
  });

  it('honours "Accept untrusted certificates"', () => {
    const doc = parse(readKubernetesConnection('k', endpoints({ k: { data: { acceptUntrustedCerts: 'true' }, auth: { kubeconfig } } }))) as { clusters: unknown };
    expect(doc.clusters).toEqual([{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', 'insecure-skip-tls-verify': true } }]);
  });

  it('reports invalid YAML by position only, never quoting the credentials', () => {
    const broken = 'users:\n  - name: u\n    user: {token: s3cret-token\n';
    const error = (() => { try { readKubernetesConnection('k', endpoints({ k: { auth: { kubeconfig: broken } } })); } catch (e) { return e as Error; } return undefined; })();
    expect(error?.message).toMatch(/^Service connection 'k' \(input 'kubernetesServiceConnection'\) holds a kubeconfig that is not valid YAML \(line \d+, column \d+\)/);
    expect(error?.message).not.toContain('s3cret');
  });

  it.each<[string, Endpoint, RegExp]>([
    ['no kubeconfig', { data: { authorizationType: 'Kubeconfig' } }, /has no kubeconfig/],
    ['an unknown authorization type', { data: { authorizationType: 'Oidc' }, auth: { kubeconfig } }, /uses authorization type 'Oidc'; supported are Kubeconfig, ServiceAccount and AzureSubscription\./],
    ['a service account without its token', { data: { authorizationType: 'ServiceAccount' }, url: 'https://x' }, /lacks its token/],
  ])('refuses %s', (_, endpoint, message) => {
    expect(() => readKubernetesConnection('k', endpoints({ k: endpoint }))).toThrow(message);
  });
});
