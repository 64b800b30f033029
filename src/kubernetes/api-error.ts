/**
 * Normalises what the Kubernetes API answers (ApiException from the generated client, raw
 * responses from streams, network errors from undici) into the core's KubernetesApiError.
 */
import { ApiException } from '@kubernetes/client-node';
import { isTransient, KubernetesApiError } from '../core/errors.js';

export { isTransient, KubernetesApiError };

/** What failed, on which object: `read` + `jobs/ns/name`. */
export interface Target {
  readonly operation: string;
  readonly object: string;
  readonly namespace?: string;
  /** The API server's URL, for errors where no answer came. */
  readonly server?: string;
}

interface StatusBody {
  message?: string;
  reason?: string;
}

function parseStatus(text: string): StatusBody {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** From a raw HTTP answer whose body may be a Kubernetes Status. */
export function errorFromResponse(status: number, bodyText: string, target: Target, retryAfter?: string, cause?: unknown): KubernetesApiError {
  const body = parseStatus(bodyText);
  return new KubernetesApiError({
    ...target,
    statusCode: status,
    reason: body.reason,
    detail: body.message ?? (bodyText.trim() || `HTTP ${status}`),
    retryAfterSeconds: parseRetryAfter(retryAfter),
    cause,
  });
}

/** From anything client-node or undici throws. */
export function toApiError(err: unknown, target: Target): KubernetesApiError {
  if (err instanceof KubernetesApiError) return err;
  if (err instanceof ApiException) {
    const e = err as ApiException<unknown>;
    const text = typeof e.body === 'string' ? e.body : e.body === undefined ? '' : JSON.stringify(e.body);
    const headers = (e.headers ?? {}) as Record<string, string>;
    return errorFromResponse(e.code, text, target, headers['retry-after'], err);
  }
  const cause = (err as { cause?: { code?: string } }).cause;
  const message = err instanceof Error ? `${err.message}${cause?.code ? ` (${cause.code})` : ''}` : String(err);
  return new KubernetesApiError({ ...target, statusCode: undefined, reason: undefined, detail: message, cause: err });
}

