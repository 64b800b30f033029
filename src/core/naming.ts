/**
 * Names and label values for the Jobs the action creates.
 */
import type { V1JobSpec } from '@kubernetes/client-node';

/** A uniform random number in [0, 1), like Math.random; injected so tests are deterministic. */
export type RandomSource = () => number;

/**
 * Kubernetes' generateName alphabet (apimachinery pkg/util/rand/rand.go): no vowels, so no words,
 * and no 0/1/3 that read like letters.
 */
export const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** As generateName's: 27^5 ≈ 14 million names per source, enough for runs that overlap. */
export const SUFFIX_LENGTH = 5;
/** DNS-1123 label limit; the Job name is also copied into the pods' `job-name` label value (≤ 63). */
export const MAX_NAME_LENGTH = 63;

/**
 * The longest name a Job with this spec may have. Indexed Jobs name their pods' hostnames
 * `<job-name>-<index>`, and the API server rejects the Job unless `<name>-<completions-1>` is a
 * DNS label (pkg/apis/batch/validation/validation.go, ValidateJob).
 */
export function maxRunNameLength(spec: V1JobSpec | undefined): number {
  if (spec?.completionMode !== 'Indexed' || spec.completions == null || spec.completions < 1) return MAX_NAME_LENGTH;
  return MAX_NAME_LENGTH - 1 - String(spec.completions - 1).length;
}

function suffix(random: RandomSource): string {
  let out = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    const index = Math.min(Math.floor(random() * SUFFIX_ALPHABET.length), SUFFIX_ALPHABET.length - 1);
    out += SUFFIX_ALPHABET[index];
  }
  return out;
}

/**
 * `<source>-<5 random chars>`, a valid DNS-1123 label of at most `maxLength` (default 63)
 * characters whatever the source name: lower-cased, dots (allowed in the source's DNS subdomain
 * name, not in a label) and other characters replaced by '-', the base truncated and stripped of
 * trailing '-' (a label must end alphanumeric, and `foo--x2b4c` from a cut reads like a typo).
 * Unlike generateName, the name is known before the create, so a retried create reuses it.
 */
export function runJobName(sourceName: string, random: RandomSource, maxLength: number = MAX_NAME_LENGTH): string {
  const room = Math.max(maxLength, SUFFIX_LENGTH + 2) - SUFFIX_LENGTH - 1;
  const cleaned = sourceName
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+/, '');
  const base = cleaned.slice(0, room).replace(/-+$/, '');
  return `${base === '' ? 'job' : base}-${suffix(random)}`;
}

/** The same run name with a fresh random suffix (the name was taken by a Job of someone else). */
export function withNewSuffix(name: string, random: RandomSource): string {
  return `${name.slice(0, Math.max(0, name.length - SUFFIX_LENGTH))}${suffix(random)}`;
}

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits: short, stable, dependency-free. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

const LABEL_VALUE_MAX = 63;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * A string as a valid label value (≤ 63 characters, alphanumeric at both ends). Source names are
 * DNS subdomains of up to 253 characters: a longer one keeps its first 54 characters plus '-' and
 * an FNV-1a hash of the whole name, so two long names sharing a prefix still get distinct values.
 */
export function labelValue(text: string): string {
  if (text.length <= LABEL_VALUE_MAX && LABEL_VALUE.test(text)) return text;
  const head = text
    .replace(/[^-A-Za-z0-9_.]/g, '-')
    .slice(0, LABEL_VALUE_MAX - 9)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  const hash = fnv1a(text);
  return head === '' ? hash : `${head}-${hash}`;
}
