import type { V1CronJob, V1EnvVar, V1Job } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { cloneWarnings, cronJobNotice, jobFromCronJob, jobFromFallback, jobFromJob, type CloneOptions } from '../../src/core/clone.js';
import { InputError, SourceError } from '../../src/core/errors.js';
import { fnv1a } from '../../src/core/naming.js';
import type { RunContext } from '../../src/core/settings.js';

const CONTEXT: RunContext = {
  repository: 'octo/app', runId: '987', runAttempt: '2', runUrl: 'https://github.com/octo/app/actions/runs/987/attempts/2',
};
const RUN_ANNOTATIONS = {
  'polysync.dev/repository': 'octo/app',
  'polysync.dev/run-id': '987',
  'polysync.dev/run-attempt': '2',
  'polysync.dev/run-url': 'https://github.com/octo/app/actions/runs/987/attempts/2',
};
const NO_CONTEXT: RunContext = { repository: undefined, runId: undefined, runAttempt: undefined, runUrl: undefined };

function options(overrides: Partial<CloneOptions['settings']> = {}, context: RunContext = CONTEXT): CloneOptions {
  return {
    settings: {
      namespace: 'team-a', source: { kind: 'Job', name: 'export' }, params: [], allowNewParams: false,
      image: undefined, timeoutSeconds: undefined, ttlSecondsAfterFinished: undefined, ...overrides,
    },
    context,
    random: () => 0, // suffix 'bbbbb'
  };
}

/** A Job as the API server returns it: server fields, controller labels, a suspended template. */
function sourceJob(name = 'export'): V1Job {
  const controllerLabels = { 'controller-uid': 'u-1', 'batch.kubernetes.io/controller-uid': 'u-1', 'job-name': name, 'batch.kubernetes.io/job-name': name };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name, namespace: 'team-a', uid: 'u-1', resourceVersion: '4711', generation: 3, selfLink: `/apis/batch/v1/namespaces/team-a/jobs/${name}`,
      creationTimestamp: new Date('2026-01-02T03:04:05Z'), deletionTimestamp: new Date('2026-01-03T00:00:00Z'), finalizers: ['example.com/keep'],
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
      ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Pipeline', name: 'p', uid: 'p-1', controller: true }],
      labels: { ...controllerLabels, team: 'data' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}', 'batch.kubernetes.io/job-tracking': '', owner: 'data-team' },
    },
    spec: {
      suspend: true,
      backoffLimit: 2,
      manualSelector: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
      template: {
        metadata: { labels: { ...controllerLabels, app: 'export' }, annotations: { 'sidecar.istio.io/inject': 'false' } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'main', image: 'ghcr.io/org/export:1',
              env: [
                { name: 'A', value: 'a-default' },
                { name: 'SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
                { name: 'B', value: 'b-default' },
              ],
              envFrom: [{ configMapRef: { name: 'common' } }],
            },
            { name: 'sidecar', image: 'proxy:1', resources: { limits: { cpu: '100m' } } },
          ],
        },
      },
    },
    status: { startTime: new Date('2026-01-02T03:04:06Z'), succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
  };
}

/** The spec every sourceJob clone starts from (selector gone, suspend false, labels stripped). */
function clonedSpec(env: V1EnvVar[]) {
  return {
    suspend: false,
    backoffLimit: 2,
    template: {
      metadata: { labels: { app: 'export' }, annotations: { 'sidecar.istio.io/inject': 'false' } },
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'main', image: 'ghcr.io/org/export:1', env, envFrom: [{ configMapRef: { name: 'common' } }] },
          { name: 'sidecar', image: 'proxy:1', resources: { limits: { cpu: '100m' } } },
        ],
      },
    },
  };
}

describe('jobFromJob', () => {
  it('clones a suspended template Job with a valueFrom env: server fields gone, params overlaid, runs now', () => {
    const opts = options({ params: [['SECRET', 's3cr3t'], ['A', '1']], timeoutSeconds: 1800, ttlSecondsAfterFinished: 86400 });
    expect(jobFromJob(sourceJob(), opts)).toStrictEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'export-bbbbb',
        namespace: 'team-a',
        labels: { team: 'data', 'app.kubernetes.io/managed-by': 'polysync-aks-action', 'polysync.dev/source-kind': 'Job', 'polysync.dev/source-name': 'export' },
        annotations: { owner: 'data-team', ...RUN_ANNOTATIONS },
      },
      spec: {
        ...clonedSpec([{ name: 'A', value: '1' }, { name: 'SECRET', value: 's3cr3t' }, { name: 'B', value: 'b-default' }]),
        activeDeadlineSeconds: 1800,
        ttlSecondsAfterFinished: 86400,
      },
    });
  });

  it("keeps the source's own deadline and TTL, overrides the image, appends new params in params order", () => {
    const source = sourceJob();
    source.spec = { ...source.spec!, activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 5 };
    const opts = options({ params: [['NEW2', 'x'], ['B', 'b'], ['NEW1', 'y']], allowNewParams: true, image: 'ghcr.io/org/export:2', timeoutSeconds: 1800, ttlSecondsAfterFinished: 86400 }, NO_CONTEXT);
    const spec = clonedSpec([
      { name: 'A', value: 'a-default' }, { name: 'SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'B', value: 'b' },
      { name: 'NEW2', value: 'x' }, { name: 'NEW1', value: 'y' },
    ]);
    spec.template.spec.containers[0]!.image = 'ghcr.io/org/export:2';
    expect(jobFromJob(source, opts)).toStrictEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'export-bbbbb',
        namespace: 'team-a',
        labels: { team: 'data', 'app.kubernetes.io/managed-by': 'polysync-aks-action', 'polysync.dev/source-kind': 'Job', 'polysync.dev/source-name': 'export' },
        annotations: { owner: 'data-team' },
      },
      spec: { ...spec, activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 5 },
    });
  });

  it('overlays every entry of a name Kubernetes would see twice (the last one wins there)', () => {
    const source: V1Job = { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'X', value: '1' }, { name: 'Y', value: 'y' }, { name: 'X', value: '2' }] }] } } } };
    const job = jobFromJob(source, options({ params: [['X', 'new']] }, NO_CONTEXT));
    expect(job.spec?.template.spec?.containers).toStrictEqual([{ name: 'c', env: [{ name: 'X', value: 'new' }, { name: 'Y', value: 'y' }, { name: 'X', value: 'new' }] }]);
  });

  it('names a clone of a 60-character source within 63 characters; the label keeps the full name', () => {
    const name = `${'a'.repeat(30)}-${'b'.repeat(29)}`;
    const job = jobFromJob(sourceJob(name), options({ source: { kind: 'Job', name } }, NO_CONTEXT));
    expect(job.metadata).toStrictEqual({
      name: `${'a'.repeat(30)}-${'b'.repeat(26)}-bbbbb`,
      namespace: 'team-a',
      labels: { team: 'data', 'app.kubernetes.io/managed-by': 'polysync-aks-action', 'polysync.dev/source-kind': 'Job', 'polysync.dev/source-name': name },
      annotations: { owner: 'data-team' },
    });
  });

  it('names a clone of a 253-character source within 63 characters; the label is hashed, the annotation full', () => {
    const name = `${Array.from({ length: 4 }, () => 'x'.repeat(62)).join('.')}.y`;
    expect(name).toHaveLength(253);
    const job = jobFromJob(sourceJob(name), options({ source: { kind: 'Job', name } }, NO_CONTEXT));
    expect(job.metadata).toStrictEqual({
      name: `${'x'.repeat(57)}-bbbbb`,
      namespace: 'team-a',
      labels: { team: 'data', 'app.kubernetes.io/managed-by': 'polysync-aks-action', 'polysync.dev/source-kind': 'Job', 'polysync.dev/source-name': `${'x'.repeat(54)}-${fnv1a(name)}` },
      annotations: { owner: 'data-team', 'polysync.dev/source-name': name },
    });
  });

  it('leaves room for the pod hostname suffix of an Indexed Job', () => {
    const name = 'i'.repeat(63);
    const source: V1Job = { metadata: { name }, spec: { completionMode: 'Indexed', completions: 100, template: { spec: { containers: [{ name: 'c' }] } } } };
    const job = jobFromJob(source, options({ source: { kind: 'Job', name } }, NO_CONTEXT));
    expect(job.metadata?.name).toBe(`${'i'.repeat(54)}-bbbbb`);
    expect(`${job.metadata?.name}-99`).toHaveLength(63);
  });

  it('does not modify the source', () => {
    const source = sourceJob();
    const before = structuredClone(source);
    jobFromJob(source, options({ params: [['A', 'changed']], image: 'other', timeoutSeconds: 5 }));
    expect(source).toStrictEqual(before);
  });

  it('rejects params the source does not declare, listing the known names', () => {
    const run = () => jobFromJob(sourceJob(), options({ params: [['A', '1'], ['TYPO', 'x'], ['OTHER', 'y']] }));
    expect(run).toThrow(InputError);
    expect(run).toThrow(
      "Input 'params' sets TYPO, OTHER, which container 'main' of jobs/team-a/export does not declare in its env. Known names: A, SECRET, B. " +
      "Add them to the source's env, or set 'allow-new-params: true' to append them. Names it gets from envFrom are not listed; 'allow-new-params: true' overrides them.",
    );
  });

  it('says (none) when the container has no env', () => {
    const source: V1Job = { metadata: { name: 'bare' }, spec: { template: { spec: { containers: [{ name: 'c' }] } } } };
    expect(() => jobFromJob(source, options({ params: [['X', '1']] }))).toThrow(
      "Input 'params' sets X, which container 'c' of jobs/team-a/bare does not declare in its env. Known names: (none). Add them to the source's env, or set 'allow-new-params: true' to append them.",
    );
  });

  it("gives params and image to the container input 'container' names, and marks it as kubectl's default container", () => {
    const source = sourceJob();
    const sidecar = source.spec!.template.spec!.containers[1]!;
    sidecar.env = [{ name: 'PORT', value: '5432' }];
    const clone = jobFromJob(source, options({ container: 'sidecar', params: [['PORT', '6543']], image: 'proxy:2' }));
    const template = clone.spec!.template;
    expect(template.spec!.containers).toEqual([
      sourceJob().spec!.template.spec!.containers[0],
      { name: 'sidecar', image: 'proxy:2', resources: { limits: { cpu: '100m' } }, env: [{ name: 'PORT', value: '6543' }] },
    ]);
    expect(template.metadata!.annotations).toEqual({ 'sidecar.istio.io/inject': 'false', 'kubectl.kubernetes.io/default-container': 'sidecar' });
  });

  it('skips a known sidecar written first, without annotating (the template says it already)', () => {
    const source: V1Job = { metadata: { name: 'etl' }, spec: { template: { spec: { containers: [
      { name: 'cloud-sql-proxy', image: 'proxy:1' }, { name: 'etl', image: 'etl:1', env: [{ name: 'DAY', value: 'x' }] },
    ] } } } };
    const clone = jobFromJob(source, options({ params: [['DAY', 'monday']], image: 'etl:2' }));
    expect(clone.spec!.template).toEqual({ spec: { containers: [
      { name: 'cloud-sql-proxy', image: 'proxy:1' }, { name: 'etl', image: 'etl:2', env: [{ name: 'DAY', value: 'monday' }] },
    ] } });
  });

  it('checks params against the chosen container and rejects an unknown container name', () => {
    expect(() => jobFromJob(sourceJob(), options({ container: 'sidecar', params: [['A', '1']] }))).toThrow(
      "Input 'params' sets A, which container 'sidecar' of jobs/team-a/export does not declare in its env. Known names: (none).",
    );
    expect(() => jobFromJob(sourceJob(), options({ container: 'app' }))).toThrow(
      "Input 'container' names container 'app', which the pod template of jobs/team-a/export does not have among its containers. Containers: main, sidecar.",
    );
  });

  it.each<[string, Record<string, string> | undefined, string | undefined, Record<string, string> | undefined, boolean]>([
    ['input queue: labelled, created suspended for Kueue', undefined, 'team-a-batch', { 'kueue.x-k8s.io/queue-name': 'team-a-batch' }, true],
    ["the source's own queue is kept", { 'kueue.x-k8s.io/queue-name': 'nightly' }, undefined, { 'kueue.x-k8s.io/queue-name': 'nightly' }, true],
    ["input queue replaces the source's", { 'kueue.x-k8s.io/queue-name': 'nightly' }, 'urgent', { 'kueue.x-k8s.io/queue-name': 'urgent' }, true],
    ['no queue: runs now', undefined, undefined, undefined, false],
  ])('Kueue: %s', (_, sourceLabels, queue, expectedLabels, suspend) => {
    const source = sourceJob();
    source.metadata!.labels = { ...source.metadata!.labels, ...sourceLabels };
    const clone = jobFromJob(source, options({ queue }));
    expect(clone.metadata?.labels).toEqual({
      team: 'data', ...expectedLabels, 'app.kubernetes.io/managed-by': 'polysync-aks-action', 'polysync.dev/source-kind': 'Job', 'polysync.dev/source-name': 'export',
    });
    expect(clone.spec?.suspend).toBe(suspend);
  });

  it.each<[string, V1Job]>([
    ['empty containers', { metadata: { name: 'empty' }, spec: { template: { spec: { containers: [] } } } }],
    ['no pod spec', { metadata: { name: 'empty' }, spec: { template: {} } }],
    ['no spec', { metadata: { name: 'empty' } }],
  ])('fails clearly with %s', (_, source) => {
    const run = () => jobFromJob(source, options());
    expect(run).toThrow(SourceError);
    expect(run).toThrow("jobs/team-a/empty has no containers in its pod template, so there is nothing to run; check the source's spec.template.spec.containers.");
  });
});

function sourceCronJob(): V1CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'team-a', uid: 'cj-1', resourceVersion: '99', labels: { cron: 'label-not-copied' }, annotations: { a: 'not-copied' } },
    spec: {
      schedule: '0 3 * * *',
      successfulJobsHistoryLimit: 0,
      jobTemplate: {
        metadata: { labels: { app: 'nightly' }, annotations: { note: 'from-template', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
        spec: {
          suspend: true,
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'run', image: 'nightly:1', env: [{ name: 'DAY', value: 'today' }] }] } },
        },
      },
    },
    status: { lastScheduleTime: new Date('2026-01-01T03:00:00Z') },
  };
}

describe('jobFromCronJob', () => {
  it('builds the Job kubectl create job --from=cronjob would, plus params and our labels', () => {
    const opts = options({ source: { kind: 'CronJob', name: 'nightly' }, params: [['DAY', '2026-01-05']], timeoutSeconds: 600, ttlSecondsAfterFinished: 3600 });
    expect(jobFromCronJob(sourceCronJob(), opts)).toStrictEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'nightly-bbbbb',
        namespace: 'team-a',
        labels: { app: 'nightly', 'app.kubernetes.io/managed-by': 'polysync-aks-action', 'polysync.dev/source-kind': 'CronJob', 'polysync.dev/source-name': 'nightly' },
        annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', note: 'from-template', ...RUN_ANNOTATIONS },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-1', controller: true }],
      },
      spec: {
        suspend: false,
        activeDeadlineSeconds: 600,
        ttlSecondsAfterFinished: 3600,
        template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'run', image: 'nightly:1', env: [{ name: 'DAY', value: '2026-01-05' }] }] } },
      },
    });
  });

  it('leaves out the ownerReference when the CronJob has no uid, and fails without a template', () => {
    const noUid = sourceCronJob();
    delete noUid.metadata!.uid;
    expect(jobFromCronJob(noUid, options({ source: { kind: 'CronJob', name: 'nightly' } }, NO_CONTEXT)).metadata).toStrictEqual({
      name: 'nightly-bbbbb',
      namespace: 'team-a',
      labels: { app: 'nightly', 'app.kubernetes.io/managed-by': 'polysync-aks-action', 'polysync.dev/source-kind': 'CronJob', 'polysync.dev/source-name': 'nightly' },
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', note: 'from-template' },
    });
    const noTemplate: V1CronJob = { metadata: { name: 'nightly' }, spec: { schedule: '* * * * *', jobTemplate: {} } };
    expect(() => jobFromCronJob(noTemplate, options())).toThrow(
      "cronjobs/team-a/nightly has no containers in its pod template, so there is nothing to run; check the source's spec.template.spec.containers.",
    );
  });
});

describe('jobFromFallback', () => {
  it('reconstructs a one-container Job from the fallback inputs, every param as env', () => {
    const opts = options({ params: [['B', '2'], ['A', '1']], allowNewParams: false, timeoutSeconds: 300, ttlSecondsAfterFinished: 86400 });
    expect(jobFromFallback({ image: 'busybox:1.36', command: ['sh', '-c'], args: ['echo $A $B'] }, opts)).toStrictEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'export-bbbbb',
        namespace: 'team-a',
        labels: { 'app.kubernetes.io/managed-by': 'polysync-aks-action', 'polysync.dev/source-kind': 'Job', 'polysync.dev/source-name': 'export' },
        annotations: RUN_ANNOTATIONS,
      },
      spec: {
        suspend: false,
        backoffLimit: 0,
        activeDeadlineSeconds: 300,
        ttlSecondsAfterFinished: 86400,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c'], args: ['echo $A $B'], env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }] }],
          },
        },
      },
    });
  });

  it("leaves out empty command, args and env (the image's entrypoint runs)", () => {
    expect(jobFromFallback({ image: 'busybox', command: [], args: [] }, options({}, NO_CONTEXT))).toStrictEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'export-bbbbb',
        namespace: 'team-a',
        labels: { 'app.kubernetes.io/managed-by': 'polysync-aks-action', 'polysync.dev/source-kind': 'Job', 'polysync.dev/source-name': 'export' },
      },
      spec: { suspend: false, backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
    });
  });
});

describe('cloneWarnings', () => {
  const job = (containers: Array<{ name: string; resources?: object }>, deadline?: number): V1Job => ({
    metadata: { name: 'export-bbbbb' },
    spec: { ...(deadline === undefined ? {} : { activeDeadlineSeconds: deadline }), template: { spec: { containers } } },
  });
  const noDeadline = "Job export-bbbbb has no activeDeadlineSeconds and input 'timeout' is not set, so nothing stops it if it hangs; set 'timeout' (e.g. '30m') or activeDeadlineSeconds on the source.";
  it.each<[string, V1Job, string[]]>([
    ['requests and deadline set', job([{ name: 'a', resources: { requests: { cpu: '1' } } }], 60), []],
    ['limits alone are enough', job([{ name: 'a', resources: { limits: { memory: '1Gi' } } }], 60), []],
    ['one bare container', job([{ name: 'a' }, { name: 'b', resources: { requests: { cpu: '1' } } }], 60),
      ["Container 'a' of Job export-bbbbb sets no resources.requests or resources.limits, so its pods can oversubscribe the cluster's nodes; set them on the source."]],
    ['two bare containers, no deadline', job([{ name: 'a', resources: { requests: {} } }, { name: 'b' }]), [
      "Containers 'a', 'b' of Job export-bbbbb set no resources.requests or resources.limits, so its pods can oversubscribe the cluster's nodes; set them on the source.",
      noDeadline,
    ]],
  ])('%s', (_, input, warnings) => {
    expect(cloneWarnings(input)).toStrictEqual(warnings);
  });
});

describe('cronJobNotice', () => {
  it.each<[string, V1CronJob, string | undefined]>([
    ['suspended: nothing to say', { metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', suspend: true, jobTemplate: {} } }, undefined],
    ['not suspended', { metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: {} } },
      "CronJob nightly is not suspended: its schedule '0 3 * * *' keeps firing too; set spec.suspend: true on it for exclusive control from workflows."],
  ])('%s', (_, cron, notice) => {
    expect(cronJobNotice(cron)).toBe(notice);
  });
});
