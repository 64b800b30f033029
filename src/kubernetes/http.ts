/**
 * The one HTTP layer to the API server: JSON requests (reads, lists, creates, deletes), long
 * watches and log streams. Credentials and TLS come from client-node's KubeConfig
 * (applySecurityAuthentication, createDispatcherOptions), so exec plugins and refreshing Azure
 * tokens apply here as everywhere. client-node's generated APIs are not used: with their
 * ObjectSerializer they pull every model into the bundle, and loading them was most of the
 * action's start-up (issue #13); we only need the JSON the server sends. Objects therefore keep
 * the server's wire form: date-time fields are RFC 3339 strings (code reading them uses `new Date`).
 */
import { Readable } from 'node:stream';
import type { AgentOptions } from 'node:https';
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { Agent, ProxyAgent, fetch, type Dispatcher } from 'undici';
import { errorFromResponse, type Target } from './api-error.js';

export type Query = Record<string, string | number | boolean | undefined>;

const streamDispatchers = new WeakMap<KubeConfig, Dispatcher | undefined>();

/**
 * One dispatcher per kubeconfig, for requests and streams alike, so connections are reused (the
 * generated client made a new Agent, and a new TLS handshake, per call): the kubeconfig's TLS
 * settings (as client-node's own) but no body timeout. undici's default of 300 s would cut a
 * `follow=true` log that is silent for five minutes, common in batch work. Requests carry their
 * own deadline (requestJson's `signal`), watches theirs (list-watch.ts).
 */
async function streamDispatcher(kc: KubeConfig, fallback: Dispatcher | undefined): Promise<Dispatcher | undefined> {
  if (streamDispatchers.has(kc)) return streamDispatchers.get(kc) ?? fallback;
  const tls: AgentOptions = {};
  await kc.applyToHTTPSOptions(tls);
  const o = kc.createDispatcherOptions(kc.getCurrentCluster(), tls);
  const dispatcher =
    o.type === 'agent' ? new Agent({ connect: o.connect, bodyTimeout: 0 })
      : o.type === 'none' ? new Agent({ bodyTimeout: 0 })
        : o.type === 'proxy' ? new ProxyAgent({ uri: o.uri, requestTls: o.requestTls, connect: o.connect, bodyTimeout: 0 })
          : undefined; // socks: client-node's own dispatcher
  streamDispatchers.set(kc, dispatcher);
  return dispatcher ?? fallback;
}

function buildUrl(kc: KubeConfig, path: string, query: Query): string {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('The kubeconfig has no current cluster: set current-context.');
  const url = new URL(cluster.server + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

/** The User-Agent of every request, so API server audit logs name the action. */
const USER_AGENT = 'polysync-aks-action';

export interface JsonRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  /** Aborts the request (the caller's run signal combined with its deadline). */
  readonly signal: AbortSignal;
}

/**
 * One request with a JSON answer. Non-2xx answers throw KubernetesApiError with the server's
 * Status message (and Retry-After); network failures are thrown as undici raises them, for
 * toApiError to name.
 */
export async function requestJson<T>(kc: KubeConfig, request: JsonRequest, target: Target): Promise<T> {
  const url = buildUrl(kc, request.path, request.query ?? {});
  const ctx = new RequestContext(url, HttpMethod[request.method]);
  await kc.applySecurityAuthentication(ctx);
  const headers: Record<string, string> = { ...ctx.getHeaders(), accept: 'application/json', 'user-agent': USER_AGENT };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: request.method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    dispatcher: (await streamDispatcher(kc, ctx.getDispatcher())) as never,
    signal: request.signal,
  });
  const text = await response.text();
  if (response.status < 200 || response.status > 299) {
    throw errorFromResponse(response.status, text, target, response.headers.get('retry-after') ?? undefined);
  }
  return JSON.parse(text) as T;
}

/**
 * Opens a streaming GET and yields its body line by line until the server closes it or the signal
 * aborts. Non-200 answers throw KubernetesApiError with the server's Status message. A line longer
 * than `maxLineLength` characters is cut there and ends with a note saying how much was left out,
 * so one endless line cannot hold the process's memory (readline keeps a line whole).
 */
export async function* streamLines(
  kc: KubeConfig,
  path: string,
  query: Query,
  signal: AbortSignal,
  target: Target,
  maxLineLength = Number.POSITIVE_INFINITY,
): AsyncGenerator<string> {
  const url = buildUrl(kc, path, query);
  const ctx = new RequestContext(url, HttpMethod.GET);
  await kc.applySecurityAuthentication(ctx);
  const response = await fetch(url, {
    method: 'GET',
    headers: { ...ctx.getHeaders(), 'user-agent': USER_AGENT },
    dispatcher: (await streamDispatcher(kc, ctx.getDispatcher())) as never,
    signal,
  });
  if (response.status !== 200 || !response.body) {
    const text = await response.text().catch(() => '');
    throw errorFromResponse(response.status, text, target, response.headers.get('retry-after') ?? undefined);
  }
  const body = Readable.fromWeb(response.body as never);
  const onAbort = (): void => void body.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    yield* splitLines(body, maxLineLength);
  } catch (err) {
    if (!signal.aborted) throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    body.destroy();
  }
}

/** Splits a byte stream on `\n` (dropping a trailing `\r`), keeping at most `max` characters of a line. */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let line = '';
  let dropped = 0;
  const finish = (): string => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    const out = dropped > 0 ? `${text} … [line cut at ${max} characters; ${dropped} more not shown]` : text;
    line = '';
    dropped = 0;
    return out;
  };
  const append = (part: string): void => {
    const room = max - line.length;
    if (part.length <= room) line += part;
    else {
      line += part.slice(0, Math.max(0, room));
      dropped += part.length - Math.max(0, room);
    }
  };
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      append(text.slice(start, nl));
      yield finish();
      start = nl + 1;
    }
    append(text.slice(start));
  }
  append(decoder.decode());
  if (line.length > 0 || dropped > 0) yield finish();
}
