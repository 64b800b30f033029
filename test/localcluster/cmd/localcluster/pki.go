package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// pkiFiles is the harness PKI: one CA that signs the apiserver's and the simulated kubelet's
// serving certificate (IP SAN 127.0.0.1, so clients verify with the CA from the kubeconfig),
// an ECDSA service-account signing key and a random admin token. Mirrors what
// cmd/kube-apiserver/app/testing/testserver.go generates, minus the front proxy.
type pkiFiles struct {
	dir        string
	caPEM      []byte
	caFile     string
	certFile   string // serving certificate, used by the apiserver and the kubelet server
	keyFile    string
	saKeyFile  string
	adminToken string
	serving    tls.Certificate
}

func newPKI(dir string) (*pkiFiles, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p := &pkiFiles{
		dir: dir, caFile: filepath.Join(dir, "ca.crt"), certFile: filepath.Join(dir, "serving.crt"),
		keyFile: filepath.Join(dir, "serving.key"), saKeyFile: filepath.Join(dir, "sa.key"),
	}
	caKey, caCert, caDER, err := newCA()
	if err != nil {
		return nil, err
	}
	p.caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	servKey, servDER, err := newServingCert(caKey, caCert)
	if err != nil {
		return nil, err
	}
	servKeyPEM, err := ecKeyPEM(servKey)
	if err != nil {
		return nil, err
	}
	servPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: servDER})
	if p.serving, err = tls.X509KeyPair(append(servPEM, p.caPEM...), servKeyPEM); err != nil {
		return nil, err
	}
	saKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	saKeyPEM, err := ecKeyPEM(saKey)
	if err != nil {
		return nil, err
	}
	token := make([]byte, 32)
	if _, err := rand.Read(token); err != nil {
		return nil, err
	}
	p.adminToken = hex.EncodeToString(token)
	return p, writeFiles(map[string][]byte{
		p.caFile: p.caPEM, p.certFile: append(servPEM, p.caPEM...), p.keyFile: servKeyPEM, p.saKeyFile: saKeyPEM,
	})
}

func newCA() (*ecdsa.PrivateKey, *x509.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localcluster-ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return key, cert, der, err
}

func newServingCert(caKey crypto.Signer, ca *x509.Certificate) (*ecdsa.PrivateKey, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localcluster"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(7 * 24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.IPv6loopback},
		DNSNames:    []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "sim-node"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	return key, der, err
}

func ecKeyPEM(k *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil
}

func writeFiles(files map[string][]byte) error {
	for path, data := range files {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}
