/**
 * One ARM request with a deadline, for the runCommand client: @azure/core-rest-pipeline as in
 * aks-credentials.ts (HTTPS_PROXY, the tests' CA, retries of resets, 408/5xx with exponential backoff
 * and of 429/503 after their Retry-After, at most `maxRetries` times). The bearer token is asked for
 * on every request, so a long poll picks up a renewed token; core's log policy redacts Authorization
 * and never logs bodies (runCommand's body carries the cluster token).
 */
import { createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest, type Pipeline } from '@azure/core-rest-pipeline';
import { trustExtraCa } from './tls.js';

export interface ArmResponse {
  readonly status: number;
  header(name: string): string | undefined;
  readonly bodyText: string;
}

export interface ArmRequestOptions {
  /** A fresh (cached, renewed) ARM access token. */
  readonly accessToken: () => Promise<string>;
  readonly extraCaPem?: string;
  /** Deadline of one attempt, ms. */
  readonly requestTimeoutMs: number;
  /** Retries of one request after transient failures (the pipeline's retry policies). */
  readonly maxRetries: number;
  /** First backoff of the exponential retry, ms (doubling, with jitter, up to 30 s). */
  readonly retryDelayMs: number;
}

export type ArmSend = (method: 'GET' | 'POST', url: string, body: string | undefined, signal: AbortSignal) => Promise<ArmResponse>;

/** Builds the send function; the pipeline (and its connection pool) lives as long as the runner. */
export function createArmSend(options: ArmRequestOptions): ArmSend {
  const pipeline: Pipeline = createPipelineFromOptions({
    userAgentOptions: { userAgentPrefix: 'polysync-aks-action' },
    retryOptions: { maxRetries: options.maxRetries, retryDelayInMs: options.retryDelayMs, maxRetryDelayInMs: 30_000 },
    ...trustExtraCa(options.extraCaPem),
  });
  const client = createDefaultHttpClient();
  return async (method, url, body, signal) => {
    const token = await options.accessToken();
    const headers = createHttpHeaders({ authorization: `Bearer ${token}`, accept: 'application/json' });
    if (body !== undefined) headers.set('content-type', 'application/json');
    const request = createPipelineRequest({
      url, method, headers, abortSignal: signal, timeout: options.requestTimeoutMs,
      // ARM wants a Content-Length on POST, even an empty one.
      body: body ?? (method === 'POST' ? '' : undefined),
    });
    const response = await pipeline.sendRequest(client, request);
    return { status: response.status, header: (name) => response.headers.get(name), bodyText: response.bodyAsText ?? '' };
  };
}
