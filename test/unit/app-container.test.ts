import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { appContainerLine, chooseAppContainer, type AppContainer } from '../../src/core/app-container.js';
import { InputError } from '../../src/core/errors.js';

function template(containers: string[], annotation?: string, natives: string[] = []): V1PodTemplateSpec {
  return {
    ...(annotation === undefined ? {} : { metadata: { annotations: { 'kubectl.kubernetes.io/default-container': annotation } } }),
    spec: {
      containers: containers.map((name) => ({ name })),
      ...(natives.length > 0 ? { initContainers: natives.map((name) => ({ name, restartPolicy: 'Always' })) } : {}),
    },
  };
}

const OBJECT = 'jobs/team-a/export';

describe('chooseAppContainer', () => {
  const cases: Array<[string, V1PodTemplateSpec, string | undefined, AppContainer]> = [
    ['one container', template(['app']), undefined,
      { name: 'app', index: 0, reason: 'first', skipped: [], staleAnnotation: undefined }],
    ['input wins over the annotation and the sidecar rule', template(['istio-proxy', 'app', 'worker'], 'app'), 'worker',
      { name: 'worker', index: 2, reason: 'input', skipped: [], staleAnnotation: undefined }],
    ['input may name a known sidecar on purpose', template(['app', 'cloud-sql-proxy']), 'cloud-sql-proxy',
      { name: 'cloud-sql-proxy', index: 1, reason: 'input', skipped: [], staleAnnotation: undefined }],
    ['the default-container annotation, as kubectl honours it', template(['proxy', 'app'], 'app'), undefined,
      { name: 'app', index: 1, reason: 'annotation', skipped: [], staleAnnotation: undefined }],
    ['an annotation naming no container is ignored (kubectl) and remembered', template(['cloud-sql-proxy', 'app'], 'gone'), undefined,
      { name: 'app', index: 1, reason: 'not-a-sidecar', skipped: ['cloud-sql-proxy'], staleAnnotation: 'gone' }],
    ['known sidecars written first are skipped', template(['istio-proxy', 'linkerd-proxy', 'migrate']), undefined,
      { name: 'migrate', index: 2, reason: 'not-a-sidecar', skipped: ['istio-proxy', 'linkerd-proxy'] , staleAnnotation: undefined }],
    ['an unknown first container is the app, whatever follows', template(['migrate', 'istio-proxy']), undefined,
      { name: 'migrate', index: 0, reason: 'first', skipped: [], staleAnnotation: undefined }],
    ['only known sidecars: container[0]', template(['envoy', 'fluent-bit']), undefined,
      { name: 'envoy', index: 0, reason: 'first', skipped: [], staleAnnotation: undefined }],
    ['native sidecars are not candidates', template(['app'], undefined, ['istio-proxy']), undefined,
      { name: 'app', index: 0, reason: 'first', skipped: [], staleAnnotation: undefined }],
  ];
  it.each(cases)('%s', (_, t, requested, expected) => {
    expect(chooseAppContainer(t, requested, OBJECT)).toEqual(expected);
  });

  it('has nothing to choose without containers', () => {
    expect(chooseAppContainer({ spec: { containers: [] } }, 'app', OBJECT)).toBeUndefined();
    expect(chooseAppContainer(undefined, undefined, OBJECT)).toBeUndefined();
  });

  it('rejects a name that is no regular container, listing the containers and marking native sidecars', () => {
    const t = template(['app', 'worker'], undefined, ['istio-proxy']);
    for (const name of ['nope', 'istio-proxy']) {
      const error = (() => { try { chooseAppContainer(t, name, OBJECT); } catch (e) { return e; } return undefined; })();
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(
        `Input 'container' names container '${name}', which the pod template of jobs/team-a/export does not have among its containers. ` +
        'Containers: app, worker, istio-proxy (native sidecar, not allowed).');
      expect((error as InputError).inputs).toEqual(['container']);
    }
  });
});

describe('appContainerLine', () => {
  const line = (t: V1PodTemplateSpec, requested?: string): string | undefined => {
    const app = chooseAppContainer(t, requested, OBJECT);
    return app && appContainerLine(t, app);
  };
  const cases: Array<[string, V1PodTemplateSpec, string | undefined, string | undefined]> = [
    ['says nothing for a one-container pod', template(['app']), undefined, undefined],
    ['names the input', template(['app', 'worker']), 'worker',
      "App container: 'worker' (input 'container') of app, worker. Params and image go to it; exit-code and result come from it."],
    ['names the annotation', template(['proxy', 'app'], 'app'), undefined,
      "App container: 'app' (annotation kubectl.kubernetes.io/default-container) of proxy, app. Params and image go to it; exit-code and result come from it."],
    ['names the skipped sidecars and the stale annotation', template(['istio-proxy', 'app'], 'old'), undefined,
      "App container: 'app' (the first that is not a known sidecar; skipped 'istio-proxy') of istio-proxy, app " +
      '(annotation kubectl.kubernetes.io/default-container names \'old\', which is not a container; ignored). Params and image go to it; exit-code and result come from it.'],
    ['points at the input when it took container[0]', template(['app'], undefined, ['log-shipper']), undefined,
      "App container: 'app' (the first; set input 'container' to choose another) of app, log-shipper (native sidecar, not allowed). Params and image go to it; exit-code and result come from it."],
  ];
  it.each(cases)('%s', (_, t, requested, expected) => {
    expect(line(t, requested)).toBe(expected);
  });
});
