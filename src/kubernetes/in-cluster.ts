/**
 * The runner pod's own service account: server from KUBERNETES_SERVICE_HOST/_PORT, the pod's CA, and
 * the projected token, re-read as kubelet rotates it.
 *
 * client-node's `loadFromCluster` (2.0.1 dist/config.js) would do most of this, but: it reads the
 * variables from process.env and the files only under a path *prefix* of kubelet's absolute paths;
 * and its FileAuth (dist/file_auth.js) does re-read the token, but only when its copy is older than
 * 60 s, and keeps the value to itself, so a rotated token could not be masked. Here the token is
 * re-read whenever the file changed: kubelet's AtomicWriter swaps the volume's `..data` symlink on
 * every rotation, so a stat through the `token` link shows a new inode and mtime (kubernetes
 * pkg/volume/util/atomic_writer.go); kubelet rotates at 80 % of the token's TTL or after 24 h
 * (pkg/kubelet/token/token_manager.go).
 */
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { AuthError } from '../core/errors.js';
import type { InClusterConnection } from '../core/settings.js';

const AUTH_PROVIDER_NAME = 'polysync-service-account';

/** client-node's Authenticator interface (dist/auth.d.ts), which its index does not re-export. */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

/** Sets `Authorization: Bearer <token>` from the token file, read again after each change of the file. */
export class ServiceAccountTokenAuthenticator implements Authenticator {
  private token: string | undefined;
  private version = '';

  constructor(private readonly tokenFile: string, private readonly mask: (secret: string) => void) {}

  isAuthProvider(user: User): boolean {
    return (user.authProvider as { name?: unknown } | undefined)?.name === AUTH_PROVIDER_NAME;
  }

  async applyAuthentication(_user: User, opts: { headers?: Record<string, unknown> }): Promise<void> {
    opts.headers = { ...opts.headers, Authorization: `Bearer ${await this.current()}` };
  }

  /** The token now in the file (masked the moment it is read). */
  async current(): Promise<string> {
    try {
      const s = await stat(this.tokenFile);
      const version = `${s.ino}:${s.mtimeMs}:${s.size}`;
      if (this.token === undefined || version !== this.version) {
        const token = (await readFile(this.tokenFile, 'utf8')).trim();
        this.mask(token);
        this.token = token;
        this.version = version;
      }
      return this.token;
    } catch (error) {
      throw new AuthError(`Could not read the service-account token ${this.tokenFile}: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
    }
  }
}

/** A KubeConfig for the pod's service account; the namespace file is only the context's default. */
export async function loadInClusterKubeConfig(c: InClusterConnection, mask: (secret: string) => void): Promise<KubeConfig> {
  const authenticator = new ServiceAccountTokenAuthenticator(`${c.serviceAccountDir}/token`, mask);
  await authenticator.current(); // an unreadable token fails here, in the Connect group
  const caFile = `${c.serviceAccountDir}/ca.crt`;
  let caData: string;
  try {
    caData = readFileSync(caFile).toString('base64');
  } catch (error) {
    throw new AuthError(`Could not read the pod's CA ${caFile}: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
  }
  // As client-node's loadFromCluster: plain http only on the insecure ports, IPv6 in brackets.
  const scheme = ['80', '8080', '8001'].includes(c.port) ? 'http' : 'https';
  const host = isIPv6(c.host) ? `[${c.host}]` : c.host;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'in-cluster', server: `${scheme}://${host}:${c.port}`, caData, skipTLSVerify: false }],
    users: [{ name: 'service-account', authProvider: { name: AUTH_PROVIDER_NAME, config: {} } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account' }],
    currentContext: 'in-cluster',
  });
  kc.addAuthenticator(authenticator);
  return kc;
}
