/**
 * Secret params are masked by the platform (setSecret), and on top of that replaced by `***`
 * wherever the action itself writes text: log lines, annotations, outputs, the summary (which
 * GitHub does not mask) and the step's failure message. The container can print its own env;
 * this keeps such lines (in the summary's last lines, the `result` output) from carrying values.
 */
import type { Reporter } from '../core/ports.js';

export const REDACTED = '***';

/** The values worth hiding: each value and each of its lines (runners mask line by line). */
export function secretParts(values: readonly string[]): string[] {
  const parts = new Set(values.flatMap((v) => [v, ...v.split(/\r?\n/)]).filter((p) => p.trim() !== ''));
  return [...parts].sort((a, b) => b.length - a.length); // longest first: a value before its lines
}

export function redact(text: string, parts: readonly string[]): string {
  return parts.reduce((out, part) => out.split(part).join(REDACTED), text);
}

/** `reporter` with every text it is given redacted; masks registered at once. */
export function redactingReporter(reporter: Reporter, values: readonly string[]): Reporter {
  const parts = secretParts(values);
  for (const part of parts) reporter.setSecret(part);
  if (parts.length === 0) return reporter;
  const r = (text: string): string => redact(text, parts);
  return {
    info: (m) => reporter.info(r(m)),
    debug: (m) => reporter.debug(r(m)),
    notice: (m, t) => reporter.notice(r(m), t),
    warning: (m, t) => reporter.warning(r(m), t),
    error: (m, t) => reporter.error(r(m), t),
    group: (name, fn) => reporter.group(r(name), fn),
    setOutput: (name, value) => reporter.setOutput(name, r(value)),
    saveState: (name, value) => reporter.saveState(name, value),
    setSecret: (value) => reporter.setSecret(value),
    writeSummary: (markdown) => reporter.writeSummary(r(markdown)),
    terms: reporter.terms,
    ...(reporter.rendersMermaid === undefined ? {} : { rendersMermaid: reporter.rendersMermaid }),
  };
}
