/**
 * The kubeconfig ARM returns → a client-node KubeConfig that needs no kubelogin on the runner.
 *
 * An Entra-enabled AKS cluster's kubeconfig has a user with `exec: kubelogin` (or the legacy
 * `auth-provider: azure`), and client-node's built-in ExecAuth/AzureAuth would try to run them. We keep
 * the cluster (server, CA, proxy, TLS name) and the context's namespace, and replace the user with one
 * only our Authenticator recognises. client-node 2.x calls `applySecurityAuthentication` → `applyOptions`
 * → `applyAuthorizationHeader` before EVERY generated API request (makeApiClient's authMethods.default),
 * and `Watch.watch` and `Log.log` call the same method per request (dist/config.js, watch.js, log.js at
 * 2.0.1), so each request asks the credential for a token and MSAL's cache decides whether to renew.
 * Built-in authenticators are tried first: our user must carry no exec, no token, and no auth-provider
 * named azure/gcp/oidc/exec or with a tokenFile/exec config (api-notes §1.3).
 */
import { KubeConfig, type User } from '@kubernetes/client-node';
import { AuthError } from '../core/errors.js';
import type { AccessTokenProvider } from './credential.js';
import type { Mask } from './federated-token.js';

/** The AKS Entra server application; "the same in all environments" (kubelogin docs, concepts/aks.md). */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

const AUTH_PROVIDER_NAME = 'polysync-entra';

/** client-node's Authenticator interface (dist/auth.d.ts), which its index does not re-export. */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

/** How a kubeconfig's current user authenticates, as far as we care. */
export type AksUserKind = { readonly kind: 'entra'; readonly serverId: string } | { readonly kind: 'local' };

function argValue(args: readonly unknown[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === flag && typeof args[i + 1] === 'string') return args[i + 1] as string;
    if (typeof a === 'string' && a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

/** Recognises AKS's two Entra user shapes (pure); anything else is used as given. */
export function classifyAksUser(user: User | null): AksUserKind {
  const exec = user?.exec as { command?: unknown; args?: unknown } | undefined;
  if (exec && typeof exec.command === 'string' && /(^|[\\/])kubelogin(\.exe)?$/.test(exec.command)) {
    const args = Array.isArray(exec.args) ? (exec.args as unknown[]) : [];
    return { kind: 'entra', serverId: argValue(args, '--server-id') ?? AKS_SERVER_APP_ID };
  }
  const provider = user?.authProvider as { name?: unknown; config?: Record<string, unknown> } | undefined;
  if (provider?.name === 'azure') {
    const id = provider.config?.['apiserver-id'];
    return { kind: 'entra', serverId: typeof id === 'string' && id !== '' ? id : AKS_SERVER_APP_ID };
  }
  return { kind: 'local' };
}

/** Sets `Authorization: Bearer <Entra token for <serverId>/.default>` on every request of its users. */
export class EntraTokenAuthenticator implements Authenticator {
  constructor(private readonly accessToken: AccessTokenProvider) {}

  isAuthProvider(user: User): boolean {
    return (user.authProvider as { name?: unknown } | undefined)?.name === AUTH_PROVIDER_NAME;
  }

  async applyAuthentication(user: User, opts: { headers?: Record<string, unknown> }): Promise<void> {
    const serverId = (user.authProvider as { config: { 'server-id': string } }).config['server-id'];
    const token = await this.accessToken(`${serverId}/.default`);
    opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
  }
}

export interface AksKubeConfig {
  readonly kubeConfig: KubeConfig;
  readonly user: AksUserKind;
}

/**
 * Builds the KubeConfig for the current context of `yaml`. Local-account credentials (client key,
 * token, password) are masked and used as given; Entra users get EntraTokenAuthenticator.
 */
export function buildAksKubeConfig(yaml: string, accessToken: AccessTokenProvider, mask: Mask): AksKubeConfig {
  const loaded = new KubeConfig();
  try {
    loaded.loadFromString(yaml);
  } catch (error) {
    throw new AuthError(`The kubeconfig ARM returned could not be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const context = loaded.getContextObject(loaded.getCurrentContext());
  const cluster = loaded.getCurrentCluster();
  const user = loaded.getCurrentUser();
  if (!context || !cluster) throw new AuthError('The kubeconfig ARM returned has no current context with a cluster.');

  const kind = classifyAksUser(user);
  if (kind.kind === 'local') {
    for (const secret of [user?.token, user?.keyData, user?.password]) if (secret) mask(secret);
    return { kubeConfig: loaded, user: kind };
  }

  const kubeConfig = new KubeConfig();
  const userName = user?.name ?? 'aks-entra';
  kubeConfig.loadFromOptions({
    clusters: [cluster],
    users: [{ name: userName, authProvider: { name: AUTH_PROVIDER_NAME, config: { 'server-id': kind.serverId } } }],
    contexts: [{ ...context, user: userName }],
    currentContext: context.name,
  });
  kubeConfig.addAuthenticator(new EntraTokenAuthenticator(accessToken));
  return { kubeConfig, user: kind };
}
