import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { appEndIgnoringSidecars, lingeringSidecars, lingeringSidecarWarning, type AppEnd } from '../../src/core/sidecars.js';

const running = (name: string): V1ContainerStatus => ({ name, image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } });
const exited = (name: string, exitCode: number): V1ContainerStatus => ({ name, image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } });
function pod(phase: string, statuses: V1ContainerStatus[], restartPolicy = 'Never'): V1Pod {
  return { metadata: { name: 'etl-bcdfg-x1' }, spec: { restartPolicy, containers: [] }, status: { phase, containerStatuses: statuses } };
}

describe('lingeringSidecars', () => {
  const cases: Array<[string, V1Pod, string | undefined, string[]]> = [
    ['app done, proxy running', pod('Running', [exited('etl', 0), running('cloud-sql-proxy')]), 'etl', ['cloud-sql-proxy']],
    ['app failed under Never: it will not restart', pod('Running', [running('istio-proxy'), exited('etl', 2)]), 'etl', ['istio-proxy']],
    ['app failed under OnFailure: it restarts, nothing lingers yet', pod('Running', [exited('etl', 2), running('istio-proxy')], 'OnFailure'), 'etl', []],
    ['app still running', pod('Running', [running('etl'), running('istio-proxy')]), 'etl', []],
    ['only running containers are named', pod('Running', [exited('etl', 0), exited('init-db', 0), running('a'), running('b')]), 'etl', ['a', 'b']],
    ['pod already terminal', pod('Succeeded', [exited('etl', 0), exited('proxy', 0)]), 'etl', []],
    ['no app known', pod('Running', [exited('etl', 0), running('proxy')]), undefined, []],
  ];
  it.each(cases)('%s', (_, p, app, expected) => {
    expect(lingeringSidecars(p, app)).toEqual(expected);
  });
});

describe('lingeringSidecarWarning', () => {
  it('names the pod, the exit code and the sidecar, and says what to do', () => {
    expect(lingeringSidecarWarning(pod('Running', [exited('etl', 0), running('cloud-sql-proxy')]), 'etl')).toBe(
      "Container 'etl' of pod etl-bcdfg-x1 exited with code 0, but container 'cloud-sql-proxy' is still running: the pod, and so the Job, cannot finish until it exits, " +
      "so this run waits until input 'timeout' or the Job's activeDeadlineSeconds. Make it a native sidecar (an initContainer with restartPolicy: Always, Kubernetes 1.29+; " +
      'the kubelet stops it when the app ends, and service meshes can inject their proxy that way), or have the app stop it when done ' +
      "(e.g. the /quitquitquit endpoint of istio-proxy and cloud-sql-proxy). If 'etl' is not the app, set input 'container'.");
  });
  it('speaks of several', () => {
    expect(lingeringSidecarWarning(pod('Running', [exited('etl', 1), running('a'), running('b')]), 'etl'))
      .toContain("exited with code 1, but containers 'a', 'b' are still running: the pod, and so the Job, cannot finish until they exit");
  });
  it('says nothing while nothing lingers', () => {
    expect(lingeringSidecarWarning(pod('Running', [running('etl'), running('proxy')]), 'etl')).toBeUndefined();
  });
});

describe('appEndIgnoringSidecars', () => {
  const restarted = (s: V1ContainerStatus, restartCount: number): V1ContainerStatus => ({ ...s, restartCount });
  const p = (...statuses: V1ContainerStatus[]): V1Pod => pod('Running', [...statuses, running('cloud-sql-proxy')]);
  const cases: Array<[string, { completions?: number; backoffLimit?: number }, V1Pod[], AppEnd | undefined]> = [
    ['app exited 0 in the one pod', {}, [p(exited('etl', 0))], { status: 'Success', succeeded: 1, failed: 0 }],
    ['app still running', {}, [p(running('etl'))], undefined],
    ['failed once, backoffLimit 0: Failed', { backoffLimit: 0 }, [p(exited('etl', 3))], { status: 'Failed', succeeded: 0, failed: 1 }],
    ['failed once of 6 allowed: waits for the retry', {}, [p(exited('etl', 3))], undefined],
    ['failed, then a retry pod succeeded', { backoffLimit: 1 }, [p(exited('etl', 3)), p(exited('etl', 0))], { status: 'Success', succeeded: 1, failed: 1 }],
    ['completions 2: one success is not enough', { completions: 2 }, [p(exited('etl', 0)), p(running('etl'))], undefined],
    ['completions 2 reached', { completions: 2 }, [p(exited('etl', 0)), p(exited('etl', 0))], { status: 'Success', succeeded: 2, failed: 0 }],
    ['OnFailure restarts count as failures', { backoffLimit: 2 }, [p(restarted(running('etl'), 3))], { status: 'Failed', succeeded: 0, failed: 3 }],
  ];
  it.each(cases)('%s', (_, spec, pods, expected) => {
    expect(appEndIgnoringSidecars({ spec }, pods, 'etl')).toEqual(expected);
  });
  it('decides nothing without an app container', () => {
    expect(appEndIgnoringSidecars({ spec: {} }, [p(exited('etl', 0))], undefined)).toBeUndefined();
  });
});
