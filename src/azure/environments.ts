/**
 * Where each Azure cloud signs in and manages resources. Sources: @azure/identity `AzureAuthorityHosts`
 * (authority hosts), Azure CLI / az cloud show (ARM endpoints), the portal host from core/monitor-url.
 */
import { PORTAL_HOST } from '../core/monitor-url.js';
import type { AzureEnvironmentName } from '../core/settings.js';

export interface AzureEndpoints {
  /** Entra ID authority host, no trailing slash: https://login.microsoftonline.com */
  readonly authorityHost: string;
  /** ARM base URL, no trailing slash: https://management.azure.com */
  readonly resourceManager: string;
  /** Scope of ARM access tokens. Follows the cloud even when resourceManager is overridden. */
  readonly resourceManagerScope: string;
  /** Azure portal host for the monitor URL: portal.azure.com */
  readonly portalHost: string;
}

/**
 * Explicit endpoints instead of the cloud's. Used by the tests (fakes on 127.0.0.1) and available to
 * Azure Stack-like setups; the scope of ARM tokens stays the cloud's, as ARM fakes and real ARM
 * both check that audience.
 */
export interface EndpointOverrides {
  readonly authorityHost?: string;
  readonly resourceManager?: string;
  /** IMDS base URL (http), for managed-identity against the tests' loopback fake. */
  readonly imds?: string;
}

const CLOUDS: Readonly<Record<AzureEnvironmentName, { authorityHost: string; resourceManager: string }>> = {
  AzureCloud: { authorityHost: 'https://login.microsoftonline.com', resourceManager: 'https://management.azure.com' },
  AzureUSGovernment: { authorityHost: 'https://login.microsoftonline.us', resourceManager: 'https://management.usgovcloudapi.net' },
  AzureChinaCloud: { authorityHost: 'https://login.chinacloudapi.cn', resourceManager: 'https://management.chinacloudapi.cn' },
};

/**
 * Environment variables the entry files read into EndpointOverrides (endpointOverridesFromEnv). They
 * exist so the bundled action, run as a child process by the tests, talks to the fakes; they are not
 * action inputs, because a workflow has no reason to redirect sign-in.
 */
export const ENDPOINT_ENV = {
  authorityHost: 'POLYSYNC_AZURE_AUTHORITY_HOST',
  resourceManager: 'POLYSYNC_ARM_ENDPOINT',
  imds: 'POLYSYNC_IMDS_ENDPOINT',
} as const;

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** The endpoints of a cloud, with overrides applied. Overrides must be https (MSAL requires it). */
export function azureEndpoints(environment: AzureEnvironmentName, overrides: EndpointOverrides = {}): AzureEndpoints {
  const cloud = CLOUDS[environment];
  for (const [name, value] of [['authorityHost', overrides.authorityHost], ['resourceManager', overrides.resourceManager]] as const) {
    if (value !== undefined && !/^https:\/\/[^/]/.test(value)) {
      throw new Error(`Azure ${name} override must be an https URL; got '${value}'.`);
    }
  }
  return {
    authorityHost: trimSlash(overrides.authorityHost ?? cloud.authorityHost),
    resourceManager: trimSlash(overrides.resourceManager ?? cloud.resourceManager),
    resourceManagerScope: `${cloud.resourceManager}/.default`,
    portalHost: PORTAL_HOST[environment],
  };
}

/** Reads ENDPOINT_ENV from an environment map; empty values count as unset. */
export function endpointOverridesFromEnv(env: Readonly<Record<string, string | undefined>>): EndpointOverrides {
  const authorityHost = env[ENDPOINT_ENV.authorityHost] || undefined;
  const resourceManager = env[ENDPOINT_ENV.resourceManager] || undefined;
  const imds = env[ENDPOINT_ENV.imds] || undefined;
  return {
    ...(authorityHost === undefined ? {} : { authorityHost }),
    ...(resourceManager === undefined ? {} : { resourceManager }),
    ...(imds === undefined ? {} : { imds }),
  };
}
