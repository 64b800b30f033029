import { HttpMethod, RequestContext, type User } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AKS_SERVER_APP_ID, buildAksKubeConfig, classifyAksUser } from '../../src/azure/kubeconfig.js';

const kubelogin = (args: string[]): Record<string, unknown> => ({
  exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args, env: null, provideClusterInfo: false },
});
const aksKubeconfig = (user: Record<string, unknown>): string =>
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'aks-1', cluster: { server: 'https://aks-1.hcp.westeurope.azmk8s.io:443', 'certificate-authority-data': 'Q0E=' } }],
    contexts: [{ name: 'aks-1', context: { cluster: 'aks-1', user: 'clusterUser_rg_aks-1', namespace: 'jobs' } }],
    'current-context': 'aks-1',
    users: [{ name: 'clusterUser_rg_aks-1', user }],
  });

describe('classifyAksUser', () => {
  const customId = '11111111-2222-3333-4444-555555555555';
  it.each<[string, Partial<User> | null, ReturnType<typeof classifyAksUser>]>([
    ['exec kubelogin', { exec: kubelogin(['get-token', '--server-id', customId])['exec'] }, { kind: 'entra', serverId: customId }],
    ['exec kubelogin --server-id=', { exec: { command: '/usr/local/bin/kubelogin', args: [`--server-id=${customId}`] } }, { kind: 'entra', serverId: customId }],
    ['exec kubelogin.exe without server id', { exec: { command: 'C:\\bin\\kubelogin.exe', args: ['get-token'] } }, { kind: 'entra', serverId: AKS_SERVER_APP_ID }],
    ['auth-provider azure', { authProvider: { name: 'azure', config: { 'apiserver-id': customId } } }, { kind: 'entra', serverId: customId }],
    ['auth-provider azure without apiserver-id', { authProvider: { name: 'azure', config: {} } }, { kind: 'entra', serverId: AKS_SERVER_APP_ID }],
    ['client certificate', { certData: 'Y2VydA==', keyData: 'a2V5' }, { kind: 'local' }],
    ['another exec plugin', { exec: { command: 'aws', args: ['eks', 'get-token'] } }, { kind: 'local' }],
    ['no user', null, { kind: 'local' }],
  ])('%s', (_name, user, expected) => {
    expect(classifyAksUser(user === null ? null : { name: 'u', ...user })).toEqual(expected);
  });
});

describe('buildAksKubeConfig', () => {
  it('keeps the cluster and namespace and replaces a kubelogin user with the Entra authenticator', async () => {
    const scopes: string[] = [];
    const { kubeConfig, user } = buildAksKubeConfig(
      aksKubeconfig(kubelogin(['get-token', '--environment', 'AzurePublicCloud', '--server-id', AKS_SERVER_APP_ID, '--login', 'devicecode'])),
      (scope) => {
        scopes.push(scope);
        return Promise.resolve(`token-${scopes.length}`);
      },
      () => {},
    );
    expect(user).toEqual({ kind: 'entra', serverId: AKS_SERVER_APP_ID });
    expect(kubeConfig.getCurrentCluster()).toEqual({
      name: 'aks-1', server: 'https://aks-1.hcp.westeurope.azmk8s.io:443', caData: 'Q0E=', caFile: undefined,
      skipTLSVerify: false, tlsServerName: undefined, proxyUrl: undefined,
    });
    expect(kubeConfig.getContextObject(kubeConfig.getCurrentContext())).toEqual({ name: 'aks-1', cluster: 'aks-1', user: 'clusterUser_rg_aks-1', namespace: 'jobs' });
    expect(kubeConfig.getCurrentUser()).toEqual({
      name: 'clusterUser_rg_aks-1', authProvider: { name: 'polysync-entra', config: { 'server-id': AKS_SERVER_APP_ID } },
    });

    // Every request asks for a token: the credential's cache decides whether it is a new one.
    const headers: Array<Record<string, string>> = [];
    for (let i = 0; i < 2; i++) {
      const ctx = new RequestContext('https://aks-1.hcp.westeurope.azmk8s.io:443/api/v1/namespaces/jobs', HttpMethod.GET);
      await kubeConfig.applySecurityAuthentication(ctx);
      headers.push(ctx.getHeaders());
    }
    expect(headers.map((h) => h['Authorization'])).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(scopes).toEqual([`${AKS_SERVER_APP_ID}/.default`, `${AKS_SERVER_APP_ID}/.default`]);
  });

  it('uses a local-account kubeconfig as given and masks its secrets', async () => {
    const masked: string[] = [];
    const { kubeConfig, user } = buildAksKubeConfig(
      aksKubeconfig({ 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5', token: 'static-token' }),
      () => Promise.reject(new Error('no Entra token for a local account')),
      (s) => masked.push(s),
    );
    expect(user).toEqual({ kind: 'local' });
    expect(masked).toEqual(['static-token', 'a2V5']);
    const ctx = new RequestContext('https://aks-1.hcp.westeurope.azmk8s.io:443/api', HttpMethod.GET);
    await kubeConfig.applySecurityAuthentication(ctx);
    expect(ctx.getHeaders()['Authorization']).toBe('Bearer static-token');
  });

  it('says when the kubeconfig has no usable context', () => {
    expect(() => buildAksKubeConfig('apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n', () => Promise.resolve(''), () => {})).toThrow(
      'The kubeconfig ARM returned has no current context with a cluster.',
    );
  });
});
