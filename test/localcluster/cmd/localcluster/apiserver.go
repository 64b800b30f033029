package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
	"k8s.io/kubernetes/cmd/kube-apiserver/app/options"
)

type apiServerConfig struct {
	dir     string
	pki     *pkiFiles
	etcdURL string
	jwt     jwtOptions
}

type apiServer struct {
	URL  string
	done chan struct{}
	err  error
}

func (a *apiServer) Done() <-chan struct{} { return a.done }
func (a *apiServer) Err() error            { return a.err }
func (a *apiServer) Wait()                 { <-a.done }

// startAPIServer runs the real kube-apiserver in a goroutine. It follows the body of
// NewAPIServerCommand's RunE (cmd/kube-apiserver/app/server.go) but with our own context instead
// of genericapiserver.SetupSignalContext(), which may be called only once per process and would
// take over SIGTERM before we can clean up. The listener is opened here, as testserver.go does, so
// the port cannot be lost to a race.
func startAPIServer(ctx context.Context, c apiServerConfig) (*apiServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	args, err := apiServerFlags(c, port)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	s := options.NewServerRunOptions()
	fs := pflag.NewFlagSet("kube-apiserver", pflag.ContinueOnError)
	for _, f := range s.Flags().FlagSets {
		fs.AddFlagSet(f)
	}
	if err := fs.Parse(args); err != nil {
		_ = ln.Close()
		return nil, err
	}
	s.SecureServing.Listener = ln
	if err := s.GenericServerRunOptions.ComponentGlobalsRegistry.Set(); err != nil {
		_ = ln.Close()
		return nil, err
	}
	completed, err := s.Complete(ctx)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	if errs := completed.Validate(); len(errs) != 0 {
		_ = ln.Close()
		return nil, fmt.Errorf("invalid flags: %v", errs)
	}
	a := &apiServer{URL: fmt.Sprintf("https://127.0.0.1:%d", port), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		a.err = app.Run(ctx, completed)
	}()
	return a, nil
}

// apiServerFlags is the flag set from control-plane-notes.md ("kube-apiserver flag list"), checked
// against cmd/kube-apiserver/app/options at v1.34.4.
func apiServerFlags(c apiServerConfig, port int) ([]string, error) {
	tokens := filepath.Join(c.dir, "pki", "tokens.csv")
	// token,user,uid,"groups" (k8s.io/apiserver/plugin/pkg/authenticator/token/tokenfile).
	line := fmt.Sprintf("%s,admin,admin,\"system:masters\"\n", c.pki.adminToken)
	if err := os.WriteFile(tokens, []byte(line), 0o600); err != nil {
		return nil, err
	}
	args := []string{
		"--etcd-servers=" + c.etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1", // no default route in sandboxes; see microshift#876
		fmt.Sprintf("--secure-port=%d", port),
		"--tls-cert-file=" + c.pki.certFile,
		"--tls-private-key-file=" + c.pki.keyFile,
		"--service-cluster-ip-range=10.96.0.0/16",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + c.pki.saKeyFile,
		"--service-account-signing-key-file=" + c.pki.saKeyFile,
		"--token-auth-file=" + tokens,
		"--authorization-mode=Node,RBAC",
		"--endpoint-reconciler-type=none", // keep 127.0.0.1 out of the kubernetes Endpoints
		"--kubelet-preferred-address-types=InternalIP",
		"--kubelet-certificate-authority=" + c.pki.caFile, // the simulated kubelet serves a cert from our CA
		"--allow-privileged=true",
		"--profiling=false",
		"--enable-priority-and-fairness=false", // one client process; APF only adds start-up work
		"--shutdown-delay-duration=0s",
		"--cert-dir=" + filepath.Join(c.dir, "pki"),
	}
	if c.jwt.issuerURL != "" {
		path, err := writeAuthenticationConfig(filepath.Join(c.dir, "pki"), c.jwt)
		if err != nil {
			return nil, err
		}
		args = append(args, "--authentication-config="+path)
	}
	return args, nil
}

type jwtOptions struct {
	issuerURL, caFile, audience, usernameClaim, groupsClaim string
}

// writeAuthenticationConfig renders a structured AuthenticationConfiguration
// (apiserver.config.k8s.io/v1, GA in 1.34) with one JWT issuer. prefix "" is required when a claim
// is set and disables prefixing (staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation).
// It is JSON, which the apiserver's YAML loader accepts.
func writeAuthenticationConfig(dir string, j jwtOptions) (string, error) {
	issuer := map[string]any{"url": j.issuerURL, "audiences": strings.Split(j.audience, ",")}
	if strings.Contains(j.audience, ",") {
		issuer["audienceMatchPolicy"] = "MatchAny"
	}
	if j.caFile != "" {
		ca, err := os.ReadFile(j.caFile)
		if err != nil {
			return "", fmt.Errorf("--jwt-ca-file: %w", err)
		}
		issuer["certificateAuthority"] = string(ca)
	}
	mappings := map[string]any{"username": map[string]string{"claim": j.usernameClaim, "prefix": ""}}
	if j.groupsClaim != "" {
		mappings["groups"] = map[string]string{"claim": j.groupsClaim, "prefix": ""}
	}
	cfg := map[string]any{
		"apiVersion": "apiserver.config.k8s.io/v1",
		"kind":       "AuthenticationConfiguration",
		"jwt":        []any{map[string]any{"issuer": issuer, "claimMappings": mappings}},
	}
	return writeJSON(filepath.Join(dir, "authentication-config.json"), cfg)
}
