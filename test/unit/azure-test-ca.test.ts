// The fakes' CA is test infrastructure, but a wrong certificate would fail every Azure test obscurely.
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTestCa } from '../fakes/test-ca.js';

describe('createTestCa', () => {
  it('issues a server certificate for 127.0.0.1 that chains to the CA', () => {
    const ca = createTestCa();
    const root = new X509Certificate(ca.certPem);
    const leaf = new X509Certificate(ca.issueServerCertificate().certPem);
    expect({ rootIsCa: root.ca, leafIsCa: leaf.ca, issued: leaf.checkIssued(root), signed: leaf.verify(root.publicKey), ip: leaf.checkIP('127.0.0.1'), san: leaf.subjectAltName })
      .toEqual({ rootIsCa: true, leafIsCa: false, issued: true, signed: true, ip: '127.0.0.1', san: 'IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost' });
  });

  it('is trusted by a TLS client given only the CA', async () => {
    const ca = createTestCa();
    const { certPem, keyPem } = ca.issueServerCertificate();
    const server = https.createServer({ cert: certPem, key: keyPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const body = await new Promise<string>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca: ca.certPem }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(body).toBe('ok');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
