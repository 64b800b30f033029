/**
 * Reads kubectl's error text back into the KubernetesApiError the direct path raises. Through
 * runCommand only kubectl's words come back, not the HTTP answer: `Error from server (Forbidden):
 * ...` carries the Status reason (kubectl cmd/util/helpers.go `StandardErrorMessage`), an invalid
 * object prints `The Job "x" is invalid: ...`, a refused token `error: You must be logged in to
 * the server (Unauthorized)`, and no answer at all `Unable to connect to the server` or `The
 * connection to the server ... was refused`. Pure.
 */
import { KubernetesApiError } from './errors.js';

/** The HTTP status each Status reason comes with (k8s.io/apimachinery metav1 StatusReason docs). */
const REASON_STATUS: Readonly<Record<string, number>> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
  ServerTimeout: 504,
};

export interface KubectlTarget {
  readonly operation: string;
  readonly object: string;
  readonly namespace?: string;
}

/** The error kubectl's stderr (and exit code) describe, as the direct path would have raised it. */
export function kubectlError(stderr: string, exitCode: number, target: KubectlTarget): KubernetesApiError {
  const text = stderr.trim();
  const make = (statusCode: number | undefined, reason: string | undefined, detail: string): KubernetesApiError =>
    new KubernetesApiError({ ...target, statusCode, reason, detail });
  const server = /Error from server(?: \((\w+)\))?: ([\s\S]*)/.exec(text);
  if (server) {
    const reason = server[1];
    const detail = (server[2] ?? '').trim();
    // Precondition failures come back as Conflict; kubectl names other statuses it has no reason for by code.
    const coded = /^an error on the server \("[\s\S]*"\) has prevented the request from succeeding/.test(detail) ? 500 : undefined;
    return make(reason === undefined ? coded : REASON_STATUS[reason], reason, detail);
  }
  const invalid = /^The \S+ "[^"]*" is invalid: ?([\s\S]*)/.exec(text);
  if (invalid) return make(422, 'Invalid', text);
  const refused = /You must be logged in to the server(?: \((\w+)\))?/.exec(text);
  if (refused) return make(401, refused[1] ?? 'Unauthorized', text);
  if (/Unable to connect to the server|The connection to the server .* was refused|i\/o timeout|connection reset/.test(text)) {
    return make(undefined, undefined, text);
  }
  return make(undefined, undefined, text === '' ? `kubectl exited with code ${exitCode} and printed nothing` : text);
}
