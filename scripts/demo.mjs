// npm run demo: starts the local control plane, creates a sample CronJob, runs the bundled action
// on it with params exactly as the GitHub runner would, and shows its log, outputs and summary.
// `npm run demo -- parallel` runs an Indexed Job of 3 pods instead, each failing its first attempt,
// so the summary shows the pods' timeline (a Mermaid gantt block).
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { ensureBuilt, startCluster } from './localcluster.mjs';
import { readOutputs, runnerFiles, startStep } from './lib/runner.mjs';

const NAMESPACE = 'data';
const CRONJOB = 'nightly-etl';
const PARALLEL_JOB = 'etl-shards';

function sampleCronJob() {
  return {
    metadata: { name: CRONJOB, labels: { team: 'data' } },
    spec: {
      schedule: '0 2 * * *',
      suspend: true, // seed 001: runs only when asked
      jobTemplate: {
        spec: {
          backoffLimit: 1,
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [
                {
                  name: 'etl',
                  image: 'registry.example.com/etl:1.4.2',
                  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
                  env: [
                    { name: 'RUN_DATE', value: 'yesterday' },
                    { name: 'DRY_RUN', value: 'true' },
                    // The local control plane's pod simulator: what the container "prints" and returns.
                    { name: 'SIM_LOG', value: 'extracting orders|transforming 1234 rows|loading into warehouse' },
                    { name: 'SIM_LOG_INTERVAL', value: '400ms' },
                    { name: 'SIM_TERMINATION_MESSAGE', value: '{"rows":1234}' },
                  ],
                },
              ],
            },
          },
        },
      },
    },
  };
}

/** Three indexes at once; the pod simulator fails each index's first attempt (SIM_FAIL_ATTEMPTS). */
function sampleParallelJob() {
  return {
    metadata: { name: PARALLEL_JOB, labels: { team: 'data' } },
    spec: {
      suspend: true, // a template: only its clones run
      completionMode: 'Indexed',
      completions: 3,
      parallelism: 3,
      backoffLimit: 3,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'shard',
              image: 'registry.example.com/etl:1.4.2',
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              env: [
                { name: 'RUN_DATE', value: 'yesterday' },
                { name: 'SIM_LOG', value: 'loading shard|done' },
                { name: 'SIM_DURATION', value: '2s' },
                { name: 'SIM_FAIL_ATTEMPTS', value: '1' },
              ],
            },
          ],
        },
      },
    },
  };
}

const SAMPLES = {
  cronjob: {
    create: (batch) => batch.createNamespacedCronJob({ namespace: NAMESPACE, body: sampleCronJob() }),
    what: `cronjobs/${NAMESPACE}/${CRONJOB}`,
    inputs: { cronjob: CRONJOB, params: '{"RUN_DATE":"2026-11-21","DRY_RUN":"false"}' },
  },
  parallel: {
    create: (batch) => batch.createNamespacedJob({ namespace: NAMESPACE, body: sampleParallelJob() }),
    what: `jobs/${NAMESPACE}/${PARALLEL_JOB}`,
    inputs: { job: PARALLEL_JOB, params: '{"RUN_DATE":"2026-11-21"}' },
  },
};

async function main() {
  const sample = SAMPLES[process.argv[2] ?? 'cronjob'];
  if (!sample) throw new Error(`Unknown sample '${process.argv[2]}': use one of ${Object.keys(SAMPLES).join(', ')}.`);
  console.log('Building the local control plane (cached after the first time)…');
  ensureBuilt();
  const kubeconfigPath = join(mkdtempSync(join(tmpdir(), 'demo-')), 'kubeconfig');
  const cluster = await startCluster({ kubeconfigPath });
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
    await sample.create(kc.makeApiClient(BatchV1Api));
    console.log(`Control plane at ${cluster.server}; created ${sample.what}.\n`);
    const inputs = {
      ...sample.inputs,
      namespace: NAMESPACE,
      timeout: '5m',
      kubeconfig: readFileSync(kubeconfigPath, 'utf8'),
    };
    console.log(`Running dist/main/index.js with ${JSON.stringify({ ...inputs, kubeconfig: '<local control plane>' })}\n`);
    const files = runnerFiles();
    const main = startStep({ step: 'main', inputs, files, onStdout: (d) => process.stdout.write(d) });
    const result = await main.done;
    const post = startStep({ step: 'post', inputs, files });
    const postResult = await post.done;
    console.log(`\n--- main step exit code: ${result.code}; post step exit code: ${postResult.code}`);
    console.log('--- outputs (GITHUB_OUTPUT):');
    for (const [k, v] of Object.entries(readOutputs(files))) console.log(`  ${k} = ${v}`);
    console.log('--- job summary (GITHUB_STEP_SUMMARY):\n' + readFileSync(files.summary, 'utf8'));
    process.exitCode = result.code ?? 1;
  } finally {
    await cluster.stop();
  }
}

await main();
