/**
 * An HTTPS proxy in front of the API server that records every request it forwards (the
 * benchmark's independent request count) and, on request, loses the answer to the first Job
 * create: the API server creates the Job, the client's connection is dropped without a reply, the
 * case a retrying client must survive without creating a duplicate.
 */
import { createServer, request, type RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { createTestCa } from '../fakes/test-ca.js';

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly userAgent: string;
  /** The bearer token the client sent ('' when none): which credential each request carried. */
  readonly token: string;
}

export interface ApiProxy {
  readonly kubeConfig: KubeConfig;
  /** The same, as kubeconfig YAML (for the action's `kubeconfig` input). */
  readonly kubeconfigText: string;
  /** Every request forwarded, in arrival order. */
  readonly requests: readonly ProxiedRequest[];
  /** Job creates the proxy forwarded, including one whose answer it dropped. */
  readonly jobCreates: number;
  /**
   * An API outage: while on, open connections are cut and new requests are dropped unanswered;
   * off restores service.
   */
  setOutage(down: boolean): void;
  /** Requests arriving in the next `ms` get no answer (their connection is dropped): a brief outage. */
  unreachableFor(ms: number): void;
  /** Requests dropped by unreachableFor, as `METHOD path`. */
  readonly dropped: readonly string[];
  close(): Promise<void>;
}

export interface ProxyFaults {
  readonly loseFirstJobCreateAnswer?: boolean;
  /** Hold back every Job create's answer this long (the create is in flight). */
  readonly delayJobCreateAnswerMs?: number;
  /** End every watch stream after this long, as a load balancer or the API server's timeout would. */
  readonly cutWatchesAfterMs?: number;
  /** End every pod log stream after this long (a dropped connection mid-follow). */
  readonly cutLogsAfterMs?: number;
  /** Answer the first Job watch with the ERROR event the API server sends for an expired resourceVersion. */
  readonly expireFirstJobWatch?: boolean;
}

/** What kube-apiserver streams when a watch's resourceVersion is too old (staging/src/k8s.io/apiserver/pkg/storage/errors). */
const EXPIRED_EVENT = JSON.stringify({
  type: 'ERROR',
  object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (2)', reason: 'Expired', code: 410 },
});

export async function startApiProxy(
  upstream: KubeConfig,
  options: ProxyFaults = {},
): Promise<ApiProxy> {
  const cluster = upstream.getCurrentCluster();
  const user = upstream.getCurrentUser();
  if (!cluster?.caData || !user?.token) throw new Error('the admin kubeconfig must carry CA data and a token');
  const target = new URL(cluster.server);
  const ca = createTestCa('api proxy CA');
  const requests: ProxiedRequest[] = [];
  const cert = ca.issueServerCertificate();
  let jobCreates = 0;
  let dropped = !options.loseFirstJobCreateAnswer;
  const createAnswerDelayMs = options.delayJobCreateAnswerMs ?? 0;
  let jobWatchExpired = !options.expireFirstJobWatch;
  let down = false;
  let unreachableUntil = 0;
  const droppedRequests: string[] = [];
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    if (down || Date.now() < unreachableUntil) {
      if (!down) droppedRequests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      req.socket.destroy();
      return;
    }
    const isJobCreate = req.method === 'POST' && /\/apis\/batch\/v1\/namespaces\/[^/]+\/jobs(\?|$)/.test(req.url ?? '');
    if (isJobCreate) jobCreates++;
    const token = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    requests.push({ method: req.method ?? '', path: req.url ?? '', userAgent: String(req.headers['user-agent'] ?? ''), token });
    const isWatch = /[?&]watch=true/.test(req.url ?? '');
    if (isWatch && !jobWatchExpired && /\/jobs\?/.test(req.url ?? '')) {
      jobWatchExpired = true;
      res.writeHead(200, { 'content-type': 'application/json' }).end(`${EXPIRED_EVENT}\n`);
      return;
    }
    if (isWatch && options.cutWatchesAfterMs !== undefined) setTimeout(() => res.destroy(), options.cutWatchesAfterMs).unref();
    const isLog = /\/pods\/[^/]+\/log\?/.test(req.url ?? '');
    if (isLog && options.cutLogsAfterMs !== undefined) setTimeout(() => res.destroy(), options.cutLogsAfterMs).unref();
    const upstreamOptions: RequestOptions = {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
      ca: Buffer.from(cluster.caData ?? '', 'base64'),
    };
    const upstreamReq = request(upstreamOptions, (upstreamRes) => {
      if (isJobCreate && !dropped) {
        dropped = true;
        upstreamRes.resume();
        upstreamRes.on('end', () => req.socket.destroy()); // created upstream; the client never hears of it
        return;
      }
      const answer = (): void => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      };
      if (isJobCreate && createAnswerDelayMs > 0) setTimeout(answer, createAnswerDelayMs);
      else answer();
    });
    upstreamReq.on('error', () => req.socket.destroy());
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'proxy', server: `https://127.0.0.1:${port}`, caData: Buffer.from(ca.certPem).toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'admin', token: user.token }],
    contexts: [{ name: 'proxy', cluster: 'proxy', user: 'admin' }],
    currentContext: 'proxy',
  });
  const kubeconfigText = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'proxy', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
    users: [{ name: 'admin', user: { token: user.token } }],
    contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'admin' } }],
    'current-context': 'proxy',
  });
  return {
    kubeConfig: kc,
    kubeconfigText,
    requests,
    get jobCreates() {
      return jobCreates;
    },
    setOutage(value: boolean) {
      down = value;
      if (value) server.closeAllConnections();
    },
    unreachableFor(ms) {
      unreachableUntil = Date.now() + ms;
    },
    dropped: droppedRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
