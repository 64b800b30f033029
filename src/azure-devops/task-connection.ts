/**
 * What the task's connection inputs mean: the service connection chosen by `connectionType` gives
 * the core its identity or kubeconfig inputs, and, for Azure, the OIDC token source and endpoints
 * used to sign in exactly as the action does (src/azure/sign-in.ts).
 */
import { loadKubeConfig } from '../kubernetes/kubeconfig.js';
import type { InputReader } from '../core/parse-settings.js';
import { Input } from '../core/names.js';
import type { ConnectionSettings } from '../core/settings.js';
import { signInToAks, type Mask } from '../azure/sign-in.js';
import type { Connected } from '../connect.js';
import { coreInputReader, readConnectionType } from './inputs.js';
import { createOidcTokenSource, type Fetch } from './oidc-token.js';
import { readAzureRmConnection, readKubernetesConnection, type AzureRmServiceConnection } from './service-connection.js';
import { endpointReader, systemAccessToken, type TaskLib } from './task-lib.js';
import { ConnectionType, TaskInput } from './task-names.js';

export interface TaskConnection {
  /** The core's input reader, service connection values included. */
  readonly read: InputReader;
  /** Signs in (Azure) or loads the kubeconfig (Kubernetes service connection). */
  connect(settings: ConnectionSettings, mask: Mask): Promise<Connected>;
}

/** @throws InputError when the connection type or the service connection cannot be used */
export function readTaskConnection(tl: TaskLib, env: NodeJS.ProcessEnv, fetchImpl?: Fetch): TaskConnection {
  const getInput = (name: string): string | undefined => tl.getInput(name, false);
  const type = readConnectionType(getInput);
  const endpoints = endpointReader(tl);
  let azure: AzureRmServiceConnection | undefined;
  let fromConnection;
  if (type === ConnectionType.azureResourceManager) {
    azure = readAzureRmConnection(getInput(TaskInput.azureSubscription), endpoints);
    fromConnection = azure.inputs;
  } else {
    fromConnection = { [Input.kubeconfig]: readKubernetesConnection(getInput(TaskInput.kubernetesServiceConnection), endpoints) };
  }
  return {
    read: coreInputReader(getInput, type, fromConnection),
    async connect(settings, mask) {
      const c = settings.connection;
      if (c.kind === 'kubeconfig' || azure === undefined) {
        return { kubeConfig: loadKubeConfig(c.kind === 'kubeconfig' ? c.kubeconfig : undefined, env, mask), monitorUrl: undefined };
      }
      const tokenSource = createOidcTokenSource(
        { requestUri: tl.getVariable('System.OidcRequestUri') ?? '', accessToken: systemAccessToken(tl), serviceConnectionId: azure.id },
        mask,
        fetchImpl,
      );
      return signInToAks(c, tokenSource, mask, { endpoints: azure.endpoints });
    },
  };
}
