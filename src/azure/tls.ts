/**
 * TLS options that trust one extra CA besides the default store, for @azure/core-rest-pipeline
 * (`tlsOptions`, used by both ClientAssertionCredential and the ARM call). NODE_EXTRA_CA_CERTS is
 * read only at process start, so in-process tests hand the fakes' CA over this way instead.
 */
import tls from 'node:tls';

export interface ExtraCaTlsOptions {
  readonly tlsOptions?: { readonly ca: string[] };
}

/** `{}` when there is no extra CA, so production keeps Node's defaults untouched. */
export function trustExtraCa(extraCaPem: string | undefined): ExtraCaTlsOptions {
  if (extraCaPem === undefined) return {};
  // A `ca` list replaces the defaults, so start from them: getCACertificates('default') (Node >= 22.15)
  // includes NODE_EXTRA_CA_CERTS; rootCertificates is the bundled store for older runtimes (Azure
  // DevOps agents may still run tasks on Node 20).
  const defaults = typeof tls.getCACertificates === 'function' ? tls.getCACertificates('default') : [...tls.rootCertificates];
  return { tlsOptions: { ca: [...defaults, extraCaPem] } };
}
