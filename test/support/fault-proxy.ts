/**
 * A TLS-terminating proxy that injects faults into single requests and streams, for the fault
 * campaigns (bench/chaos) and their seeded subset in `npm test`. It sits in front of the real API
 * server or an HTTPS fake (Entra ID, ARM); a plan decides per request which fault it gets, so a
 * campaign drives faults from its seeded PRNG and a failure replays from its seed. Outages refuse
 * connections for real (the listener is closed, open connections cut), as a restarting API server
 * or a lost load balancer does.
 */
import { createServer, request, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { createTestCa, type TestCa } from '../fakes/test-ca.js';

export type Fault =
  /** Never forwarded; the connection is closed without an answer. */
  | { readonly kind: 'drop' }
  /** Never forwarded; the connection is reset (TCP RST). */
  | { readonly kind: 'reset' }
  /** Forwarded, so the upstream acts on it, but its answer is lost (connection closed). */
  | { readonly kind: 'lose-answer' }
  /** Forwarded; the answer is held back `ms` (past the client's deadline when long enough). */
  | { readonly kind: 'delay'; readonly ms: number }
  /**
   * The proxy answers `code` itself, with Retry-After when given: before forwarding (the upstream
   * never sees it) or, with `afterUpstream`, once the upstream has acted on the request.
   */
  | { readonly kind: 'status'; readonly code: number; readonly retryAfterSeconds?: number; readonly afterUpstream?: boolean }
  /** Forwarded; the answer (a watch, a log follow) is cut `afterMs` after it started. */
  | { readonly kind: 'cut'; readonly afterMs: number };

export interface ProxiedRequest {
  readonly method: string;
  /** Path with query, as sent. */
  readonly path: string;
  /** ms since the proxy started. */
  readonly at: number;
}

export interface LoggedRequest extends ProxiedRequest {
  /** The fault this request got, if any. */
  readonly fault: Fault | undefined;
}

/** Which fault a request gets; undefined forwards it untouched. */
export type FaultPlan = (req: ProxiedRequest) => Fault | undefined;

export interface FaultProxyOptions {
  /** e.g. https://127.0.0.1:6443 */
  readonly upstream: string;
  /** CA (PEM) the upstream's certificate is issued by. */
  readonly upstreamCaPem: string;
  readonly plan?: FaultPlan;
  /**
   * Replace the upstream's origin with the proxy's in answers, so documents that carry absolute
   * URLs (Entra's OpenID discovery: token_endpoint) send the client back through the proxy.
   */
  readonly rewriteOrigin?: boolean;
}

export interface FaultProxy {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  /** The CA the proxy's certificate is issued by (one for every fault proxy of the process). */
  readonly caPem: string;
  /** Every request that reached the proxy, in arrival order (also those it faulted). */
  readonly log: readonly LoggedRequest[];
  /** Replace the plan (e.g. faults only after a run got going). */
  setPlan(plan: FaultPlan | undefined): void;
  /** Refuse connections from now on (listener closed, open connections cut), or serve again. */
  setDown(down: boolean): Promise<void>;
  close(): Promise<void>;
}

let sharedCa: TestCa | undefined;
/** One CA for every fault proxy: created on first use (key generation costs a few ms). */
export function faultProxyCa(): TestCa {
  sharedCa ??= createTestCa('fault proxy CA');
  return sharedCa;
}

const ignore = (): void => undefined;

export async function startFaultProxy(o: FaultProxyOptions): Promise<FaultProxy> {
  const ca = faultProxyCa();
  const cert = ca.issueServerCertificate();
  const target = new URL(o.upstream);
  const started = Date.now();
  const log: LoggedRequest[] = [];
  let plan = o.plan;
  let url = '';

  const forward = (req: IncomingMessage, res: ServerResponse, fault: Fault | undefined): void => {
    const upstreamReq = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, ca: o.upstreamCaPem },
      (up) => {
        if (fault?.kind === 'lose-answer') {
          up.resume();
          up.on('end', () => req.socket.destroy());
          return;
        }
        if (fault?.kind === 'status') {
          up.resume();
          up.on('end', () => answerStatus(res, fault));
          return;
        }
        const answer = (): void => {
          if (res.destroyed) return void up.destroy();
          const rewrite = o.rewriteOrigin === true && /json/.test(String(up.headers['content-type'] ?? ''));
          if (rewrite) return void rewriteBody(up, res, target.origin, url);
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          if (fault?.kind === 'cut') setTimeout(() => { up.destroy(); res.destroy(); }, fault.afterMs).unref();
        };
        if (fault?.kind === 'delay') setTimeout(answer, fault.ms).unref();
        else answer();
      },
    );
    upstreamReq.on('error', () => req.socket.destroy());
    res.on('close', () => upstreamReq.destroy());
    req.pipe(upstreamReq);
  };

  const server: Server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    req.on('error', ignore);
    res.on('error', ignore);
    const seen: ProxiedRequest = { method: req.method ?? '', path: req.url ?? '', at: Date.now() - started };
    const fault = plan?.(seen);
    log.push({ ...seen, fault });
    if (fault?.kind === 'drop') return void req.socket.destroy();
    if (fault?.kind === 'reset') return void resetConnection(req.socket);
    if (fault?.kind === 'status' && fault.afterUpstream !== true) {
      req.resume();
      return void answerStatus(res, fault);
    }
    forward(req, res, fault);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  url = `https://127.0.0.1:${port}`;
  let down = false;
  let closed = false;
  return {
    url,
    caPem: ca.certPem,
    log,
    setPlan(next) {
      plan = next;
    },
    async setDown(value) {
      if (value === down || closed) return;
      down = value;
      if (value) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      } else {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
          });
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answerStatus(res: ServerResponse, fault: Extract<Fault, { kind: 'status' }>): void {
  if (res.destroyed) return;
  // A Kubernetes Status, as the API server (and API Priority and Fairness) answers; Azure clients
  // only read the status code and Retry-After.
  const body = JSON.stringify({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: fault.code,
    reason: fault.code === 429 ? 'TooManyRequests' : fault.code === 503 ? 'ServiceUnavailable' : 'InternalError',
    message: fault.code === 429 ? 'Too many requests, please try again later.' : `injected ${fault.code}`,
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  res.writeHead(fault.code, headers).end(body);
}

function rewriteBody(up: IncomingMessage, res: ServerResponse, from: string, to: string): void {
  const chunks: Buffer[] = [];
  up.on('data', (c: Buffer) => chunks.push(c));
  up.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8').split(from).join(to);
    const headers = { ...up.headers, 'content-length': String(Buffer.byteLength(text)) };
    delete headers['transfer-encoding'];
    res.writeHead(up.statusCode ?? 502, headers).end(text);
  });
}

export interface ApiServerFaultProxy extends FaultProxy {
  /** A KubeConfig for the admin identity through the proxy. */
  readonly kubeConfig: KubeConfig;
  /** The same as kubeconfig YAML (the action's `kubeconfig` input). */
  readonly kubeconfigText: string;
}

/** A fault proxy in front of the API server `admin` points at, with the admin's token. */
export async function startApiServerFaultProxy(admin: KubeConfig, plan?: FaultPlan): Promise<ApiServerFaultProxy> {
  const cluster = admin.getCurrentCluster();
  const user = admin.getCurrentUser();
  if (!cluster?.caData || !user?.token) throw new Error('the admin kubeconfig must carry CA data and a token');
  const proxy = await startFaultProxy({ upstream: cluster.server, upstreamCaPem: Buffer.from(cluster.caData, 'base64').toString('utf8'), plan });
  const text = kubeconfigFor(proxy.url, proxy.caPem, user.token);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(text);
  return Object.assign(proxy, { kubeConfig, kubeconfigText: text });
}

/** Kubeconfig YAML for `server` (trusting `caPem`) with a bearer token. */
export function kubeconfigFor(server: string, caPem: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: 'u', user: { token } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'c',
  });
}

/** TCP RST: on the TCP socket under the TLS one (a TLSSocket cannot reset itself). */
function resetConnection(socket: IncomingMessage['socket']): void {
  const raw = (socket as unknown as { _parent?: Socket | null })._parent;
  if (raw && typeof raw.resetAndDestroy === 'function') raw.resetAndDestroy();
  else socket.destroy();
}
