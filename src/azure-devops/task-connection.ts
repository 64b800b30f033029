/**
 * What the task's connection inputs mean: the service connection chosen by `connectionType` gives
 * the core its identity or kubeconfig inputs, and, for Azure, the OIDC token source and endpoints
 * used to sign in exactly as the action does (src/azure/sign-in.ts). On a self-hosted agent,
 * `managedIdentity` and `inCluster` set the core's auth-type and sign in as the action's
 * managed-identity and in-cluster ways do (src/connect.ts), with no service connection.
 */
import { loadKubeConfig } from '../kubernetes/kubeconfig.js';
import type { InputReader } from '../core/parse-settings.js';
import { Input } from '../core/names.js';
import type { ConnectionSettings } from '../core/settings.js';
import { signInToAks, type Mask } from '../azure/sign-in.js';
import { connect, routed, type Connected } from '../connect.js';
import { NO_RUNNER_FACTS, type RunnerFacts } from '../core/auth-type.js';
import { localRunnerFacts } from '../runner-facts.js';
import { coreInputReader, readConnectionType } from './inputs.js';
import { createOidcTokenSource, type Fetch } from './oidc-token.js';
import { readAzureRmConnection, readKubernetesConnection, type AzureRmServiceConnection } from './service-connection.js';
import { endpointReader, systemAccessToken, type TaskLib } from './task-lib.js';
import { CONNECTION_AUTH_TYPE, ConnectionType, TaskInput, type ConnectionTypeName } from './task-names.js';

export interface TaskConnection {
  readonly type: ConnectionTypeName;
  /** The core's input reader, service connection values included. */
  readonly read: InputReader;
  /** What the agent offers the core's auth-type: its environment and files for `inCluster` only. */
  readonly facts: RunnerFacts;
  /** Signs in (Azure) or loads the kubeconfig (Kubernetes service connection). */
  connect(settings: ConnectionSettings, mask: Mask): Promise<Connected>;
}

/** @throws InputError when the connection type or the service connection cannot be used */
export function readTaskConnection(tl: TaskLib, env: NodeJS.ProcessEnv, fetchImpl?: Fetch): TaskConnection {
  const getInput = (name: string): string | undefined => tl.getInput(name, false);
  const type = readConnectionType(getInput);
  const endpoints = endpointReader(tl);
  const authType = CONNECTION_AUTH_TYPE[type];
  if (authType !== undefined) {
    return {
      type,
      read: coreInputReader(getInput, type, { [Input.authType]: authType }),
      facts: type === ConnectionType.inCluster ? localRunnerFacts(env) : NO_RUNNER_FACTS,
      // No federated token: neither way asks for one (sign-in.ts uses it for oidc only).
      connect: (settings, mask) => connect(settings, () => Promise.reject(new Error(`'${TaskInput.connectionType}: ${type}' has no OIDC token`)), mask, env),
    };
  }
  let azure: AzureRmServiceConnection | undefined;
  let fromConnection;
  if (type === ConnectionType.azureResourceManager) {
    azure = readAzureRmConnection(getInput(TaskInput.azureSubscription), endpoints);
    fromConnection = azure.inputs;
  } else {
    fromConnection = { [Input.kubeconfig]: readKubernetesConnection(getInput(TaskInput.kubernetesServiceConnection), endpoints) };
  }
  return {
    type,
    read: coreInputReader(getInput, type, fromConnection),
    facts: NO_RUNNER_FACTS,
    async connect(settings, mask) {
      const c = settings.connection;
      if (c.kind !== 'azure' || azure === undefined) {
        return { kubeConfig: loadKubeConfig(c.kind === 'kubeconfig' ? c.kubeconfig : undefined, env, mask), monitorUrl: undefined };
      }
      const tokenSource = createOidcTokenSource(
        { requestUri: tl.getVariable('System.OidcRequestUri') ?? '', accessToken: systemAccessToken(tl), serviceConnectionId: azure.id },
        mask,
        fetchImpl,
      );
      return routed(c, await signInToAks(c, tokenSource, mask, { endpoints: azure.endpoints }));
    },
  };
}
