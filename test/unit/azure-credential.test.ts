import { describe, expect, it } from 'vitest';
import { isTokenFresh } from '../../src/azure/credential.js';
import { readFederatedClaims } from '../../src/azure/federated-token.js';

describe('isTokenFresh (MSAL\'s renewal rule: 5 minutes before expiry, or at refresh_in)', () => {
  const now = 1_000_000_000;
  it.each([
    ['an hour left', { expiresOnTimestamp: now + 3_600_000 }, true],
    ['just over 5 minutes left', { expiresOnTimestamp: now + 300_001 }, true],
    ['exactly 5 minutes left', { expiresOnTimestamp: now + 300_000 }, false],
    ['a 20 s token', { expiresOnTimestamp: now + 20_000 }, false],
    ['expired', { expiresOnTimestamp: now - 1 }, false],
    ['refresh_in passed', { expiresOnTimestamp: now + 3_600_000, refreshAfterTimestamp: now }, false],
    ['refresh_in ahead', { expiresOnTimestamp: now + 3_600_000, refreshAfterTimestamp: now + 1 }, true],
  ])('%s', (_name, token, expected) => {
    expect(isTokenFresh(token, now)).toBe(expected);
  });
});

describe('readFederatedClaims', () => {
  const jwt = (payload: unknown): string =>
    `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
  it.each([
    ['GitHub branch token', jwt({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r:ref:refs/heads/main', aud: 'api://AzureADTokenExchange' }),
      { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:o/r:ref:refs/heads/main', audience: 'api://AzureADTokenExchange' }],
    ['audience array', jwt({ iss: 'i', sub: 's', aud: ['a', 'b'] }), { issuer: 'i', subject: 's', audience: 'a' }],
    ['missing claims', jwt({}), { issuer: undefined, subject: undefined, audience: undefined }],
    ['not a JWT', 'opaque', undefined],
    ['bad payload', 'a.!!!.c', undefined],
  ])('%s', (_name, token, expected) => {
    expect(readFederatedClaims(token)).toEqual(expected);
  });
});
