/** KubeConfig for the kubeconfig mode: the input's content, or the runner's KUBECONFIG file. */
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../core/errors.js';
import { Input } from '../core/names.js';

/**
 * Loads and checks a kubeconfig; every credential in it is passed to `mask` first, so no later
 * log line can print it.
 */
export function loadKubeConfig(content: string | undefined, env: NodeJS.ProcessEnv, mask: (secret: string) => void): KubeConfig {
  const kc = new KubeConfig();
  if (content !== undefined) {
    try {
      kc.loadFromString(content);
    } catch (err) {
      // The parser's message can quote the document, which holds credentials: name the place only.
      const mark = (err as { mark?: { line?: number; column?: number } }).mark;
      const where = mark?.line === undefined ? '' : ` (line ${mark.line + 1}, column ${(mark.column ?? 0) + 1})`;
      throw new InputError(`Input '${Input.kubeconfig}' must be a kubeconfig (YAML); it could not be parsed${where}.`, {
        inputs: [Input.kubeconfig],
      });
    }
  } else {
    const file = env.KUBECONFIG?.split(':').find((f) => f && existsSync(f));
    if (!file) {
      throw new InputError(
        `No cluster to connect to: set the Azure inputs (${Input.clientId}, ${Input.tenantId}, ${Input.subscriptionId}, ${Input.resourceGroup}, ${Input.clusterName}), ` +
          `or input '${Input.kubeconfig}', or run a step that sets KUBECONFIG (e.g. azure/aks-set-context) before this one, ` +
          `or set '${Input.authType}' (workload-identity, managed-identity or in-cluster on a self-hosted runner).`,
        { inputs: [Input.kubeconfig] },
      );
    }
    kc.loadFromFile(file);
  }
  for (const user of kc.users) {
    for (const secret of [user.token, user.password, user.keyData]) if (secret) mask(secret);
  }
  if (!kc.getCurrentCluster()) {
    throw new InputError(`The kubeconfig has no current context with a cluster: set current-context.`, { inputs: [Input.kubeconfig] });
  }
  return kc;
}
