import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/core/errors.js';
import { createManagedIdentityCredential } from '../../src/azure/managed-identity-credential.js';

const NOW = 1_800_000_000_000;
const ok = (token: string, expiresInS = 86_399): Response =>
  new Response(JSON.stringify({ access_token: token, expires_in: String(expiresInS), expires_on: String(NOW / 1000 + expiresInS), token_type: 'Bearer' }), { status: 200 });
const fail = (status: number, description = 'x'): Response => new Response(JSON.stringify({ error: 'invalid_request', error_description: description }), { status });

function harness(answers: Response[], clientId?: string) {
  const urls: string[] = [];
  const headers: unknown[] = [];
  const sleeps: number[] = [];
  const masked: string[] = [];
  let now = NOW;
  const credential = createManagedIdentityCredential({
    clientId, mask: (s) => masked.push(s), endpoint: 'http://127.0.0.1:1/vm/',
    fetch: (url, init) => {
      urls.push(url instanceof URL ? url.href : typeof url === 'string' ? url : url.url);
      headers.push(init?.headers);
      const next = answers.shift();
      return next ? Promise.resolve(next) : Promise.reject(new Error('ECONNREFUSED'));
    },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    now: () => now,
  });
  return { credential, urls, headers, sleeps, masked, advance: (ms: number) => (now += ms) };
}

async function errorOf(p: Promise<unknown>): Promise<string> {
  const e: unknown = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(AuthError);
  return (e as Error).message;
}

describe('createManagedIdentityCredential', () => {
  it('asks IMDS with Metadata: true and client_id, masks the token, and caches it until due', async () => {
    const h = harness([ok('t1'), ok('t2')], 'abc');
    expect(await h.credential('https://management.azure.com/.default')).toBe('t1');
    expect(await h.credential('https://management.azure.com/.default')).toBe('t1');
    expect(h.urls).toEqual(['http://127.0.0.1:1/vm/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com&client_id=abc']);
    expect(h.headers).toEqual([{ Metadata: 'true' }]);
    expect(h.masked).toEqual(['t1']);
    // 24 h tokens are refreshed at half their life, as MSAL does.
    h.advance(12 * 3600_000);
    expect(await h.credential('https://management.azure.com/.default')).toBe('t2');
  });

  it('retries 429 and 5xx after 1, 2 and 4 s, then gives up naming the attempts', async () => {
    const h = harness([fail(429), fail(500), fail(503), fail(503)]);
    expect(await errorOf(h.credential('r/.default'))).toBe('IMDS was unavailable after 4 attempts; run the step again later. (IMDS 503: x)');
    expect(h.sleeps).toEqual([1000, 2000, 4000]);
    expect(h.urls[0]).not.toContain('client_id');
  });

  it('retries a 410 (IMDS updating) up to 7 times, 10 s apart', async () => {
    const h = harness([fail(410), fail(410), ok('t')]);
    expect(await h.credential('r/.default')).toBe('t');
    expect(h.sleeps).toEqual([10_000, 10_000]);
  });

  it.each<[string, Response, string | undefined, RegExp]>([
    ['several identities, none named', fail(400, 'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request'), undefined,
      /^This VM has several user-assigned managed identities and none was named: set input 'client-id' to the client id of the one to use/],
    ['the named identity is not on the VM', fail(400, 'Identity not found'), 'abc', /^No managed identity with client id 'abc' is assigned to this VM: check input 'client-id'/],
    ['no identity at all', fail(400, 'Identity not found'), undefined, /^This VM has no managed identity: enable its system-assigned identity/],
  ])('%s', async (_, answer, clientId, message) => {
    const h = harness([answer], clientId);
    expect(await errorOf(h.credential('r/.default'))).toMatch(message);
    expect(h.sleeps).toEqual([]);
  });

  it('says where it works when IMDS cannot be reached', async () => {
    const h = harness([]);
    expect(await errorOf(h.credential('r/.default'))).toBe(
      "Could not reach IMDS at http://127.0.0.1:1/vm: ECONNREFUSED. 'auth-type: managed-identity' works on an Azure VM or VMSS with a managed identity.",
    );
  });
});
