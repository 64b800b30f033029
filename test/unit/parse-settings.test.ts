import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { InputName } from '../../src/core/names.js';
import { parseConnectionSettings, parseRunSettings } from '../../src/core/parse-settings.js';
import type { RunSettings } from '../../src/core/settings.js';

type Inputs = Partial<Record<InputName, string>>;
/** Like core.getInput: '' for anything not given. */
const reader = (inputs: Inputs) => (name: InputName): string => inputs[name] ?? '';

const GUID_A = '11111111-2222-3333-4444-555555555555';
const GUID_B = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const AZURE: Inputs = {
  'client-id': GUID_A, 'tenant-id': GUID_B, 'subscription-id': GUID_A, 'resource-group': 'rg-prod', 'cluster-name': 'aks-1',
};

const NOTHING = 'no Azure inputs, no kubeconfig and no service-account token: only a KUBECONFIG file could do';
const AZURE_REASON = "Azure inputs 'client-id', 'tenant-id', 'subscription-id', 'resource-group', 'cluster-name' are set";

/** Every setting when only `job` is given: the defaults of action.yml. */
const DEFAULT_RUN: RunSettings = {
  namespace: 'default',
  connection: { kind: 'kubeconfig', kubeconfig: undefined },
  auth: { type: 'kubeconfig', reason: NOTHING },
  source: { kind: 'Job', name: 'export' },
  params: [],
  secretParams: [],
  allowNewParams: false,
  timeoutSeconds: undefined,
  image: undefined,
  container: undefined,
  queue: undefined,
  ignoreSidecars: false,
  wait: true,
  followLogs: true,
  dryRun: false,
  fallback: undefined,
  ttlSecondsAfterFinished: undefined,
  imagePullGraceSeconds: 120,
  maxLogStreams: 8,
  concurrency: 'Allow',
  attach: undefined,
};

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseRunSettings', () => {
  it.each<[string, Inputs, Partial<RunSettings>]>([
    ['only job: defaults', { job: 'export' }, {}],
    ['cronjob', { cronjob: 'nightly.report' }, { source: { kind: 'CronJob', name: 'nightly.report' } }],
    ['every run input', {
      job: 'export', namespace: 'team-a', params: '{"TARGET": "prod", "N": 3}', 'allow-new-params': 'TRUE', timeout: '1h30m',
      image: 'ghcr.io/org/app:2', wait: 'False', 'follow-logs': 'false', 'dry-run': 'true', 'fallback-image': 'busybox:1.36',
      'fallback-command': '["sh","-c"]', 'fallback-args': '["echo hi"]', 'ttl-seconds-after-finished': '0',
      'image-pull-grace-period': '90s', 'max-log-streams': '2', kubeconfig: 'apiVersion: v1\n',
    }, {
      namespace: 'team-a', params: [['TARGET', 'prod'], ['N', '3']], allowNewParams: true, timeoutSeconds: 5400,
      image: 'ghcr.io/org/app:2', wait: false, followLogs: false, dryRun: true,
      fallback: { image: 'busybox:1.36', command: ['sh', '-c'], args: ['echo hi'] }, ttlSecondsAfterFinished: 0,
      imagePullGraceSeconds: 90, maxLogStreams: 2, connection: { kind: 'kubeconfig', kubeconfig: 'apiVersion: v1' },
      auth: { type: 'kubeconfig', reason: "input 'kubeconfig' is set" },
    }],
    ['concurrency, any case', { job: 'export', concurrency: 'forbid' }, { concurrency: 'Forbid' }],
    ['concurrency Replace', { cronjob: 'etl', concurrency: 'Replace' }, { source: { kind: 'CronJob', name: 'etl' }, concurrency: 'Replace' }],
    ['queue', { job: 'export', queue: 'team-a-batch' }, { source: { kind: 'Job', name: 'export' }, queue: 'team-a-batch' }],
    ['container', { job: 'export', container: 'etl' }, { source: { kind: 'Job', name: 'export' }, container: 'etl' }],
    ['attach', { attach: 'export-x2b4c' }, { source: { kind: 'Job', name: '' }, attach: 'export-x2b4c' }],
    ['attach with a timeout and the default params', { attach: 'export-x2b4c', timeout: '10m', params: '{}', concurrency: 'Allow' },
      { source: { kind: 'Job', name: '' }, attach: 'export-x2b4c', timeoutSeconds: 600 }],
    ['values are trimmed', { job: ' export ', timeout: ' 30m ', 'ttl-seconds-after-finished': ' 86400 ' }, { timeoutSeconds: 1800, ttlSecondsAfterFinished: 86400 }],
    ['fallback image alone', { job: 'export', 'fallback-image': 'busybox' }, { fallback: { image: 'busybox', command: [], args: [] } }],
    ['Azure sign-in with defaults', AZURE_JOB(), {
      connection: {
        kind: 'azure', signIn: { kind: 'oidc' }, clientId: GUID_A, tenantId: GUID_B, subscriptionId: GUID_A, resourceGroup: 'rg-prod', clusterName: 'aks-1',
        environment: 'AzureCloud', admin: false, audience: 'api://AzureADTokenExchange', privateCluster: 'false',
      },
      auth: { type: 'oidc', reason: AZURE_REASON },
    }],
    ['Azure sign-in with every option', { ...AZURE_JOB(), 'tenant-id': 'contoso.onmicrosoft.com', 'resource-group': 'Rg_(Prod).1', 'azure-environment': 'azureusgovernment', admin: 'true', audience: 'api://custom', 'private-cluster': 'Auto' }, {
      connection: {
        kind: 'azure', signIn: { kind: 'oidc' }, clientId: GUID_A, tenantId: 'contoso.onmicrosoft.com', subscriptionId: GUID_A, resourceGroup: 'Rg_(Prod).1', clusterName: 'aks-1',
        environment: 'AzureUSGovernment', admin: true, audience: 'api://custom', privateCluster: 'auto',
      },
      auth: { type: 'oidc', reason: `${AZURE_REASON.replace(' are set', '')}, 'azure-environment', 'admin', 'audience' are set` },
    }],
  ])('%s', (_, inputs, overrides) => {
    expect(parseRunSettings(reader(inputs))).toEqual({ ...DEFAULT_RUN, ...overrides });
  });

  const label = "a DNS-1123 label (at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit)";
  const subdomain = "a DNS-1123 subdomain (at most 253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit)";
  const duration = "a duration like '30m', '90s' or '2h'";
  it.each<[string, Inputs, string]>([
    ['neither job nor cronjob', {}, "Set exactly one of inputs 'job' (a Job to clone), 'cronjob' (a CronJob to run now) and 'attach' (a run to follow); got none."],
    ['both job and cronjob', { job: 'a', cronjob: 'b' }, "Inputs 'job' and 'cronjob' exclude each other; set exactly one. Got job 'a' and cronjob 'b'."],
    ['job, cronjob and attach', { job: 'a', cronjob: 'b', attach: 'c' }, "Inputs 'job', 'cronjob' and 'attach' exclude each other; set exactly one. Got job 'a', cronjob 'b' and attach 'c'."],
    ['job and attach', { job: 'a', attach: 'a-x2b4c' }, "Inputs 'job' and 'attach' exclude each other; set exactly one. Got job 'a' and attach 'a-x2b4c'."],
    ['attach name not a DNS subdomain', { attach: 'Run_1' }, `Input 'attach' must be ${subdomain}; got 'Run_1'.`],
    ['attach with inputs that shape a new run', { attach: 'a-x2b4c', params: '{"A":"1"}', image: 'app:2', container: 'app', queue: 'q', 'dry-run': 'true', wait: 'false', concurrency: 'Forbid' },
      "Input 'attach' follows a run that already exists, so 'params', 'image', 'container', 'queue', 'dry-run', 'wait', 'concurrency' cannot apply to it; remove them."],
    ['queue name with a slash', { job: 'x', queue: 'team/a' },
      "Input 'queue' must be a Kueue LocalQueue name in the Job's namespace (a DNS-1123 label, like 'team-a-batch'); got 'team/a'."],
    ['container name with upper case', { job: 'x', container: 'App' },
      "Input 'container' must be a container name of the source's pod template (a DNS-1123 label, like 'app'); got 'App'."],
    ['unknown concurrency', { job: 'x', concurrency: 'Skip' }, "Input 'concurrency' must be one of Allow, Forbid, Replace; got 'Skip'."],
    ['upper-case job name', { job: 'Export' }, `Input 'job' must be ${subdomain}; got 'Export'.`],
    ['job name with underscore', { job: 'my_job' }, `Input 'job' must be ${subdomain}; got 'my_job'.`],
    ['job name ending in dot', { cronjob: 'nightly.' }, `Input 'cronjob' must be ${subdomain}; got 'nightly.'.`],
    ['254-character job name', { job: 'a'.repeat(254) }, `Input 'job' must be ${subdomain}; got '${'a'.repeat(80)}…'.`],
    ['namespace with a dot', { job: 'x', namespace: 'team.a' }, `Input 'namespace' must be ${label}; got 'team.a'.`],
    ['64-character namespace', { job: 'x', namespace: 'n'.repeat(64) }, `Input 'namespace' must be ${label}; got '${'n'.repeat(64)}'.`],
    ['bad timeout', { job: 'x', timeout: 'abc' }, `Input 'timeout' must be ${duration}; got 'abc'.`],
    ['zero timeout', { job: 'x', timeout: '0m' }, "Input 'timeout' must be a duration longer than zero, like '30m'; got '0m'."],
    ['bare-number grace period', { job: 'x', 'image-pull-grace-period': '120' }, `Input 'image-pull-grace-period' must be ${duration}; got '120'.`],
    ['yes for a boolean', { job: 'x', wait: 'yes' }, "Input 'wait' must be 'true' or 'false'; got 'yes'."],
    ['negative ttl', { job: 'x', 'ttl-seconds-after-finished': '-1' }, "Input 'ttl-seconds-after-finished' must be a whole number of seconds, 0 or more; got '-1'."],
    ['zero log streams', { job: 'x', 'max-log-streams': '0' }, "Input 'max-log-streams' must be a whole number, 1 or more; got '0'."],
    ['fractional log streams', { job: 'x', 'max-log-streams': '1.5' }, "Input 'max-log-streams' must be a whole number, 1 or more; got '1.5'."],
    ['image with a space', { job: 'x', image: 'app :1' }, "Input 'image' must be an image reference without spaces, like 'ghcr.io/org/app:1.2'; got 'app :1'."],
    ['fallback command not JSON', { job: 'x', 'fallback-image': 'busybox', 'fallback-command': 'sh -c' }, `Input 'fallback-command' must be a JSON array of strings like '["sh","-c"]'; got 'sh -c'.`],
    ['fallback args with a number', { job: 'x', 'fallback-image': 'busybox', 'fallback-args': '["a", 1]' }, `Input 'fallback-args' must be a JSON array of strings like '["sh","-c"]'; got '["a", 1]'.`],
    ['fallback command without image', { job: 'x', 'fallback-command': '["sh"]' }, "Input 'fallback-command' needs 'fallback-image': set it, or remove it."],
    ['fallback command and args without image', { job: 'x', 'fallback-command': '["sh"]', 'fallback-args': '["x"]' }, "Inputs 'fallback-command' and 'fallback-args' need 'fallback-image': set it, or remove them."],
    ['fallback with a cronjob', { cronjob: 'x', 'fallback-image': 'busybox' }, "Input 'fallback-image' applies to a 'job' source only (seed 000's fallback when the Job was deleted); remove it when using 'cronjob'."],
    ['malformed params', { job: 'x', params: '{"A":' }, `Input 'params' must be a JSON object like '{"NAME": "value"}'; got invalid JSON at line 1, column 6: expected a value, got the end of the text.`],
    ['kubeconfig with Azure inputs', { job: 'x', kubeconfig: 'apiVersion: v1', 'client-id': GUID_A, 'cluster-name': 'aks' },
      "Input 'kubeconfig' cannot be combined with the Azure sign-in inputs 'client-id', 'cluster-name': use a kubeconfig or Azure sign-in, not both."],
    ['kubeconfig with admin', { job: 'x', kubeconfig: 'apiVersion: v1', admin: 'true' },
      "Input 'kubeconfig' cannot be combined with the Azure sign-in inputs 'admin': use a kubeconfig or Azure sign-in, not both."],
    ['partial Azure inputs', { job: 'x', 'client-id': GUID_A, 'resource-group': 'rg' },
      "Azure sign-in needs all of 'client-id', 'tenant-id', 'subscription-id', 'resource-group', 'cluster-name'; missing 'tenant-id', 'subscription-id', 'cluster-name' (given: 'client-id', 'resource-group')."],
    ['an Azure option alone', { job: 'x', 'azure-environment': 'AzureChinaCloud' },
      "Azure sign-in needs all of 'client-id', 'tenant-id', 'subscription-id', 'resource-group', 'cluster-name'; missing 'client-id', 'tenant-id', 'subscription-id', 'resource-group', 'cluster-name' (given: 'azure-environment')."],
    ['client id not a GUID', { ...AZURE_JOB(), 'client-id': 'my-app' }, "Input 'client-id' must be a GUID like '00000000-0000-0000-0000-000000000000'; got 'my-app'."],
    ['tenant id neither GUID nor domain', { ...AZURE_JOB(), 'tenant-id': 'contoso' }, "Input 'tenant-id' must be a GUID or a domain like 'contoso.onmicrosoft.com'; got 'contoso'."],
    ['resource group ending in dot', { ...AZURE_JOB(), 'resource-group': 'rg.' }, "Input 'resource-group' must be a resource group name (1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending with '.'); got 'rg.'."],
    ['cluster name with a dot', { ...AZURE_JOB(), 'cluster-name': 'aks.1' }, "Input 'cluster-name' must be an AKS cluster name (1 to 63 letters, digits, '-' or '_', starting and ending with a letter or digit); got 'aks.1'."],
    ['unknown cloud', { ...AZURE_JOB(), 'azure-environment': 'AzureGermanCloud' }, "Input 'azure-environment' must be one of AzureCloud, AzureUSGovernment, AzureChinaCloud; got 'AzureGermanCloud'."],
    ['private-cluster not a mode', { ...AZURE_JOB(), 'private-cluster': 'yes' },
      "Input 'private-cluster' must be 'false' (the API server directly), 'true' (through AKS runCommand) or 'auto' (runCommand when the API server is private and out of reach); got 'yes'."],
    ['private-cluster with a kubeconfig', { job: 'x', kubeconfig: 'apiVersion: v1', 'private-cluster': 'true' },
      "Input 'private-cluster' is 'true', but reaching a private cluster through AKS runCommand needs Azure sign-in ('auth-type' oidc, workload-identity or managed-identity, with 'subscription-id', 'resource-group', 'cluster-name'); with 'auth-type: kubeconfig' it must be 'false' (or left out)."],
  ])('%s', (_, inputs, message) => {
    expect(messageOf(() => parseRunSettings(reader(inputs)))).toBe(message);
  });

  it('reports every bad input in one error, the source first', () => {
    const inputs: Inputs = { namespace: 'Team', timeout: 'soon', wait: 'maybe', params: '[]' };
    let error: unknown;
    try {
      parseRunSettings(reader(inputs));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    expect([e.message, e.inputs]).toEqual([
      [
        '5 inputs are invalid:',
        "- Set exactly one of inputs 'job' (a Job to clone), 'cronjob' (a CronJob to run now) and 'attach' (a run to follow); got none.",
        `- Input 'namespace' must be ${label}; got 'Team'.`,
        `- Input 'params' must be a JSON object like '{"NAME": "value"}'; got a JSON array.`,
        `- Input 'timeout' must be ${duration}; got 'soon'.`,
        "- Input 'wait' must be 'true' or 'false'; got 'maybe'.",
      ].join('\n'),
      ['job', 'cronjob', 'attach', 'namespace', 'params', 'timeout', 'wait'],
    ]);
  });
});

describe('parseConnectionSettings', () => {
  it.each<[string, Inputs, ReturnType<typeof parseConnectionSettings>]>([
    ['nothing: default namespace, the runner\'s KUBECONFIG', {}, { namespace: 'default', connection: { kind: 'kubeconfig', kubeconfig: undefined }, auth: { type: 'kubeconfig', reason: NOTHING } }],
    ['ignores run inputs', { namespace: 'ops', job: 'BAD NAME', timeout: 'x' }, { namespace: 'ops', connection: { kind: 'kubeconfig', kubeconfig: undefined }, auth: { type: 'kubeconfig', reason: NOTHING } }],
    ['Azure China', { ...AZURE, 'azure-environment': 'AZURECHINACLOUD' }, {
      namespace: 'default',
      connection: {
        kind: 'azure', signIn: { kind: 'oidc' }, clientId: GUID_A, tenantId: GUID_B, subscriptionId: GUID_A, resourceGroup: 'rg-prod', clusterName: 'aks-1',
        environment: 'AzureChinaCloud', admin: false, audience: 'api://AzureADTokenExchange', privateCluster: 'false',
      },
      auth: { type: 'oidc', reason: `${AZURE_REASON.replace(' are set', '')}, 'azure-environment' are set` },
    }],
  ])('%s', (_, inputs, expected) => {
    expect(parseConnectionSettings(reader(inputs))).toEqual(expected);
  });

  it('rejects a bad namespace and a bad admin flag together', () => {
    expect(messageOf(() => parseConnectionSettings(reader({ ...AZURE, namespace: '-ops', admin: 'yes' })))).toBe([
      '2 inputs are invalid:',
      `- Input 'namespace' must be a DNS-1123 label (at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit); got '-ops'.`,
      "- Input 'admin' must be 'true' or 'false'; got 'yes'.",
    ].join('\n'));
  });
});

function AZURE_JOB(): Inputs {
  return { job: 'export', ...AZURE };
}
