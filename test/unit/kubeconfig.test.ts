import { describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../src/kubernetes/kubeconfig.js';

const good = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: "Y2E="}}]
users: [{name: u, user: {token: s3cr3t-token-value}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

describe('loadKubeConfig', () => {
  it('masks every credential before anything can print it', () => {
    const masked: string[] = [];
    const kc = loadKubeConfig(good, {}, (s) => masked.push(s));
    expect(masked).toEqual(['s3cr3t-token-value']);
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
  });

  it('says where a broken kubeconfig is broken without quoting it', () => {
    const broken = `users: [{name: u, user: {token: "s3cr3t-token-value}}]\n  : : :`;
    expect(() => loadKubeConfig(broken, {}, () => undefined)).toThrow(/^Input 'kubeconfig' must be a kubeconfig \(YAML\); it could not be parsed/);
    try {
      loadKubeConfig(broken, {}, () => undefined);
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('s3cr3t');
      expect((err as Error).cause).toBeUndefined();
    }
  });

  it('without a kubeconfig input or KUBECONFIG names the three ways to connect', () => {
    expect(() => loadKubeConfig(undefined, { KUBECONFIG: '/nonexistent/kubeconfig' }, () => undefined)).toThrow(
      /No cluster to connect to: set the Azure inputs .* or input 'kubeconfig', or run a step that sets KUBECONFIG/,
    );
  });
});
