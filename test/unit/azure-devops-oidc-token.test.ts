/** The OIDC request to Azure DevOps, with an injected fetch (no server). */
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/core/errors.js';
import { createOidcTokenSource, type Fetch } from '../../src/azure-devops/oidc-token.js';

interface Sent { url: string; method: string; headers: Record<string, string>; body: string }

function fakeFetch(responses: Array<{ status: number; body: string }>): { fetch: Fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    fetch: (url, init) => {
      sent.push({ url, method: init.method, headers: init.headers, body: init.body });
      const r = responses[Math.min(sent.length - 1, responses.length - 1)] ?? { status: 500, body: '' };
      return Promise.resolve({ status: r.status, text: () => Promise.resolve(r.body) });
    },
  };
}

const request = {
  requestUri: 'https://dev.azure.com/contoso/6a0e8c0e-0000-4000-8000-000000000001/_apis/distributedtask/hubs/build/plans/p1/jobs/j1/oidctoken',
  accessToken: 'system-access-token',
  serviceConnectionId: 'sc-1',
};

describe('createOidcTokenSource', () => {
  it('POSTs with the access token as bearer and asks again on every call', async () => {
    const { fetch, sent } = fakeFetch([{ status: 200, body: '{"oidcToken":"jwt-1"}' }, { status: 200, body: '{"oidcToken":"jwt-2"}' }]);
    const masked: string[] = [];
    const source = createOidcTokenSource(request, (s) => masked.push(s), fetch);
    expect([await source('api://AzureADTokenExchange'), await source('api://AzureADTokenExchange')]).toEqual(['jwt-1', 'jwt-2']);
    expect(masked).toEqual(['jwt-1', 'jwt-2']);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual({
      url: `${request.requestUri}?api-version=7.1&serviceConnectionId=sc-1`,
      method: 'POST',
      headers: {
        authorization: 'Bearer system-access-token', 'content-type': 'application/json', accept: 'application/json', 'x-tfs-fedauthredirect': 'Suppress',
      },
      body: '{}',
    });
  });

  it.each([
    [401, '', /\(HTTP 401\)\. System\.AccessToken was refused/],
    [203, '<html>sign in</html>', /\(HTTP 203\)\. System\.AccessToken was refused/],
    [404, '{"$id":"1","message":"Service connection sc-1 not found.","typeKey":"ServiceEndpointNotFoundException"}',
      /\(HTTP 404: Service connection sc-1 not found\.\)\. Check that the service connection exists in this project and uses workload identity federation\./],
    [403, '{}', /authorize it for the pipeline/],
    [200, '{"value":"x"}', /\(the response has no oidcToken\)/],
  ])('says what to fix for HTTP %i', async (status, body, message) => {
    const { fetch } = fakeFetch([{ status, body }]);
    const error: unknown = await createOidcTokenSource(request, () => undefined, fetch)('aud').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/^Azure DevOps did not issue an OIDC token for service connection 'sc-1' /);
    expect((error as Error).message).toMatch(message);
  });

  it('wraps a network failure with the endpoint it could not reach', async () => {
    const fetch: Fetch = () => Promise.reject(new Error('connect ECONNREFUSED'));
    await expect(createOidcTokenSource(request, () => undefined, fetch)('aud')).rejects.toThrow(
      `Could not reach Azure DevOps' OIDC endpoint https://dev.azure.com${new URL(request.requestUri).pathname}: connect ECONNREFUSED.`);
  });

  it('refuses to start without System.OidcRequestUri or an access token', () => {
    expect(() => createOidcTokenSource({ ...request, requestUri: '' }, () => undefined)).toThrow(/System\.OidcRequestUri is not set/);
    expect(() => createOidcTokenSource({ ...request, accessToken: '' }, () => undefined)).toThrow(/System\.AccessToken was refused/);
  });
});
