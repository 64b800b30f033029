// The local control plane behaves like a real cluster where the action depends on it: these
// outcomes come from the real kube-apiserver, Job/CronJob/GC/TTL controllers and RBAC, with pods
// simulated by SIM_* env vars (test/localcluster/README.md).
import { PassThrough } from 'node:stream';
import { ApiException, BatchV1Api, CoreV1Api, Log, type KubeConfig, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, createTestNamespace, cronJobManifest, jobManifest, podsOfJob, waitFor } from '../support/cluster.js';
import { limitedKubeConfig } from '../support/limited-identity.js';

let kc: KubeConfig;
let batch: BatchV1Api;
let core: CoreV1Api;
let ns: string;

beforeAll(async () => {
  kc = adminKubeConfig();
  batch = kc.makeApiClient(BatchV1Api);
  core = kc.makeApiClient(CoreV1Api);
  ns = await createTestNamespace('control-plane');
});

const readJob = (name: string) => batch.readNamespacedJob({ namespace: ns, name });
const podsOf = (job: V1Job): Promise<V1Pod[]> => podsOfJob(kc, ns, job.metadata?.uid);
const condition = (job: V1Job, type: string) => job.status?.conditions?.find((c) => c.type === type && c.status === 'True');

async function waitForCondition(name: string, type: string, timeoutMs = 60_000): Promise<V1Job> {
  let job: V1Job | undefined;
  await waitFor(async () => {
    job = await readJob(name);
    return condition(job, type) !== undefined;
  }, { timeoutMs, what: `jobs/${ns}/${name} condition ${type}=True` });
  return job as V1Job;
}

/** The HTTP status and message of a rejected request, as a user of the API sees them. */
async function rejection(request: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await request;
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const e = err as ApiException<unknown>;
    const body: unknown = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    return { code: e.code, message: String((body as { message?: string } | undefined)?.message ?? '') };
  }
  throw new Error('expected the API to reject the request');
}

describe('Jobs under the real job controller', () => {
  it('runs a Job to Complete=True', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: jobManifest('ok') });
    const job = await waitForCondition('ok', 'Complete');
    expect(job.status?.succeeded).toBe(1);
    const [pod] = await podsOf(job);
    expect(pod?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('fails with BackoffLimitExceeded after backoffLimit + 1 pods exit non-zero', async () => {
    const body = jobManifest('exit-3', { backoffLimit: 1, env: { SIM_EXIT_CODE: '3', SIM_TERMINATION_MESSAGE: 'bad input' } });
    await batch.createNamespacedJob({ namespace: ns, body });
    const job = await waitForCondition('exit-3', 'Failed');
    expect(condition(job, 'Failed')?.reason).toBe('BackoffLimitExceeded');
    expect(job.status?.failed).toBe(2);
    const pods = await podsOf(job);
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.status?.phase).toBe('Failed');
      expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error', message: 'bad input' });
    }
  });

  it('fails with DeadlineExceeded when activeDeadlineSeconds passes', async () => {
    const body = jobManifest('slow', { activeDeadlineSeconds: 2, env: { SIM_DURATION: '120s' } });
    await batch.createNamespacedJob({ namespace: ns, body });
    const job = await waitForCondition('slow', 'Failed');
    expect(condition(job, 'Failed')?.reason).toBe('DeadlineExceeded');
  });

  it('reports Suspended=True and creates no pods for a suspended Job', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: jobManifest('parked', { suspend: true }) });
    const job = await waitForCondition('parked', 'Suspended');
    expect(await podsOf(job)).toHaveLength(0);
  });

  it('deletes the pods through the garbage collector with propagationPolicy Background', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: jobManifest('bg') });
    const job = await waitForCondition('bg', 'Complete');
    expect(await podsOf(job)).toHaveLength(1);
    await batch.deleteNamespacedJob({ namespace: ns, name: 'bg', propagationPolicy: 'Background' });
    await waitFor(async () => (await podsOf(job)).length === 0, { what: 'pods of jobs/bg to be deleted' });
  });

  it('leaves the pods, without owner, when a Job is deleted with the default policy', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: jobManifest('orphan') });
    const job = await waitForCondition('orphan', 'Complete');
    await batch.deleteNamespacedJob({ namespace: ns, name: 'orphan' });
    await waitFor(() => readJob('orphan').then(() => false, () => true), { what: 'jobs/orphan to be gone' });
    const pods = await podsOf(job);
    expect(pods).toHaveLength(1);
    expect(pods[0]?.metadata?.ownerReferences ?? []).toEqual([]);
  });

  it('deletes a finished Job after ttlSecondsAfterFinished', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: jobManifest('ttl', { ttlSecondsAfterFinished: 1 }) });
    await waitForCondition('ttl', 'Complete');
    await waitFor(() => readJob('ttl').then(() => false, () => true), { what: 'jobs/ttl to be deleted by the TTL controller' });
  });
});

describe('validation by the real API server', () => {
  it('rejects a Job cloned with its old selector and controller-uid labels with 422', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: jobManifest('original', { suspend: true }) });
    const original = await readJob('original');
    const clone: V1Job = {
      ...original,
      metadata: { name: 'naive-clone', labels: original.metadata?.labels },
      status: undefined,
    };
    const { code, message } = await rejection(batch.createNamespacedJob({ namespace: ns, body: clone }));
    expect(code).toBe(422);
    expect(message).toContain('`selector` not auto-generated');
  });

  it('rejects a 64-character Job name with 422 because of the job-name label', async () => {
    const name = 'a'.repeat(64);
    const { code, message } = await rejection(batch.createNamespacedJob({ namespace: ns, body: jobManifest(name) }));
    expect(code).toBe(422);
    expect(message).toContain('must be no more than 63');
  });
});

describe('pods through the simulated kubelet', () => {
  it('streams follow=true log lines while the pod is still running', async () => {
    const env = { SIM_LOG: 'step 1|step 2|step 3|step 4', SIM_LOG_INTERVAL: '1s' };
    await batch.createNamespacedJob({ namespace: ns, body: jobManifest('chatty', { env }) });
    let pod: V1Pod | undefined;
    await waitFor(async () => {
      [pod] = await podsOf(await readJob('chatty'));
      return pod?.status?.phase === 'Running';
    }, { what: 'the pod of jobs/chatty to run' });
    const podName = pod?.metadata?.name ?? '';

    const stream = new PassThrough();
    const phasesAtArrival: Promise<string | undefined>[] = [];
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      phasesAtArrival.push(core.readNamespacedPod({ namespace: ns, name: podName }).then((p) => p.status?.phase));
    });
    const ended = new Promise((resolve) => stream.on('end', resolve));
    await new Log(kc).log(ns, podName, 'main', stream, { follow: true });
    await ended;

    expect(text).toBe('step 1\nstep 2\nstep 3\nstep 4\n');
    expect(await phasesAtArrival[0]).toBe('Running');
    await waitForCondition('chatty', 'Complete');
  });

  it('logs the container env by default, so an env overlay is visible', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: jobManifest('env', { env: { B_VAR: 'two', A_VAR: 'one' } }) });
    const job = await waitForCondition('env', 'Complete');
    const [pod] = await podsOf(job);
    const log = await core.readNamespacedPodLog({ namespace: ns, name: pod?.metadata?.name ?? '' });
    expect(log).toBe('A_VAR=one\nB_VAR=two\n');
  });
});

describe('CronJobs under the real cronjob controller', () => {
  it('creates a Job from an every-minute schedule', async () => {
    await batch.createNamespacedCronJob({ namespace: ns, body: cronJobManifest('minutely', { schedule: '* * * * *' }) });
    await waitFor(async () => {
      const jobs = (await batch.listNamespacedJob({ namespace: ns })).items;
      return jobs.some((j) => j.metadata?.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === 'minutely'));
    }, { timeoutMs: 75_000, intervalMs: 1000, what: 'a Job owned by cronjobs/minutely' });
  }, 120_000);
});

describe('RBAC', () => {
  it('answers 403 for what a limited identity’s Role lacks, and allows the rest', async () => {
    const limited = await limitedKubeConfig(kc, ns, 'job-reader', {
      rules: [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list'] }],
    });
    const limitedBatch = limited.makeApiClient(BatchV1Api);
    await expect(limitedBatch.listNamespacedJob({ namespace: ns })).resolves.toBeDefined();
    const denied = await rejection(limitedBatch.createNamespacedJob({ namespace: ns, body: jobManifest('forbidden') }));
    expect(denied.code).toBe(403);
    expect(denied.message).toContain('cannot create resource "jobs"');
    const pods = await rejection(limited.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns }));
    expect(pods.code).toBe(403);
  });
});
