/**
 * auth-type in-cluster against the real local control plane: a real ServiceAccount token bound to
 * the README's minimal Role, laid out as kubelet lays it out (test/support/service-account-dir.ts).
 */
import { existsSync } from 'node:fs';
import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, describeConnection } from '../../src/connect.js';
import { parseRunSettings } from '../../src/core/parse-settings.js';
import { adminKubeConfig, createTestNamespace } from '../support/cluster.js';
import { limitedKubeConfig } from '../support/limited-identity.js';
import { readmeRole } from '../support/readme-role.js';
import { podEnv as podEnvOf, serviceAccountDir as serviceAccountDirOf, serviceAccountToken, type ServiceAccountDir } from '../support/service-account-dir.js';
import { runAction } from '../support/run-action.js';
import { annotationsOf, runStep, stagedAction } from '../support/runner-steps.js';
import { sourceCronJob } from '../support/sources.js';

let admin: KubeConfig;
let ns: string;
const dirs: ServiceAccountDir[] = [];

beforeAll(async () => {
  admin = adminKubeConfig();
  ns = await createTestNamespace('incluster');
  await admin.makeApiClient(BatchV1Api).createNamespacedCronJob({ namespace: ns, body: sourceCronJob('etl', { env: { SIM_LOG: 'hello from etl' } }) });
});
afterAll(() => {
  for (const d of dirs) d.remove();
});

const tokenFor = (name: string): Promise<string> => serviceAccountToken(admin, ns, name);
const podEnv = (dir: string): Record<string, string> => podEnvOf(admin, dir);
function serviceAccountDir(token: string): ServiceAccountDir {
  const sa = serviceAccountDirOf(admin, ns, token);
  dirs.push(sa);
  return sa;
}

it('auto chooses the pod\'s service account, runs with the README Role, and picks up a rotated token', async () => {
  await limitedKubeConfig(admin, ns, 'runner', readmeRole());
  await limitedKubeConfig(admin, ns, 'nobody', { metadata: {}, rules: [] });
  const first = await tokenFor('runner');
  const sa = serviceAccountDir(first);
  const env = podEnv(sa.dir);

  const settings = parseRunSettings((name) => ({ cronjob: 'etl', namespace: ns } as Record<string, string>)[name] ?? '', { env, fileExists: existsSync });
  expect(settings.auth).toEqual({ type: 'in-cluster', reason: `no Azure inputs and no kubeconfig, and this runner pod has a service-account token at ${sa.dir}/token` });
  const masked: string[] = [];
  const { kubeConfig } = await connect(settings, () => Promise.reject(new Error('no OIDC here')), (s) => masked.push(s), env);
  expect(describeConnection(settings, kubeConfig.getCurrentCluster()?.server)).toContain(`API server https://127.0.0.1:${env.KUBERNETES_SERVICE_PORT}: as the runner pod's service account`);

  const ok = await runAction(kubeConfig, { cronjob: 'etl', namespace: ns });
  expect(ok.error).toBeUndefined();
  expect(ok.reporter.outputs.status).toBe('Success');
  expect(ok.reporter.lines).toContain('hello from etl');
  expect(masked).toEqual([first]);

  // kubelet rotates to a token of an identity without the Role: the very next request uses it.
  const other = await tokenFor('nobody');
  sa.rotate(other);
  const refused = await runAction(kubeConfig, { cronjob: 'etl', namespace: ns });
  expect(refused.error?.message).toMatch(/403/);
  expect(refused.error?.message).toContain(`system:serviceaccount:${ns}:nobody`);

  const renewed = await tokenFor('runner');
  sa.rotate(renewed);
  const again = await runAction(kubeConfig, { cronjob: 'etl', namespace: ns });
  expect(again.reporter.outputs.status).toBe('Success');
  expect(masked).toEqual([first, other, renewed]);
});

it('runs from the action as the runner starts it in a pod, with no inputs but the Job and namespace', async () => {
  const token = await tokenFor('runner');
  const sa = serviceAccountDir(token);
  const action = stagedAction();
  try {
    const run = await runStep('main', { root: action.root, inputs: { cronjob: 'etl', namespace: ns }, env: { ...podEnv(sa.dir) } });
    expect(annotationsOf(run.commands).filter((a) => a.level === 'error')).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('Success');
    expect(run.stdout).toContain(`auth-type auto chose in-cluster: no Azure inputs and no kubeconfig, and this runner pod has a service-account token at ${sa.dir}/token.`);
    expect(run.commands).toContainEqual({ command: 'add-mask', properties: '', message: token });
    const post = await runStep('post', { root: action.root, inputs: { cronjob: 'etl', namespace: ns }, env: { ...podEnv(sa.dir) }, files: run.files });
    expect(post.code).toBe(0);
  } finally {
    action.dispose();
  }
});
