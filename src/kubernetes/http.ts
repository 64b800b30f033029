/**
 * Raw requests for what the generated client does poorly: long watches (its Watch has a fixed 30 s
 * inactivity timer) and log streams (its Log discards error bodies). Authentication comes from
 * KubeConfig.applySecurityAuthentication, so refreshing Azure tokens apply here as well.
 */
import { Readable } from 'node:stream';
import type { AgentOptions } from 'node:https';
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { Agent, ProxyAgent, fetch, type Dispatcher } from 'undici';
import { errorFromResponse, type Target } from './api-error.js';

export type Query = Record<string, string | number | boolean | undefined>;

const streamDispatchers = new WeakMap<KubeConfig, Dispatcher | undefined>();

/**
 * A dispatcher for long streams: the kubeconfig's TLS settings (as client-node's own) but no body
 * timeout. undici's default of 300 s would cut a `follow=true` log that is silent for five minutes,
 * common in batch work. Watches carry their own deadline (list-watch.ts).
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
    headers: ctx.getHeaders(),
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
