// localcluster starts a single-process Kubernetes control plane on 127.0.0.1 for tests and demos:
// embedded etcd, the real kube-apiserver, the real Job/CronJob/GC/TTL/namespace/serviceaccount/
// clusterrole-aggregation controllers, and a pod simulator that stands in for a kubelet.
// See ../../README.md for flags, the READY line and the SIM_* vocabulary.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	_ "time/tzdata" // CronJob spec.timeZone needs tz data even on hosts without /usr/share/zoneinfo.

	"k8s.io/klog/v2"
)

type cliOptions struct {
	kubeconfig        string
	dataDir           string
	podFailureBackoff time.Duration
	jwt               jwtOptions
	verbosity         int
	exitWithStdin     bool
	kueue             bool
	kueueDir          string
}

func parseFlags(args []string) (cliOptions, error) {
	var o cliOptions
	fs := flag.NewFlagSet("localcluster", flag.ContinueOnError)
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "path to write the admin kubeconfig to (required)")
	fs.StringVar(&o.dataDir, "data-dir", "", "directory for etcd data and PKI (default: a new temp dir, removed on exit)")
	fs.DurationVar(&o.podFailureBackoff, "pod-failure-backoff", 0, "Job controller pod failure backoff (upstream default 10s); the max backoff becomes 6x this")
	fs.StringVar(&o.jwt.issuerURL, "jwt-issuer-url", "", "trust JWTs from this OIDC issuer (https URL)")
	fs.StringVar(&o.jwt.caFile, "jwt-ca-file", "", "PEM CA bundle that verifies the issuer's TLS certificate")
	fs.StringVar(&o.jwt.audience, "jwt-audience", "", "required JWT audience (comma-separated for several)")
	fs.StringVar(&o.jwt.usernameClaim, "jwt-username-claim", "sub", "claim that becomes the Kubernetes username (no prefix)")
	fs.StringVar(&o.jwt.groupsClaim, "jwt-groups-claim", "", "claim that becomes the Kubernetes groups (optional, no prefix)")
	fs.BoolVar(&o.exitWithStdin, "exit-with-stdin", false, "shut down when stdin reaches EOF (the parent process died)")
	fs.IntVar(&o.verbosity, "v", -1, "log verbosity for klog; -1 = errors only")
	fs.BoolVar(&o.kueue, "kueue", false, "also run the real Kueue manager (bin/kueue), its CRDs and webhooks")
	fs.StringVar(&o.kueueDir, "kueue-dir", "", "directory holding the kueue binary and kueue-manifests/ (default: this binary's directory)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.kubeconfig == "" {
		return o, errors.New("--kubeconfig is required")
	}
	if o.jwt.issuerURL != "" && o.jwt.audience == "" {
		return o, errors.New("--jwt-audience is required with --jwt-issuer-url")
	}
	if o.kueueDir == "" {
		exe, err := os.Executable()
		if err != nil {
			return o, err
		}
		o.kueueDir = filepath.Dir(exe)
	}
	abs, err := filepath.Abs(o.kubeconfig)
	o.kubeconfig = abs
	return o, err
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "localcluster:", err)
		os.Exit(2)
	}
	configureLogging(o.verbosity)
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "localcluster:", err)
		os.Exit(1)
	}
}

// run owns every resource it starts and releases them in reverse order, so a signal leaves no
// listeners, goroutines writing to disk, or temp directories behind.
func run(o cliOptions) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if o.exitWithStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	dir, cleanupDir, err := prepareDataDir(o.dataDir)
	if err != nil {
		return err
	}
	defer cleanupDir()

	pki, err := newPKI(filepath.Join(dir, "pki"))
	if err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	etcd, err := startEtcd(filepath.Join(dir, "etcd"), o.verbosity >= 0)
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	defer etcd.Close()

	kubelet, err := startKubeletServer(pki)
	if err != nil {
		return fmt.Errorf("kubelet server: %w", err)
	}
	defer kubelet.Close()

	api, err := startAPIServer(ctx, apiServerConfig{dir: dir, pki: pki, etcdURL: etcd.URL, jwt: o.jwt})
	if err != nil {
		return fmt.Errorf("kube-apiserver: %w", err)
	}
	defer api.Wait()

	restCfg := adminRESTConfig(api.URL, pki)
	if err := waitReady(ctx, restCfg, 3*time.Minute, api.Done()); err != nil {
		return fmt.Errorf("kube-apiserver not ready: %w", err)
	}
	if err := startControllers(ctx, restCfg, o.podFailureBackoff, kubelet); err != nil {
		return fmt.Errorf("controllers: %w", err)
	}
	if err := waitSettled(ctx, restCfg); err != nil {
		return fmt.Errorf("controllers not settled: %w", err)
	}
	var kueue *kueueProcess
	if o.kueue {
		if kueue, err = startKueue(ctx, o.kueueDir, dir, pki, restCfg, o.verbosity >= 0); err != nil {
			return fmt.Errorf("kueue: %w", err)
		}
		defer kueue.Stop()
	}
	if err := writeKubeconfig(o.kubeconfig, api.URL, pki); err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	line, _ := json.Marshal(map[string]string{"kubeconfig": o.kubeconfig, "server": api.URL})
	fmt.Printf("READY %s\n", line)

	select {
	case <-ctx.Done():
		klog.Info("signal received, shutting down")
	case <-api.Done():
		return fmt.Errorf("kube-apiserver exited: %w", api.Err())
	case <-kueueDone(kueue):
		return fmt.Errorf("kueue exited: %w", kueue.Err())
	}
	stop()
	return nil
}

func prepareDataDir(dir string) (string, func(), error) {
	if dir == "" {
		d, err := os.MkdirTemp("", "localcluster-")
		return d, func() { _ = os.RemoveAll(d) }, err
	}
	if _, err := os.Stat(dir); err == nil {
		// A caller-owned dir is kept, but our state in it is never reused: every run has new PKI and
		// ports, so leftovers of a killed run are removed before and after.
		clean := func() {
			_ = os.RemoveAll(filepath.Join(dir, "etcd"))
			_ = os.RemoveAll(filepath.Join(dir, "pki"))
		}
		clean()
		return dir, clean, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, err
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}
