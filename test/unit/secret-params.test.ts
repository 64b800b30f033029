import type { V1Job } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { jobFromFallback, jobFromJob } from '../../src/core/clone.js';
import { InputError } from '../../src/core/errors.js';
import { parseRunSettings } from '../../src/core/parse-settings.js';
import { secretForRun, secretParamsEnv, secretParamsName } from '../../src/core/secret-params.js';

const CONTEXT = { repository: undefined, runId: undefined, runAttempt: undefined, runUrl: undefined };
const settings = (params: Array<[string, string]>, secretParams: Array<[string, string]>, allowNewParams = false) => ({
  namespace: 'team-a', source: { kind: 'Job' as const, name: 'export' }, params, secretParams, allowNewParams,
  image: undefined, timeoutSeconds: undefined, ttlSecondsAfterFinished: undefined,
});
const source: V1Job = {
  metadata: { name: 'export' },
  spec: { template: { spec: { containers: [{ name: 'main', image: 'app', env: [{ name: 'A', value: 'a' }, { name: 'DB_PASSWORD', value: 'placeholder' }, { name: 'B', value: 'b' }] }] } } },
};
const ref = (key: string) => ({ name: key, valueFrom: { secretKeyRef: { name: 'export-bbbbb-params', key } } });

describe('secret params in the clone', () => {
  it.each<[string, Array<[string, string]>, Array<[string, string]>, boolean, unknown[]]>([
    ['a declared name gets a secretKeyRef, never the value', [], [['DB_PASSWORD', 'hunter2']], false,
      [{ name: 'A', value: 'a' }, ref('DB_PASSWORD'), { name: 'B', value: 'b' }]],
    ['with params, each name its own kind', [['A', 'x']], [['DB_PASSWORD', 'hunter2']], false,
      [{ name: 'A', value: 'x' }, ref('DB_PASSWORD'), { name: 'B', value: 'b' }]],
    ['new names appended after new params when allowed', [['NEW', '1']], [['TOKEN', 't0k3n']], true,
      [{ name: 'A', value: 'a' }, { name: 'DB_PASSWORD', value: 'placeholder' }, { name: 'B', value: 'b' }, { name: 'NEW', value: '1' }, ref('TOKEN')]],
  ])('%s', (_, params, secrets, allowNew, env) => {
    const job = jobFromJob(source, { settings: settings(params, secrets, allowNew), context: CONTEXT, random: () => 0 });
    expect(job.spec?.template.spec?.containers[0]?.env).toEqual(env);
    expect(JSON.stringify(job)).not.toMatch(/hunter2|t0k3n/);
  });

  it('names secret-params in the unknown-name error', () => {
    const run = () => jobFromJob(source, { settings: settings([], [['TOKEN', 'x']]), context: CONTEXT, random: () => 0 });
    expect(run).toThrow(InputError);
    expect(run).toThrow(/^Input 'secret-params' sets TOKEN, which container 'main' of jobs\/team-a\/export does not declare in its env/);
  });

  it('names both inputs when both bring unknown names', () => {
    expect(() => jobFromJob(source, { settings: settings([['X', '1']], [['TOKEN', 'x']]), context: CONTEXT, random: () => 0 }))
      .toThrow(/^Inputs 'params' and 'secret-params' set X, TOKEN, which container/);
  });

  it('gives the fallback every secret param as a secretKeyRef', () => {
    const job = jobFromFallback({ image: 'busybox', command: [], args: [] }, { settings: settings([], [['TOKEN', 'x']]), context: CONTEXT, random: () => 0 });
    expect(job.spec?.template.spec?.containers[0]?.env).toEqual([{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'export-bbbbb-params', key: 'TOKEN' } } }]);
  });
});

describe('secretForRun', () => {
  it('is owned by the created Job, immutable, and holds the values', () => {
    const created: V1Job = { metadata: { name: 'export-x2b4c', namespace: 'team-a', uid: 'u-9', labels: { 'polysync.dev/source-name': 'export' } } };
    expect(secretForRun(created, [['DB_PASSWORD', 'hunter2'], ['TOKEN', 'a\nb']])).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'export-x2b4c-params',
        namespace: 'team-a',
        labels: { 'app.kubernetes.io/managed-by': 'polysync-aks-action', 'polysync.dev/source-name': 'export' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'export-x2b4c', uid: 'u-9', controller: true }],
      },
      type: 'Opaque',
      immutable: true,
      stringData: { DB_PASSWORD: 'hunter2', TOKEN: 'a\nb' },
    });
  });

  it('matches the names the env references', () => {
    expect(secretParamsEnv('r-1', [['K', 'v']])).toEqual([['K', { name: 'K', valueFrom: { secretKeyRef: { name: secretParamsName('r-1'), key: 'K' } } }]]);
  });
});

describe('parsing secret-params', () => {
  const read = (inputs: Record<string, string>) => (name: string): string => inputs[name] ?? '';
  it.each<[string, Record<string, string>, string]>([
    ['a name in both inputs', { job: 'x', params: '{"A":"1","B":"2"}', 'secret-params': '{"B":"s","C":"t"}' },
      "Inputs 'params' and 'secret-params' both set B; set each name in one of them."],
    ['the same rules as params, naming the input, never quoting a value', { job: 'x', 'secret-params': '{"TOKEN": null, "1X": "hunter2"}' },
      "2 inputs are invalid:\n- Input 'secret-params' sets 'TOKEN' to JSON null; a value must be a string, number or boolean.\n" +
      "- Input 'secret-params' has an invalid env var name '1X': a name must start with a letter, '_', '-' or '.' and go on with letters, digits, '_', '-' or '.'."],
    ['invalid JSON', { job: 'x', 'secret-params': '{"TOKEN": "hunter2"' }, "Input 'secret-params' must be a JSON object like '{\"NAME\": \"value\"}'; got invalid JSON at line 1, column 20: expected ',' or '}' after a property value."],
  ])('%s', (_, inputs, message) => {
    let message_: string | undefined;
    try {
      parseRunSettings(read(inputs));
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      message_ = (e as Error).message;
    }
    expect(message_).toBe(message);
  });

  it('keeps the values, in order', () => {
    expect(parseRunSettings(read({ job: 'x', 'secret-params': '{"B":"2","A":1}' })).secretParams).toEqual([['B', '2'], ['A', '1']]);
  });
});
