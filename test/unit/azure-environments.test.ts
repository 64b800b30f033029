import { describe, expect, it } from 'vitest';
import { azureEndpoints, endpointOverridesFromEnv, type AzureEndpoints } from '../../src/azure/environments.js';
import type { AzureEnvironmentName } from '../../src/core/settings.js';

describe('azureEndpoints', () => {
  const table: Array<[AzureEnvironmentName, AzureEndpoints]> = [
    ['AzureCloud', {
      authorityHost: 'https://login.microsoftonline.com', resourceManager: 'https://management.azure.com',
      resourceManagerScope: 'https://management.azure.com/.default', portalHost: 'portal.azure.com',
    }],
    ['AzureUSGovernment', {
      authorityHost: 'https://login.microsoftonline.us', resourceManager: 'https://management.usgovcloudapi.net',
      resourceManagerScope: 'https://management.usgovcloudapi.net/.default', portalHost: 'portal.azure.us',
    }],
    ['AzureChinaCloud', {
      authorityHost: 'https://login.chinacloudapi.cn', resourceManager: 'https://management.chinacloudapi.cn',
      resourceManagerScope: 'https://management.chinacloudapi.cn/.default', portalHost: 'portal.azure.cn',
    }],
  ];
  it.each(table)('%s', (name, expected) => {
    expect(azureEndpoints(name)).toEqual(expected);
  });

  it('takes explicit endpoints but keeps the cloud\'s ARM token scope', () => {
    expect(azureEndpoints('AzureUSGovernment', { authorityHost: 'https://127.0.0.1:4443/', resourceManager: 'https://127.0.0.1:4444' })).toEqual({
      authorityHost: 'https://127.0.0.1:4443', resourceManager: 'https://127.0.0.1:4444',
      resourceManagerScope: 'https://management.usgovcloudapi.net/.default', portalHost: 'portal.azure.us',
    });
  });

  it('refuses a non-https override (MSAL requires https authorities)', () => {
    expect(() => azureEndpoints('AzureCloud', { authorityHost: 'http://127.0.0.1:80' })).toThrow(
      "Azure authorityHost override must be an https URL; got 'http://127.0.0.1:80'.",
    );
  });
});

describe('endpointOverridesFromEnv', () => {
  it.each([
    [{}, {}],
    [{ POLYSYNC_AZURE_AUTHORITY_HOST: '', POLYSYNC_ARM_ENDPOINT: '' }, {}],
    [{ POLYSYNC_AZURE_AUTHORITY_HOST: 'https://a', POLYSYNC_ARM_ENDPOINT: 'https://b' }, { authorityHost: 'https://a', resourceManager: 'https://b' }],
    [{ POLYSYNC_ARM_ENDPOINT: 'https://b' }, { resourceManager: 'https://b' }],
  ])('%j → %j', (env, expected) => {
    expect(endpointOverridesFromEnv(env)).toEqual(expected);
  });
});
