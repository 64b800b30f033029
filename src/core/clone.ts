/**
 * Pure builders of the Job the action creates, from a source Job, a CronJob's jobTemplate, or
 * seed 000's fallback. Mirrors `kubectl create job --from=cronjob/X`
 * (staging/src/k8s.io/kubectl/pkg/cmd/create/create_job.go, createJobFromCronJob) and extends it
 * to Job sources the way api-notes §1.9 describes.
 *
 * Metadata is rebuilt from an allow-list (name, namespace, labels, annotations, ownerReferences),
 * so server-owned fields (uid, resourceVersion, creationTimestamp, generation, managedFields,
 * selfLink, deletionTimestamp, finalizers, a Job source's ownerReferences) and status never leak,
 * including fields a future API version adds.
 */
import type { V1Container, V1CronJob, V1EnvVar, V1Job, V1JobSpec, V1OwnerReference } from '@kubernetes/client-node';
import { chooseAppContainer, DEFAULT_CONTAINER_ANNOTATION } from './app-container.js';
import { cronJobPath, InputError, jobPath, SourceError } from './errors.js';
import { maxRunNameLength, runJobName, labelValue, type RandomSource } from './naming.js';
import { Annotation, Input, Label, MANAGED_BY } from './names.js';
import { QUEUE_LABEL } from './queue.js';
import { secretParamsEnv } from './secret-params.js';
import type { FallbackSpec, RunContext, RunSettings, SourceKind } from './settings.js';

/** What the builders need: the settings that shape the Job, the run's identity, randomness. */
export interface CloneOptions {
  readonly settings: Pick<RunSettings,
    'namespace' | 'source' | 'params' | 'allowNewParams' | 'image' | 'timeoutSeconds' | 'ttlSecondsAfterFinished'> & Partial<Pick<RunSettings, 'secretParams' | 'container' | 'queue'>>;
  readonly context: RunContext;
  readonly random: RandomSource;
}

/**
 * Labels the Job controller sets on a Job's pod template (and, through Job defaulting, often on
 * the Job itself). Copied, they make the API server reject the clone: "`selector` not
 * auto-generated" (kubernetes/kubernetes PR #118604; api-notes §1.9).
 */
export const CONTROLLER_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name'];
/**
 * Annotations describing the source rather than the run: kubectl apply's snapshot of the source
 * (applying it to the clone would be wrong, and it can be large), and controller bookkeeping.
 */
export const DROPPED_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'batch.kubernetes.io/job-tracking',
  'batch.kubernetes.io/cronjob-scheduled-timestamp',
];

type StringMap = Record<string, string>;

function without(map: StringMap | undefined, keys: readonly string[]): StringMap {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => !keys.includes(k)));
}

/** What the three builders hand to finishClone. */
export interface CloneDraft {
  readonly kind: SourceKind;
  readonly name: string;
  /** `jobs/<ns>/<name>` for messages. */
  readonly object: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly ownerReferences: V1OwnerReference[] | undefined;
  readonly spec: V1JobSpec | undefined;
  /** The fallback has no source env to check names against: every param is new. */
  readonly allowNewParams: boolean;
}

function runAnnotations(context: RunContext): StringMap {
  const entries: Array<[string, string | undefined]> = [
    [Annotation.repository, context.repository],
    [Annotation.runId, context.runId],
    [Annotation.runAttempt, context.runAttempt],
    [Annotation.runUrl, context.runUrl],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

function unknownParamsError(unknown: readonly string[], inputs: readonly string[], container: V1Container, object: string): InputError {
  const known = (container.env ?? []).map((e) => e.name);
  const envFrom = (container.envFrom ?? []).length > 0
    ? " Names it gets from envFrom are not listed; 'allow-new-params: true' overrides them." : '';
  return new InputError(
    `Input${inputs.length > 1 ? 's' : ''} ${inputs.map((i) => `'${i}'`).join(' and ')} set${inputs.length > 1 ? '' : 's'} ${unknown.join(', ')}, which container '${container.name}' of ${object} does not declare in its env. ` +
    `Known names: ${known.length > 0 ? known.join(', ') : '(none)'}. Add them to the source's env, or set '${Input.allowNewParams}: true' to append them.${envFrom}`,
    { inputs: [...inputs, Input.allowNewParams] },
  );
}

/**
 * Overlays env entries on an env list: an entry with an override's name becomes the override
 * (`{name, value}` for params, `{name, valueFrom: secretKeyRef}` for secret params; every entry of
 * that name, since with duplicates Kubernetes uses the last), order and other entries kept; new
 * names appended in order when allowed.
 */
function overlayEnv(container: V1Container, overrides: ReadonlyArray<readonly [string, V1EnvVar, string]>, allowNew: boolean, object: string): V1EnvVar[] | undefined {
  if (overrides.length === 0) return container.env;
  const env = container.env ?? [];
  const values = new Map(overrides.map(([name, entry]) => [name, entry]));
  const known = new Set(env.map((e) => e.name));
  const unknown = overrides.filter(([name]) => !known.has(name));
  if (unknown.length > 0 && !allowNew) {
    throw unknownParamsError(unknown.map(([name]) => name), [...new Set(unknown.map(([, , input]) => input))], container, object);
  }
  const overlaid = env.map((e) => values.get(e.name) ?? e);
  return [...overlaid, ...unknown.map(([, entry]) => entry)];
}

/** Spec changes: no selector, runs now, cluster-side deadline and TTL, the app container's overlay. */
function finishSpec(draft: CloneDraft, opts: CloneOptions, runName: string): V1JobSpec {
  const spec: V1JobSpec = structuredClone(draft.spec ?? { template: {} });
  const { settings } = opts;
  delete spec.selector;
  delete spec.manualSelector;
  spec.suspend = false;
  const template = spec.template;
  if (template.metadata?.labels) template.metadata.labels = without(template.metadata.labels, CONTROLLER_LABELS);
  if (spec.ttlSecondsAfterFinished == null && settings.ttlSecondsAfterFinished !== undefined) {
    spec.ttlSecondsAfterFinished = settings.ttlSecondsAfterFinished;
  }
  if (spec.activeDeadlineSeconds == null && settings.timeoutSeconds !== undefined) {
    spec.activeDeadlineSeconds = settings.timeoutSeconds;
  }
  const app = chooseAppContainer(template, settings.container, draft.object);
  const first = template.spec?.containers[app?.index ?? 0];
  if (template.spec === undefined || app === undefined || first === undefined) {
    throw new SourceError(draft.object, `${draft.object} has no containers in its pod template, so there is nothing to run; check the source's spec.template.spec.containers.`);
  }
  // The input is written down (the template alone would not say it): outputs, also of an attached
  // run, read it back, and kubectl logs / exec of the run's pods default to the same container.
  if (app.reason === 'input') {
    template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [DEFAULT_CONTAINER_ANNOTATION]: app.name } };
  }
  const overrides: Array<readonly [string, V1EnvVar, string]> = [
    ...settings.params.map(([name, value]) => [name, { name, value }, Input.params] as const),
    ...secretParamsEnv(runName, settings.secretParams ?? []).map(([name, entry]) => [name, entry, Input.secretParams] as const),
  ];
  const env = overlayEnv(first, overrides, draft.allowNewParams, draft.object);
  const container: V1Container = { ...first, ...(env === undefined ? {} : { env }) };
  if (settings.image !== undefined) container.image = settings.image;
  template.spec.containers[app.index] = container;
  return spec;
}

/**
 * The steps every builder shares: finish the spec, name the Job (shorter for Indexed Jobs, see
 * maxRunNameLength), label it as ours with its source, annotate it with the run's identity.
 * The source-name label is shortened for long names (naming.ts labelValue); the full name then
 * goes into an annotation with the same key.
 */
export function finishClone(draft: CloneDraft, opts: CloneOptions): V1Job {
  // The name first: secret params reference a Secret named after the run. Only completionMode and
  // completions bound its length, and finishSpec changes neither.
  const name = runJobName(draft.name, opts.random, maxRunNameLength(draft.spec));
  const spec = finishSpec(draft, opts, name);
  const sourceLabel = labelValue(draft.name);
  const labels: StringMap = {
    ...draft.labels,
    [Label.managedBy]: MANAGED_BY,
    [Label.sourceKind]: draft.kind,
    [Label.sourceName]: sourceLabel,
    ...(opts.settings.queue === undefined ? {} : { [QUEUE_LABEL]: opts.settings.queue }),
  };
  // In a Kueue queue the Job is created suspended, as Kueue's webhook would make it anyway:
  // without the webhook, Kueue would stop a Job that started unadmitted. Admission unsuspends it.
  if ((labels[QUEUE_LABEL] ?? '') !== '') spec.suspend = true;
  const annotations: StringMap = {
    ...draft.annotations,
    ...(sourceLabel === draft.name ? {} : { [Label.sourceName]: draft.name }),
    ...runAnnotations(opts.context),
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: opts.settings.namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(draft.ownerReferences ? { ownerReferences: draft.ownerReferences } : {}),
    },
    spec,
  };
}

/**
 * A new Job from an existing Job (e.g. a suspended template Job). Its labels and annotations are
 * kept, minus the controller's labels and DROPPED_ANNOTATIONS; its ownerReferences are not (the
 * clone belongs to this run, not to whatever created the source).
 * @throws InputError for params the source does not declare; SourceError without containers
 */
export function jobFromJob(source: V1Job, opts: CloneOptions): V1Job {
  const name = source.metadata?.name ?? opts.settings.source.name;
  return finishClone({
    kind: 'Job',
    name,
    object: jobPath(opts.settings.namespace, name),
    labels: without(source.metadata?.labels, CONTROLLER_LABELS),
    annotations: without(source.metadata?.annotations, DROPPED_ANNOTATIONS),
    ownerReferences: undefined,
    spec: source.spec,
    allowNewParams: opts.settings.allowNewParams,
  }, opts);
}

/**
 * A Job from a CronJob's jobTemplate, as `kubectl create job --from=cronjob/X`: the template's
 * labels, `cronjob.kubernetes.io/instantiate: manual` then the template's annotations, and an
 * ownerReference with controller: true but no blockOwnerDeletion (kubectl: that would need the
 * cronjobs/finalizers permission). The CronJob itself is never modified.
 * Note: as the CronJob's child, the clone counts against successfulJobsHistoryLimit /
 * failedJobsHistoryLimit, so the CronJob controller may delete it soon after it finishes.
 */
export function jobFromCronJob(source: V1CronJob, opts: CloneOptions): V1Job {
  const name = source.metadata?.name ?? opts.settings.source.name;
  const template = source.spec?.jobTemplate;
  const uid = source.metadata?.uid;
  return finishClone({
    kind: 'CronJob',
    name,
    object: cronJobPath(opts.settings.namespace, name),
    labels: without(template?.metadata?.labels, CONTROLLER_LABELS),
    annotations: {
      [Annotation.cronjobInstantiate]: 'manual',
      ...without(template?.metadata?.annotations, DROPPED_ANNOTATIONS),
    },
    ownerReferences: uid === undefined ? undefined : [{ apiVersion: 'batch/v1', kind: 'CronJob', name, uid, controller: true }],
    spec: template?.spec,
    allowNewParams: opts.settings.allowNewParams,
  }, opts);
}

/** Name of the fallback Job's only container. */
export const FALLBACK_CONTAINER = 'main';

/**
 * Seed 000's reconstruction when the source Job was deleted: one container `main` with the
 * fallback image, command and args (empty ones left out: the image's entrypoint applies), every
 * param as an env var (there is no source env to check names against), restartPolicy Never and
 * backoffLimit 0: the run happens once, as a `kubectl create job` Job does, and a failure is
 * reported at once instead of after six retries.
 */
export function jobFromFallback(spec: FallbackSpec, opts: CloneOptions): V1Job {
  const name = opts.settings.source.name;
  const container: V1Container = {
    name: FALLBACK_CONTAINER,
    image: spec.image,
    ...(spec.command.length > 0 ? { command: [...spec.command] } : {}),
    ...(spec.args.length > 0 ? { args: [...spec.args] } : {}),
  };
  return finishClone({
    kind: 'Job',
    name,
    object: jobPath(opts.settings.namespace, name),
    labels: {},
    annotations: {},
    ownerReferences: undefined,
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [container] } } },
    allowNewParams: true,
  }, opts);
}

function isEmpty(map: object | undefined): boolean {
  return map === undefined || map === null || Object.keys(map).length === 0;
}

/**
 * Seed 000's best practices, checked on the Job about to be created: containers with neither
 * resources.requests nor resources.limits (limits alone are fine: requests default to them), and
 * no activeDeadlineSeconds (neither on the source nor from `timeout`).
 */
export function cloneWarnings(job: V1Job): string[] {
  const name = job.metadata?.name ?? '';
  const warnings: string[] = [];
  const bare = (job.spec?.template.spec?.containers ?? [])
    .filter((c) => isEmpty(c.resources?.requests) && isEmpty(c.resources?.limits))
    .map((c) => `'${c.name}'`);
  if (bare.length > 0) {
    const one = bare.length === 1;
    warnings.push(`Container${one ? '' : 's'} ${bare.join(', ')} of Job ${name} set${one ? 's' : ''} no resources.requests or resources.limits, so its pods can oversubscribe the cluster's nodes; set them on the source.`);
  }
  if (job.spec?.activeDeadlineSeconds == null) {
    warnings.push(`Job ${name} has no activeDeadlineSeconds and input '${Input.timeout}' is not set, so nothing stops it if it hangs; set '${Input.timeout}' (e.g. '30m') or activeDeadlineSeconds on the source.`);
  }
  return warnings;
}

/** Seed 001: a notice (not an error) when the CronJob's own schedule keeps firing too. */
export function cronJobNotice(source: V1CronJob): string | undefined {
  if (source.spec?.suspend === true) return undefined;
  const name = source.metadata?.name ?? '';
  return `CronJob ${name} is not suspended: its schedule '${source.spec?.schedule ?? ''}' keeps firing too; set spec.suspend: true on it for exclusive control from workflows.`;
}
