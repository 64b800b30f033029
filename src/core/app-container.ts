/**
 * Which container of the pod template is "the" one: the container whose env takes `params`, whose
 * image `image` replaces, and whose exit code and termination message become `exit-code` and
 * `result`. Pure.
 *
 * The rule, first match wins:
 * 1. input `container` (must name one of `spec.containers`);
 * 2. the pod template's `kubectl.kubernetes.io/default-container` annotation, as kubectl logs / exec
 *    / attach honour it (KEP-2227; kubectl `podcmd.FindOrDefaultContainerByName`). An annotation
 *    naming no container is ignored with a warning: older kubectl releases ignore it silently,
 *    newer ones refuse it ("container X is not valid for pod"); a run should not fail on a hint
 *    meant for kubectl, but nor should params go elsewhere unsaid;
 * 3. the first container that is not a well-known sidecar (istio-proxy, cloud-sql-proxy, ...): a
 *    proxy written first in the template is never the app;
 * 4. container[0], as seed 000 says.
 */
import type { V1Container, V1PodTemplateSpec } from '@kubernetes/client-node';
import { InputError } from './errors.js';
import { Input } from './names.js';

/** kubectl's default-container annotation (k8s.io/kubectl/pkg/cmd/util/podcmd). */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/**
 * Names service meshes, proxies and log shippers give the containers they add. Only used when
 * neither the input nor the annotation names the app.
 */
export const KNOWN_SIDECARS: readonly string[] = [
  'istio-proxy', 'linkerd-proxy', 'cloud-sql-proxy', 'cloudsql-proxy', 'envoy', 'vault-agent',
  'fluent-bit', 'fluentd', 'datadog-agent', 'otel-collector',
];

export type ChoiceReason = 'input' | 'annotation' | 'not-a-sidecar' | 'first';

export interface AppContainer {
  readonly name: string;
  /** Index in `spec.containers`. */
  readonly index: number;
  readonly reason: ChoiceReason;
  /** Well-known sidecars passed over (reason `not-a-sidecar`). */
  readonly skipped: readonly string[];
  /** An annotation that named no container (ignored, as kubectl does). */
  readonly staleAnnotation: string | undefined;
}

/** The names `container` may take, for messages: the regular containers, native sidecars marked. */
function containerList(containers: readonly V1Container[], inits: readonly V1Container[]): string {
  const natives = inits.filter((c) => c.restartPolicy === 'Always').map((c) => `${c.name} (native sidecar, not allowed)`);
  return [...containers.map((c) => c.name), ...natives].join(', ');
}

/**
 * Chooses the app container of a pod template (see the rule above).
 * @param requested input `container`, if given
 * @param object `jobs/<ns>/<name>` of the source, for messages
 * @returns undefined when the template has no containers (the clone reports that)
 * @throws InputError when `requested` names no regular container
 */
export function chooseAppContainer(template: V1PodTemplateSpec | undefined, requested: string | undefined, object: string): AppContainer | undefined {
  const containers = template?.spec?.containers ?? [];
  if (containers.length === 0) return undefined;
  const at = (name: string | undefined): number => (name === undefined ? -1 : containers.findIndex((c) => c.name === name));
  const annotated = template?.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  const staleAnnotation = annotated !== undefined && annotated !== '' && at(annotated) < 0 ? annotated : undefined;
  const make = (index: number, reason: ChoiceReason, skipped: readonly string[] = []): AppContainer =>
    ({ name: containers[index]?.name ?? '', index, reason, skipped, staleAnnotation });
  if (requested !== undefined) {
    if (at(requested) >= 0) return make(at(requested), 'input');
    throw new InputError(
      `Input '${Input.container}' names container '${requested}', which the pod template of ${object} does not have among its containers. ` +
        `Containers: ${containerList(containers, template?.spec?.initContainers ?? [])}.`,
      { inputs: [Input.container] },
    );
  }
  if (at(annotated) >= 0) return make(at(annotated), 'annotation');
  const app = containers.findIndex((c) => !KNOWN_SIDECARS.includes(c.name));
  if (app > 0) return make(app, 'not-a-sidecar', containers.slice(0, app).map((c) => c.name));
  return make(0, 'first');
}

/**
 * The line saying which container was chosen and why, or undefined for a pod with one container
 * and no init containers (nothing to choose).
 */
export function appContainerLine(template: V1PodTemplateSpec | undefined, app: AppContainer): string | undefined {
  const containers = template?.spec?.containers ?? [];
  const inits = template?.spec?.initContainers ?? [];
  const stale = app.staleAnnotation === undefined ? ''
    : ` (annotation ${DEFAULT_CONTAINER_ANNOTATION} names '${app.staleAnnotation}', which is not a container; ignored)`;
  if (containers.length + inits.length <= 1 && stale === '') return undefined;
  const why: Record<ChoiceReason, string> = {
    input: `input '${Input.container}'`,
    annotation: `annotation ${DEFAULT_CONTAINER_ANNOTATION}`,
    'not-a-sidecar': `the first that is not a known sidecar; skipped ${app.skipped.map((s) => `'${s}'`).join(', ')}`,
    first: `the first; set input '${Input.container}' to choose another`,
  };
  return `App container: '${app.name}' (${why[app.reason]}) of ${containerList(containers, inits)}${stale}. ` +
    'Params and image go to it; exit-code and result come from it.';
}
