import { describe, expect, it } from 'vitest';
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { Clock, JobCluster } from '../../src/core/ports.js';
import { PodDiagnostics } from '../../src/run/pod-diagnostics.js';
import { RecordingReporter } from '../support/recording-reporter.js';

const GRACE_MS = 60_000;

function setup() {
  let now = 1_000_000;
  const clock: Clock = { now: () => now, sleep: async () => undefined };
  const cluster = { podEvents: async () => [] } as unknown as JobCluster;
  const reporter = new RecordingReporter();
  const diagnostics = new PodDiagnostics(cluster, reporter, clock, 'ns', GRACE_MS, 'run-abcde-params');
  return { diagnostics, reporter, advance: (ms: number) => (now += ms) };
}

const waiting = (name: string, reason: string): V1ContainerStatus => ({
  name, image: 'img', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason, message: 'pull failed' } },
});

function pod(name: string, containers: V1ContainerStatus[], init: V1ContainerStatus[] = [], deleting = false): V1Pod {
  return {
    metadata: { name, ...(deleting ? { deletionTimestamp: new Date() } : {}) },
    status: { phase: 'Pending', containerStatuses: containers, initContainerStatuses: init },
  };
}

describe('PodDiagnostics', () => {
  it('forgets a stuck pod once it is deleted: no deadline left to spin on', async () => {
    const { diagnostics, advance } = setup();
    await diagnostics.onPod(pod('p1', [waiting('app', 'ImagePullBackOff')]));
    advance(GRACE_MS / 2);
    expect(diagnostics.nextDeadlineIn()).toBe(GRACE_MS / 2);
    await diagnostics.onPod(pod('p1', [waiting('app', 'ImagePullBackOff')], [], true));
    expect(diagnostics.nextDeadlineIn()).toBeUndefined();
    advance(GRACE_MS);
    expect(await diagnostics.onPod(pod('p2', [{ ...waiting('app', 'ContainerCreating') }]))).toBeUndefined();
    expect(diagnostics.nextDeadlineIn()).toBeUndefined();
  });

  it('forget() drops only that pod', async () => {
    const { diagnostics } = setup();
    await diagnostics.onPod(pod('p1', [waiting('app', 'ErrImagePull')]));
    await diagnostics.onPod(pod('p10', [waiting('app', 'ErrImagePull')]));
    diagnostics.forget('p1');
    expect(diagnostics.nextDeadlineIn()).toBe(GRACE_MS);
    diagnostics.forget('p10');
    expect(diagnostics.nextDeadlineIn()).toBeUndefined();
  });

  it('sees an init container stuck in ImagePullBackOff while the app waits in PodInitializing', async () => {
    const { diagnostics, reporter, advance } = setup();
    const stuckPod = pod('p1', [waiting('app', 'PodInitializing')], [waiting('fetch-schema', 'ImagePullBackOff')]);
    expect(await diagnostics.onPod(stuckPod)).toBeUndefined();
    expect(reporter.annotations).toEqual([{
      level: 'warning',
      title: 'Container cannot start',
      message: 'Init container fetch-schema of pod p1 is waiting: ImagePullBackOff (pull failed). The Job is deleted if this lasts 60 s (input image-pull-grace-period).',
    }]);
    advance(GRACE_MS);
    expect(await diagnostics.onPod(stuckPod)).toEqual({
      pod: 'p1', container: 'fetch-schema', reason: 'ImagePullBackOff', message: 'pull failed', what: 'Init container',
    });
  });

  it('does not warn while a pod waits a moment for the run\'s own secret-params Secret, but still gives up after the grace period', async () => {
    const { diagnostics, reporter, advance } = setup();
    const waitingPod = pod('run-abcde-x1', [{ ...waiting('app', 'CreateContainerConfigError'), state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "run-abcde-params" not found' } } }]);
    expect(await diagnostics.onPod(waitingPod)).toBeUndefined();
    expect(reporter.annotations).toEqual([]);
    advance(GRACE_MS);
    expect((await diagnostics.onPod(waitingPod))?.reason).toBe('CreateContainerConfigError');
    const other = pod('run-abcde-x2', [{ ...waiting('app', 'CreateContainerConfigError'), state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "db-password" not found' } } }]);
    await diagnostics.onPod(other);
    expect(reporter.annotations.map((a) => a.title)).toEqual(['Container cannot start']);
  });
});
