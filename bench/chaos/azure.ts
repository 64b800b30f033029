/**
 * Azure faults: fault proxies in front of the Entra ID and ARM fakes answer 429 (Retry-After) or
 * 5xx, answer slowly, or drop the connection, at sign-in and at every token renewal of a Job that
 * outlives its tokens (20 s tokens: each Kubernetes request needs a new one). What a retry can fix,
 * the run survives; a service that stays down fails sign-in within a bounded time, with an error
 * that names that service.
 */
import { randomUUID } from 'node:crypto';
import { signInToAks } from '../../src/azure/sign-in.js';
import { clusterResourceId, ROLE } from '../../test/fakes/arm.js';
import { gitHubTokenSource } from '../../test/fakes/github-oidc.js';
import { bindRole, entraUser, localApiServer } from '../../test/support/cluster-identities.js';
import { startFaultProxy, type Fault, type FaultPlan, type FaultProxy } from '../../test/support/fault-proxy.js';
import { prng, type Prng } from '../../test/support/prng.js';
import { readmeRole } from '../../test/support/readme-role.js';
import { runAction } from '../../test/support/run-action.js';
import { describeFault } from './lossy-creates.js';
import { createSource, jobEnd, numberedLines, runProblems, runsOf, type Campaign, type ChaosWorld, type TrialResult } from './world.js';

const SERVICE = { entra: /Entra ID/, arm: /\bARM\b/ } as const;
type Service = keyof typeof SERVICE;

function transientFault(r: Prng): Fault {
  return r.pick<Fault>([
    { kind: 'status', code: 429, retryAfterSeconds: r.int(1, 2) },
    { kind: 'status', code: 500 },
    { kind: 'status', code: 503, retryAfterSeconds: 1 },
    { kind: 'delay', ms: r.int(1000, 4000) },
    { kind: 'drop' },
    { kind: 'reset' },
  ]);
}

/** At most `budget` faults, each request faulted with probability p, never two in a row. */
function transientPlan(r: Prng, p: number, budget: number, drawn: string[], service: Service): FaultPlan {
  let left = budget;
  let last = false;
  return () => {
    if (left === 0 || last || !r.chance(p)) return void (last = false);
    left--;
    last = true;
    const f = transientFault(r);
    drawn.push(`${service} ${describeFault(f)}`);
    return f;
  };
}

async function setUp(w: ChaosWorld, source: string, tokenLifetimeSeconds: number) {
  const { identity } = w;
  const { info } = identity;
  const job = await identity.addGitHubJob({ repository: 'polysync/jobs', lifetimeSeconds: Math.max(60, tokenLifetimeSeconds) });
  const app = await identity.registerApp({ tenantId: info.tenantId, federatedCredentials: [{ issuer: job.issuer, subject: job.subject }], tokenLifetimeSeconds });
  const subscriptionId = randomUUID();
  await identity.addCluster({ subscriptionId, resourceGroup: 'rg-chaos', name: 'aks-chaos', ...localApiServer(w.admin), entra: true, tenantId: info.tenantId });
  await identity.assignRole({ principalId: app.objectId, role: ROLE.clusterUser, scope: clusterResourceId(subscriptionId, 'rg-chaos', 'aks-chaos') });
  await bindRole(w.admin, w.namespace, `chaos-${source}`, readmeRole(), entraUser(app.objectId));
  return {
    job,
    conn: {
      kind: 'azure', signIn: { kind: 'oidc' }, clientId: app.clientId, tenantId: info.tenantId, subscriptionId, resourceGroup: 'rg-chaos',
      clusterName: 'aks-chaos', environment: 'AzureCloud', admin: false, audience: 'api://AzureADTokenExchange', privateCluster: 'false',
    } as const,
  };
}

export async function azureTrial(w: ChaosWorld, seed: number): Promise<TrialResult> {
  const r = prng(seed);
  const { info } = w.identity;
  const persistent = r.chance(0.35) ? r.pick<Service>(['entra', 'arm']) : undefined;
  const source = `azure-${seed.toString(36)}`;
  const drawn: string[] = [];
  const lines = numberedLines('az', 6);
  await createSource(w, source, { SIM_DURATION: `${r.int(6, 25)}s`, SIM_LOG: lines.join('|'), SIM_LOG_INTERVAL: '1s' });
  const { job, conn } = await setUp(w, source, 20);
  const down: Fault = r.pick<Fault>([{ kind: 'status', code: 503, retryAfterSeconds: 1 }, { kind: 'status', code: 500 }, { kind: 'reset' }, { kind: 'status', code: 429, retryAfterSeconds: 2 }]);
  const plan = (service: Service): FaultPlan => (persistent === service ? () => down : transientPlan(r, 0.25, r.int(1, 4), drawn, service));
  if (persistent) drawn.push(`${persistent} always ${describeFault(down)}`);
  const proxies: FaultProxy[] = [];
  try {
    const entra = await startFaultProxy({ upstream: info.authorityHost, upstreamCaPem: info.caPem, rewriteOrigin: true, plan: plan('entra') });
    proxies.push(entra);
    const arm = await startFaultProxy({ upstream: info.armEndpoint, upstreamCaPem: info.caPem, plan: plan('arm') });
    proxies.push(arm);
    const t0 = Date.now();
    const signedIn = await signInToAks(conn, gitHubTokenSource(job, info.caPem), () => undefined, {
      endpoints: { authorityHost: entra.url, resourceManager: arm.url },
      extraCaPem: `${info.caPem}\n${entra.caPem}`,
    }).then((s) => s, (e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    const took = Date.now() - t0;
    if (persistent) {
      const problems: string[] = [];
      if (!(signedIn instanceof Error)) problems.push('signed in although the service never answered');
      else if (!SERVICE[persistent].test(signedIn.message)) problems.push(`error does not name ${persistent}: ${signedIn.message}`);
      if (took > 120_000) problems.push(`failed after ${Math.round(took / 1000)} s`);
      const what = signedIn instanceof Error ? signedIn.message.slice(0, 160) : '';
      return { ok: problems.length === 0, detail: `${drawn.join(', ')}; failed in ${took} ms${problems.length ? `; ${problems.join('; ')}` : `: ${what}`}` };
    }
    if (signedIn instanceof Error) return { ok: false, detail: `${drawn.join(', ')}; sign-in failed: ${signedIn.message}` };
    const run = await runAction(signedIn.kubeConfig, { job: source, namespace: w.namespace, timeout: '5m' });
    const jobs = await runsOf(w, source);
    const problems = runProblems(run, jobs, lines);
    // These sources always complete: a Failed end would be the fault's doing.
    if (jobEnd(jobs[0]) !== 'Complete') problems.push(`real end ${jobEnd(jobs[0])}, not Complete`);
    const renewals = entra.log.filter((q) => q.method === 'POST').length;
    return { ok: problems.length === 0, detail: `${drawn.join(', ') || 'no fault drawn'}; ${renewals} token requests${problems.length ? `; ${problems.join('; ')}` : ''}` };
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
  }
}

export const azureFaults = (trials: number): Campaign => ({
  name: 'azure-faults',
  promise: 'survives retryable Entra/ARM faults; names the service otherwise',
  trials,
  concurrency: 3,
  run: azureTrial,
});
