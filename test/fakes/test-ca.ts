/**
 * A throw-away certificate authority for the HTTPS fakes (GitHub OIDC, Entra ID, ARM) on 127.0.0.1.
 *
 * node:crypto can sign but cannot build X.509 certificates. The structures come from
 * @peculiar/asn1-x509 (RFC 5280's ASN.1 schema, the layer under @peculiar/x509) and are signed with
 * node:crypto, which keeps this API synchronous: @peculiar/x509's generator signs through WebCrypto
 * and is async only, while its callers create CAs at module load. P-256 keys keep start-up fast;
 * Go's crypto/x509 (the local API server fetching the Entra fake's discovery document and JWKS) and
 * Node's TLS both accept these certificates (CA: basicConstraints + keyCertSign; leaf: SAN with IP
 * 127.0.0.1 and DNS localhost, extKeyUsage serverAuth).
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, BasicConstraints, Certificate, ExtendedKeyUsage, Extension, Extensions,
  GeneralName, id_ce_basicConstraints, id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectAltName, id_kp_serverAuth,
  KeyUsage, KeyUsageFlags, Name, RelativeDistinguishedName, SubjectAlternativeName, SubjectPublicKeyInfo, TBSCertificate,
  Validity, Version,
} from '@peculiar/asn1-x509';

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

/** ecdsa-with-SHA256 (RFC 5758 §3.2: no parameters). */
const ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';

const name = (cn: string): Name =>
  new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: COMMON_NAME, value: new AttributeValue({ utf8String: cn }) })])]);

const extension = (extnID: string, critical: boolean, value: unknown): Extension =>
  new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });

function certificate(o: { subject: string; issuer: string; publicKey: KeyObject; signingKey: KeyObject; extensions: Extension[]; days: number }): string {
  const now = Date.now();
  const signature = new AlgorithmIdentifier({ algorithm: ECDSA_SHA256 });
  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    // Positive and 16 bytes: RFC 5280 §4.1.2.2 allows at most 20.
    serialNumber: new Uint8Array([0x01, ...randomBytes(15)]).buffer,
    signature,
    issuer: name(o.issuer),
    validity: new Validity({ notBefore: new Date(now - 3_600_000), notAfter: new Date(now + o.days * 86_400_000) }),
    subject: name(o.subject),
    subjectPublicKeyInfo: AsnConvert.parse(o.publicKey.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo),
    extensions: new Extensions(o.extensions),
  });
  const tbs = Buffer.from(AsnConvert.serialize(tbsCertificate));
  // node:crypto's ECDSA signature is DER (r, s), the form X.509's signatureValue carries.
  const signatureValue = sign('sha256', tbs, o.signingKey);
  const der = Buffer.from(AsnConvert.serialize(new Certificate({ tbsCertificate, signatureAlgorithm: signature, signatureValue: new Uint8Array(signatureValue).buffer })));
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
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: true })),
      extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
    ],
  });

  return {
    certPem,
    issueServerCertificate(): ServerCertificate {
      const leaf = ecKeyPair();
      const leafPem = certificate({
        subject: '127.0.0.1',
        issuer: commonName,
        publicKey: leaf.publicKey,
        signingKey: ca.privateKey,
        days: 2,
        extensions: [
          extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
          extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature)),
          extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth])),
          extension(id_ce_subjectAltName, false, new SubjectAlternativeName([
            new GeneralName({ iPAddress: '127.0.0.1' }),
            new GeneralName({ iPAddress: '::1' }),
            new GeneralName({ dNSName: 'localhost' }),
          ])),
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
