/**
 * The `auth-type` input: which ways there are, what the runner offers for each (RunnerFacts, gathered
 * by the entry), and what `auto` picks from them (pure, so the choice is a table test).
 */
import type { AuthChoice, AuthType } from './settings.js';

export const AUTH_TYPES: readonly AuthType[] = ['auto', 'oidc', 'workload-identity', 'managed-identity', 'in-cluster', 'kubeconfig'];

/** What the runner offers, read by the entry file (the parser stays free of process and fs). */
export interface RunnerFacts {
  /** The step's environment: AZURE_* (workload identity), KUBECONFIG, KUBERNETES_SERVICE_*, the test seams. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fileExists: (path: string) => boolean;
}

/** A runner that offers nothing: the Azure DevOps task (its service connection says how). */
export const NO_RUNNER_FACTS: RunnerFacts = { env: {}, fileExists: () => false };

/** Environment variables the sign-in ways read. */
export const RunnerEnv = {
  // Set by the Azure Workload Identity webhook in pods labelled azure.workload.identity/use: "true"
  // (Azure/azure-workload-identity pkg/webhook/consts.go).
  clientId: 'AZURE_CLIENT_ID',
  tenantId: 'AZURE_TENANT_ID',
  federatedTokenFile: 'AZURE_FEDERATED_TOKEN_FILE',
  authorityHost: 'AZURE_AUTHORITY_HOST',
  // Set by kubelet in every pod.
  serviceHost: 'KUBERNETES_SERVICE_HOST',
  servicePort: 'KUBERNETES_SERVICE_PORT',
  kubeconfig: 'KUBECONFIG',
  /** Test seam: where the service-account files are instead of kubelet's path (tests lay them out in a temp dir). */
  serviceAccountDir: 'POLYSYNC_SERVICEACCOUNT_DIR',
} as const;

/** Where kubelet mounts the pod's service-account token, CA and namespace (client-go rest.InClusterConfig). */
export const KUBELET_SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function serviceAccountDir(facts: RunnerFacts): string {
  return (facts.env[RunnerEnv.serviceAccountDir] || KUBELET_SERVICE_ACCOUNT_DIR).replace(/\/+$/, '');
}

/** The first existing file KUBECONFIG names, as loadKubeConfig reads it. */
export function kubeconfigFile(facts: RunnerFacts): string | undefined {
  return facts.env[RunnerEnv.kubeconfig]?.split(':').find((f) => f !== '' && facts.fileExists(f));
}

export interface AutoInputs {
  /** Azure inputs given (identity inputs, and options set to other than their default). */
  readonly azureInputs: readonly string[];
  readonly kubeconfigInput: boolean;
}

/**
 * `auto`: the Azure inputs mean oidc (as before auth-type existed), a kubeconfig (input or KUBECONFIG
 * file) means kubeconfig, and otherwise a pod's mounted service-account token means in-cluster
 * (client-node's loadFromDefault has the same order: KUBECONFIG, then in-cluster).
 */
export function chooseAuto(inputs: AutoInputs, facts: RunnerFacts): AuthChoice & { readonly reason: string } {
  if (inputs.azureInputs.length > 0) {
    return { type: 'oidc', reason: `Azure inputs ${inputs.azureInputs.map((n) => `'${n}'`).join(', ')} are set` };
  }
  if (inputs.kubeconfigInput) return { type: 'kubeconfig', reason: "input 'kubeconfig' is set" };
  const file = kubeconfigFile(facts);
  if (file !== undefined) return { type: 'kubeconfig', reason: `${RunnerEnv.kubeconfig} names the file ${file}` };
  const token = `${serviceAccountDir(facts)}/token`;
  if (facts.env[RunnerEnv.serviceHost] && facts.fileExists(token)) {
    return { type: 'in-cluster', reason: `no Azure inputs and no kubeconfig, and this runner pod has a service-account token at ${token}` };
  }
  return { type: 'kubeconfig', reason: 'no Azure inputs, no kubeconfig and no service-account token: only a KUBECONFIG file could do' };
}
