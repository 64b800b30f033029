/**
 * A throw-away certificate authority for the HTTPS fakes (GitHub OIDC, Entra ID, ARM) on 127.0.0.1.
 *
 * node:crypto can sign but cannot build X.509 certificates, and the suite must not depend on an
 * `openssl` binary or an extra package, so this file encodes the few DER structures RFC 5280 needs.
 * P-256 keys keep start-up fast; Go's crypto/x509 (the local API server fetching the Entra fake's
 * discovery document and JWKS) and Node's TLS both accept these certificates (CA: basicConstraints +
 * keyCertSign; leaf: SAN with IP 127.0.0.1 and DNS localhost, extKeyUsage serverAuth).
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServerCertificate {
  /** Leaf certificate followed by the CA certificate, as a TLS server sends it. */
  readonly certPem: string;
  readonly keyPem: string;
}

export interface TestCa {
  readonly certPem: string;
  /** Issues a serverAuth certificate for 127.0.0.1, ::1 and localhost. */
  issueServerCertificate(): ServerCertificate;
  /** Writes the CA certificate to a fresh temp dir (for --jwt-ca-file / NODE_EXTRA_CA_CERTS). */
  writeCertFile(): { path: string; remove(): void };
}

// ---- minimal DER encoder (X.690) ----
function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, body: Buffer): Buffer => tlv(0xa0 + n, body);
const octets = (body: Buffer): Buffer => tlv(0x04, body);
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bitString = (body: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), body]));

function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1] ?? 0) < 0x80) b = b.subarray(1);
  return tlv(0x02, (b[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const p = (n: number): string => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const name = (cn: string): Buffer => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function certificate(opts: {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  extensions: Buffer[];
  days: number;
}): string {
  const now = Date.now();
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    ECDSA_SHA256,
    name(opts.issuer),
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + opts.days * 86_400_000))),
    name(opts.subject),
    opts.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...opts.extensions)),
  );
  const signature = sign('sha256', tbs, opts.signingKey);
  const der = seq(tbs, ECDSA_SHA256, bitString(signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`;
}

const ecKeyPair = (): { publicKey: KeyObject; privateKey: KeyObject } =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** Creates a CA valid for two days; each call makes a new key, so nothing outlives the run. */
export function createTestCa(commonName = 'polysync test CA'): TestCa {
  const ca = ecKeyPair();
  const certPem = certificate({
    subject: commonName,
    issuer: commonName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    days: 2,
    extensions: [
      extension('2.5.29.19', true, seq(bool(true))), // basicConstraints CA:TRUE
      extension('2.5.29.15', true, bitString(Buffer.from([0x86]), 1)), // digitalSignature, keyCertSign, cRLSign
    ],
  });

  return {
    certPem,
    issueServerCertificate(): ServerCertificate {
      const leaf = ecKeyPair();
      const san = seq(
        tlv(0x87, Buffer.from([127, 0, 0, 1])),
        tlv(0x87, Buffer.concat([Buffer.alloc(15), Buffer.from([1])])),
        tlv(0x82, Buffer.from('localhost', 'ascii')),
      );
      const leafPem = certificate({
        subject: '127.0.0.1',
        issuer: commonName,
        publicKey: leaf.publicKey,
        signingKey: ca.privateKey,
        days: 2,
        extensions: [
          extension('2.5.29.19', true, seq()),
          extension('2.5.29.15', true, bitString(Buffer.from([0x80]), 7)), // digitalSignature
          extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
          extension('2.5.29.17', false, san),
        ],
      });
      const keyPem = leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      return { certPem: leafPem + certPem, keyPem };
    },
    writeCertFile() {
      const dir = mkdtempSync(join(tmpdir(), 'polysync-test-ca-'));
      const path = join(dir, 'ca.pem');
      writeFileSync(path, certPem);
      return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
    },
  };
}
