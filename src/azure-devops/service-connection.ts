/**
 * Service connections as the agent hands them to a task (ENDPOINT_URL_<id>, ENDPOINT_DATA_<id>_<KEY>,
 * ENDPOINT_AUTH_SCHEME_<id>, ENDPOINT_AUTH_PARAMETER_<id>_<KEY>), read through task-lib's endpoint
 * functions behind `EndpointReader` so this file stays pure:
 * - Azure Resource Manager with workload identity federation: tenant and client id from the
 *   authorization parameters, subscription and cloud from the data (azure-pipelines-tasks
 *   azure-arm-rest AzureRMEndpoint.getEndpoint reads the same keys), ARM URL from the endpoint URL and
 *   the Entra authority from data `activeDirectoryAuthority`, so Azure Stack-like clouds follow them.
 * - Kubernetes: authorizationType Kubeconfig (+ optional clusterContext), or ServiceAccount /
 *   AzureSubscription (URL, CA, base64 token), as azure-pipelines-tasks kubernetes-common's
 *   getKubeconfigForCluster / createKubeconfig read them.
 * Every problem is an InputError that names the input, the connection and what to change.
 */
import { parse, stringify } from 'yaml';
import { InputError } from '../core/errors.js';
import { Input, type InputName } from '../core/names.js';
import type { EndpointOverrides } from '../azure/sign-in.js';
import { TaskInput } from './task-names.js';

/** task-lib's endpoint getters, all optional (undefined when the agent passed nothing). */
export interface EndpointReader {
  scheme(id: string): string | undefined;
  authParameter(id: string, key: string): string | undefined;
  dataParameter(id: string, key: string): string | undefined;
  url(id: string): string | undefined;
}

export interface AzureRmServiceConnection {
  /** The service connection's id (what the input holds): the OIDC request's serviceConnectionId. */
  readonly id: string;
  /** Core inputs it supplies: client-id, tenant-id, subscription-id, azure-environment. */
  readonly inputs: Readonly<Partial<Record<InputName, string>>>;
  /** ARM and Entra endpoints as the connection states them; empty for a connection that states none. */
  readonly endpoints: EndpointOverrides;
}

const WIF = 'workloadidentityfederation';

const SCHEME_HINTS: Readonly<Record<string, string>> = {
  serviceprincipal: 'a client secret or certificate',
  managedserviceidentity: "the agent's managed identity",
  publishprofile: 'a publish profile',
};

function connectionLabel(input: string, id: string): string {
  return `Service connection '${id}' (input '${input}')`;
}

function required(input: string, id: string | undefined, kind: string): string {
  const value = (id ?? '').trim();
  if (value !== '') return value;
  throw new InputError(`Input '${input}' is required: name ${kind}.`, { inputs: [input] });
}

/** The AzureRM connection's identity and endpoints; only workload identity federation is accepted. */
export function readAzureRmConnection(idInput: string | undefined, reader: EndpointReader): AzureRmServiceConnection {
  const input = TaskInput.azureSubscription;
  const id = required(input, idInput, 'an Azure Resource Manager service connection that uses workload identity federation');
  const label = connectionLabel(input, id);
  const scheme = reader.scheme(id);
  if (scheme === undefined || scheme === '') {
    throw new InputError(`${label} reached the task without authorization details: check that it is an Azure Resource Manager service connection and that this pipeline is allowed to use it.`, { inputs: [input] });
  }
  if (scheme.toLowerCase() !== WIF) {
    const what = SCHEME_HINTS[scheme.toLowerCase()] ?? `scheme '${scheme}'`;
    throw new InputError(
      `${label} authenticates with ${what} (scheme ${scheme}); this task signs in only with workload identity federation (scheme WorkloadIdentityFederation). ` +
        'Convert the connection in Project settings → Service connections (Convert to workload identity federation), or create one with that authentication method.',
      { inputs: [input] },
    );
  }
  const tenantId = reader.authParameter(id, 'tenantid');
  const clientId = reader.authParameter(id, 'serviceprincipalid');
  const missing = [tenantId ? undefined : 'tenantid', clientId ? undefined : 'serviceprincipalid'].filter((x) => x !== undefined);
  if (missing.length > 0) {
    throw new InputError(`${label} has no ${missing.join(' and ')} in its authorization parameters: recreate it with workload identity federation.`, { inputs: [input] });
  }
  const subscriptionId = reader.dataParameter(id, 'subscriptionid');
  const scopeLevel = reader.dataParameter(id, 'scopeLevel');
  if (!subscriptionId) {
    const scope = scopeLevel ? ` is scoped to a ${scopeLevel}, and` : '';
    throw new InputError(`${label}${scope} has no subscription: use a connection scoped to the subscription of the AKS cluster.`, { inputs: [input] });
  }
  const environment = reader.dataParameter(id, 'environment');
  const url = reader.url(id);
  const authority = reader.dataParameter(id, 'activeDirectoryAuthority');
  return {
    id,
    inputs: {
      [Input.clientId]: clientId ?? '',
      [Input.tenantId]: tenantId ?? '',
      [Input.subscriptionId]: subscriptionId,
      ...(environment ? { [Input.azureEnvironment]: environment } : {}),
    },
    endpoints: {
      ...(url ? { resourceManager: url } : {}),
      ...(authority ? { authorityHost: authority } : {}),
    },
  };
}

/** The kubeconfig (YAML) of a Kubernetes service connection. */
export function readKubernetesConnection(idInput: string | undefined, reader: EndpointReader): string {
  const input = TaskInput.kubernetesServiceConnection;
  const id = required(input, idInput, 'a Kubernetes service connection');
  const label = connectionLabel(input, id);
  const type = reader.dataParameter(id, 'authorizationType') ?? 'Kubeconfig';
  const insecure = (reader.dataParameter(id, 'acceptUntrustedCerts') ?? '').toLowerCase() === 'true';
  let doc: Record<string, unknown>;
  if (type.toLowerCase() === 'kubeconfig') {
    const kubeconfig = reader.authParameter(id, 'kubeconfig');
    if (!kubeconfig) throw new InputError(`${label} has no kubeconfig: edit the connection and paste the cluster's kubeconfig.`, { inputs: [input] });
    try {
      doc = parse(kubeconfig) as Record<string, unknown>;
      if (typeof doc !== 'object' || doc === null) throw new Error('not a YAML mapping');
    } catch (err) {
      // Only the position: the parser's message quotes the source, and a kubeconfig holds credentials.
      const at = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
      const where = at ? ` (line ${at.line}, column ${at.col})` : '';
      throw new InputError(`${label} holds a kubeconfig that is not valid YAML${where}: edit the connection and paste the cluster's kubeconfig again.`, { inputs: [input] });
    }
    const context = reader.authParameter(id, 'clusterContext');
    if (context) doc['current-context'] = context;
  } else if (['serviceaccount', 'azuresubscription'].includes(type.toLowerCase())) {
    doc = serviceAccountKubeconfig(id, label, input, reader);
  } else {
    throw new InputError(`${label} uses authorization type '${type}'; supported are Kubeconfig, ServiceAccount and AzureSubscription.`, { inputs: [input] });
  }
  if (insecure) skipTlsVerify(doc);
  return stringify(doc);
}

/** The ServiceAccount shape: server URL, the secret's ca.crt (base64) and token (base64). */
function serviceAccountKubeconfig(id: string, label: string, input: string, reader: EndpointReader): Record<string, unknown> {
  const server = reader.url(id);
  const ca = reader.authParameter(id, 'serviceAccountCertificate');
  const token64 = reader.authParameter(id, 'apiToken');
  if (!server || !token64) {
    throw new InputError(`${label} lacks its ${server ? 'token' : 'server URL'}: edit the connection and save it again.`, { inputs: [input] });
  }
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'service-connection', cluster: { server, ...(ca ? { 'certificate-authority-data': ca } : {}) } }],
    users: [{ name: 'service-connection', user: { token: Buffer.from(token64, 'base64').toString('utf8') } }],
    contexts: [{ name: 'service-connection', context: { cluster: 'service-connection', user: 'service-connection' } }],
    'current-context': 'service-connection',
  };
}

/** The connection's "Accept untrusted certificates" box, as the Kubernetes tasks honour it. */
function skipTlsVerify(doc: Record<string, unknown>): void {
  const clusters = Array.isArray(doc['clusters']) ? (doc['clusters'] as Array<{ cluster?: Record<string, unknown> }>) : [];
  for (const entry of clusters) {
    if (!entry.cluster) continue;
    delete entry.cluster['certificate-authority-data'];
    entry.cluster['insecure-skip-tls-verify'] = true;
  }
}
