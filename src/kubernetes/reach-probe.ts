/**
 * Can the runner open a connection to the API server at all? For `private-cluster: auto`: a
 * private cluster's name does not resolve outside its network, or its address does not answer;
 * a self-hosted runner inside the VNet reaches it and needs no runCommand. A TCP connect is
 * enough to tell: authentication is not the question here. Bounded, so a black-holed address
 * costs seconds, not the OS's minutes.
 */
import { connect } from 'node:net';

export const REACH_TIMEOUT_MS = 5000;

export type Reach = { readonly ok: true } | { readonly ok: false; readonly detail: string };

export function probeReach(server: string, timeoutMs = REACH_TIMEOUT_MS): Promise<Reach> {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return Promise.resolve({ ok: false, detail: `'${server}' is not a URL` });
  }
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise<Reach>((resolve) => {
    const socket = connect({ host, port });
    const done = (reach: Reach): void => {
      socket.destroy();
      clearTimeout(timer);
      resolve(reach);
    };
    const timer = setTimeout(() => done({ ok: false, detail: `no answer from ${host}:${port} within ${timeoutMs / 1000} s` }), timeoutMs);
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, detail: `${host}:${port}: ${err.code ?? err.message}` }));
  });
}
