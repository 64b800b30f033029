/**
 * A Job followed through ARM runCommand: the ARM fake's runCommand runs each command with the real
 * kubectl against the local control plane (which trusts the Entra fake's tokens, as AKS trusts
 * Entra ID), and the action's in-process run flow drives it through ArmRunCommandRunner exactly as
 * `private-cluster: true` does. Reports ARM requests, commands started (and follow batches per
 * job-hour once the first minute's ramp is over), and the
 * delay from a log line being written (its kubelet timestamp) to the action printing it.
 * Not a test: it prints figures; nothing asserts timings.
 *
 *   npx tsx bench/run-command.ts          BENCH_RC_SECONDS (600): the Job's duration
 *                                         BENCH_RC_LOG_INTERVAL_S (15): a log line every so often
 * bench/run.ts calls benchRunCommand() and stores its figures in bench/results.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ensureBuilt, startCluster } from '../scripts/localcluster.mjs';
import { actionDefaults } from '../scripts/lib/runner.mjs';
import { signInToAks } from '../src/azure/sign-in.js';
import type { ArmRunCommandRunner } from '../src/azure/run-command.js';
import type { ClusterCommandRunner } from '../src/core/cluster-commands.js';
import { routed } from '../src/connect.js';
import { parseRunSettings } from '../src/core/parse-settings.js';
import type { AzureConnection } from '../src/core/settings.js';
import { RunCommandCluster } from '../src/kubernetes/run-command-cluster.js';
import { runJob } from '../src/run/run-job.js';
import { systemClock } from '../src/system-clock.js';
import { ROLE, clusterResourceId } from '../test/fakes/arm.js';
import { gitHubTokenSource } from '../test/fakes/github-oidc.js';
import { controlPlaneJwtArgs, startIdentityProviders } from '../test/fakes/identity-providers.js';
import { bindRole, entraUser, localApiServer } from '../test/support/cluster-identities.js';
import { RecordingReporter } from '../test/support/recording-reporter.js';
import { readmeRole } from '../test/support/readme-role.js';
import { TEST_CONTEXT } from '../test/support/run-action.js';
import { sourceJob } from '../test/support/sources.js';
import { summarize } from './stats.js';

export interface RunCommandBench {
  readonly jobSeconds: number;
  readonly status: string | undefined;
  readonly wallSeconds: number;
  readonly commands: number;
  readonly armRequests: number;
  /** Follow batches per hour once the ramp is over (after the first minute): what a long Job costs. */
  readonly commandsPerJobHour: number;
  /** Mean ARM requests (POST + result polls) per command. */
  readonly armRequestsPerCommand: number;
  readonly linesPrinted: number;
  readonly linesWritten: number;
  /** Seconds from a line's kubelet timestamp to the action printing it. */
  readonly lineDelaySeconds: ReturnType<typeof summarize>;
}

const NS = 'bench-rc';

export async function benchRunCommand(jobSeconds = Number(process.env.BENCH_RC_SECONDS ?? 600), intervalSeconds = Number(process.env.BENCH_RC_LOG_INTERVAL_S ?? 15)): Promise<RunCommandBench> {
  ensureBuilt();
  const identity = await startIdentityProviders();
  const dir = mkdtempSync(join(tmpdir(), 'bench-rc-'));
  const cluster = await startCluster({ kubeconfigPath: join(dir, 'kubeconfig'), extraArgs: controlPlaneJwtArgs(identity.info) });
  try {
    const admin = new KubeConfig();
    admin.loadFromFile(cluster.kubeconfigPath);
    await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
    const count = Math.max(1, Math.floor(jobSeconds / intervalSeconds));
    const lines = Array.from({ length: count }, (_, i) => `tick ${i + 1}`);
    await admin.makeApiClient(BatchV1Api).createNamespacedJob({
      namespace: NS,
      body: sourceJob('long', { env: { SIM_LOG: lines.join('|'), SIM_LOG_INTERVAL: `${intervalSeconds}s`, SIM_DURATION: `${jobSeconds}s` } }),
    });

    const { info } = identity;
    const gh = await identity.addGitHubJob({ repository: 'polysync/bench' });
    const app = await identity.registerApp({ tenantId: info.tenantId, federatedCredentials: [{ issuer: gh.issuer, subject: gh.subject }] });
    const subscriptionId = randomUUID();
    await identity.addCluster({ subscriptionId, resourceGroup: 'rg', name: 'aks', ...localApiServer(admin), entra: true, tenantId: info.tenantId, privateCluster: true });
    await identity.assignRole({ principalId: app.objectId, role: ROLE.clusterAdmin, scope: clusterResourceId(subscriptionId, 'rg', 'aks') });
    await bindRole(admin, NS, 'bench-rc', readmeRole(), entraUser(app.objectId));
    const connection: AzureConnection = {
      kind: 'azure', signIn: { kind: 'oidc' }, clientId: app.clientId, tenantId: info.tenantId, subscriptionId, resourceGroup: 'rg', clusterName: 'aks',
      environment: 'AzureCloud', admin: false, audience: 'api://AzureADTokenExchange', privateCluster: 'true',
    };
    const connected = await routed(connection, await signInToAks(connection, gitHubTokenSource(gh, info.caPem), () => {}, {
      endpoints: { authorityHost: info.authorityHost, resourceManager: info.armEndpoint }, extraCaPem: info.caPem,
    }));
    const arm = connected.runCommand as ArmRunCommandRunner;
    // When each command started, for the steady rate.
    const startedAt: number[] = [];
    const runner: ClusterCommandRunner = {
      run: (command, files, signal) => {
        startedAt.push(Date.now());
        return arm.run(command, files, signal);
      },
    };

    // Each printed line with the moment it was printed.
    const printedAt = new Map<string, number>();
    const reporter = new RecordingReporter();
    const info0 = reporter.info.bind(reporter);
    reporter.info = (message: string) => {
      if (message.startsWith('tick ') && !printedAt.has(message)) printedAt.set(message, Date.now());
      info0(message);
    };
    const all: Record<string, string> = { ...actionDefaults(), job: 'long', namespace: NS, timeout: `${jobSeconds + 600}s` };
    const settings = parseRunSettings((name) => all[name] ?? '');
    const jobCluster = new RunCommandCluster(runner, systemClock, reporter);
    const t0 = Date.now();
    await runJob(settings, { cluster: jobCluster, reporter, clock: systemClock, context: TEST_CONTEXT, random: Math.random, monitorUrl: undefined }, new AbortController().signal)
      .catch((err: unknown) => reporter.info(`run failed: ${String(err)}`));
    const wallSeconds = (Date.now() - t0) / 1000;

    // When each line was written: the kubelet's timestamps, read afterwards as admin.
    const name = reporter.outputs['run-id'] ?? '';
    const pods = await admin.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: NS, labelSelector: `batch.kubernetes.io/job-name=${name}` });
    const pod = pods.items[0]?.metadata?.name ?? '';
    const log = await admin.makeApiClient(CoreV1Api).readNamespacedPodLog({ namespace: NS, name: pod, timestamps: true });
    const delays: number[] = [];
    for (const raw of log.split('\n')) {
      const space = raw.indexOf(' ');
      const at = printedAt.get(raw.slice(space + 1));
      if (space > 0 && at !== undefined) delays.push((at - Date.parse(raw.slice(0, space))) / 1000);
    }
    const stats = arm.stats();
    // After the ramp, and before the end's reads and final catch-up batch (the last 15 s).
    const steady = startedAt.filter((t) => t - t0 >= 60_000 && t <= t0 + wallSeconds * 1000 - 15_000);
    const span = (steady.at(-1) ?? 0) - (steady[0] ?? 0);
    return {
      jobSeconds, status: reporter.outputs.status, wallSeconds,
      commands: jobCluster.commandsStarted, armRequests: stats.armRequests,
      commandsPerJobHour: steady.length > 1 ? Math.round(((steady.length - 1) * 3_600_000) / span) : Number.NaN,
      armRequestsPerCommand: Math.round((stats.armRequests / Math.max(1, stats.commands)) * 10) / 10,
      linesPrinted: printedAt.size, linesWritten: count,
      lineDelaySeconds: summarize(delays),
    };
  } finally {
    await cluster.stop();
    await identity.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchRunCommand();
  console.log(JSON.stringify(result, null, 2));
}
