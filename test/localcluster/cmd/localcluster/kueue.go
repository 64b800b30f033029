package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// kueueNamespace is where a Kueue install lives (config/default/kustomization.yaml's namespace).
const kueueNamespace = "kueue-system"

// kueueProcess is the real Kueue manager (sigs.k8s.io/kueue/cmd/kueue, built by
// scripts/localcluster.mjs into bin/kueue) run as a child process against this API server, the
// way a Kueue Deployment runs against a cluster, minus the Service: its webhooks are registered
// by URL on 127.0.0.1 with our CA's caBundle, as `kustomize build config/default` would register
// them by Service with cert-manager's or Kueue's own CA.
type kueueProcess struct {
	cmd     *exec.Cmd
	done    chan struct{}
	err     error
	logPath string
}

func (k *kueueProcess) Done() <-chan struct{} { return k.done }

// kueueDone is never ready without Kueue, so run's select can always include it.
func kueueDone(k *kueueProcess) <-chan struct{} {
	if k == nil {
		return nil
	}
	return k.done
}

// Err is why Kueue exited, with the tail of its log.
func (k *kueueProcess) Err() error { return fmt.Errorf("%w\n%s", k.err, logTail(k.logPath, 20)) }

// Stop sends SIGTERM (controller-runtime's signal handler shuts the manager down) and waits.
func (k *kueueProcess) Stop() {
	if k == nil {
		return
	}
	_ = k.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-k.done:
	case <-time.After(15 * time.Second):
		_ = k.cmd.Process.Kill()
		<-k.done
	}
}

type kueuePorts struct{ webhook, metrics, health int }

// startKueue installs Kueue's CRDs, starts the manager, waits for its webhook server, registers
// its webhooks and checks that the API server calls them, so a Job created after READY is
// already Kueue's.
func startKueue(ctx context.Context, kueueDir, dataDir string, p *pkiFiles, cfg *rest.Config, verbose bool) (*kueueProcess, error) {
	manifests := filepath.Join(kueueDir, "kueue-manifests")
	binary := filepath.Join(kueueDir, "kueue")
	if _, err := os.Stat(binary); err != nil {
		return nil, fmt.Errorf("%w (build it with scripts/localcluster.mjs ensureBuilt, or pass --kueue-dir)", err)
	}
	dir := filepath.Join(dataDir, "kueue")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	ps := kueuePorts{webhook: ports[0], metrics: ports[1], health: ports[2]}
	webhookURL := fmt.Sprintf("https://127.0.0.1:%d", ps.webhook)

	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	if _, err := client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: kueueNamespace}}, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return nil, fmt.Errorf("namespace %s: %w", kueueNamespace, err)
	}
	if err := installKueueCRDs(ctx, cfg, manifests, webhookURL, p.caPEM); err != nil {
		return nil, fmt.Errorf("CRDs: %w", err)
	}
	configPath, err := writeKueueFiles(dir, cfg.Host, p, ps)
	if err != nil {
		return nil, err
	}
	k, err := runKueue(binary, dir, configPath, verbose)
	if err != nil {
		return nil, err
	}
	if err := waitKueueReady(ctx, k, ps.health); err != nil {
		k.Stop()
		return nil, err
	}
	if err := registerKueueWebhooks(ctx, cfg, manifests, webhookURL, p.caPEM); err != nil {
		k.Stop()
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	if err := waitKueueWebhookServed(ctx, client, k); err != nil {
		k.Stop()
		return nil, err
	}
	return k, nil
}

// writeKueueFiles writes the serving certificate (the harness CA's, SAN 127.0.0.1) where the
// webhook and metrics servers read it, a kubeconfig for the admin identity (Kueue's ClusterRole
// is a subset), and the manager's Configuration.
func writeKueueFiles(dir, server string, p *pkiFiles, ps kueuePorts) (string, error) {
	cert, err := os.ReadFile(p.certFile)
	if err != nil {
		return "", err
	}
	key, err := os.ReadFile(p.keyFile)
	if err != nil {
		return "", err
	}
	certDir := filepath.Join(dir, "certs")
	if err := os.MkdirAll(certDir, 0o700); err != nil {
		return "", err
	}
	if err := writeFiles(map[string][]byte{filepath.Join(certDir, "tls.crt"): cert, filepath.Join(certDir, "tls.key"): key}); err != nil {
		return "", err
	}
	if err := writeKubeconfig(filepath.Join(dir, "kubeconfig"), server, p); err != nil {
		return "", err
	}
	configPath := filepath.Join(dir, "config.yaml")
	return configPath, os.WriteFile(configPath, []byte(kueueConfig(certDir, ps)), 0o600)
}

// kueueConfig is config/components/manager/controller_manager_config.yaml with what a test
// cluster needs instead: loopback ports picked at start, our certificates (no internal cert
// management: it issues certificates for the Service DNS name only), one replica (no leader
// election), only the batch/job integration, and Jobs without a queue label left alone.
// VisibilityOnDemand is off because its API server binds the fixed port 8082.
func kueueConfig(certDir string, ps kueuePorts) string {
	return fmt.Sprintf(`apiVersion: config.kueue.x-k8s.io/v1beta2
kind: Configuration
namespace: %s
health:
  healthProbeBindAddress: 127.0.0.1:%d
metrics:
  bindAddress: 127.0.0.1:%d
webhook:
  host: 127.0.0.1
  port: %d
  certDir: %s
leaderElection:
  leaderElect: false
internalCertManagement:
  enable: false
manageJobsWithoutQueueName: false
clientConnection:
  qps: 200
  burst: 400
integrations:
  frameworks:
  - batch/job
featureGates:
  VisibilityOnDemand: false
`, kueueNamespace, ps.health, ps.metrics, ps.webhook, certDir)
}

// runKueue starts the manager with its log in dir/kueue.log (and on stderr with --v >= 0).
// KUEUE_METRICS_CERT_DIR is read by the one line bin/kueue is built with changed (see
// scripts/localcluster.mjs): upstream hard-codes /etc/kueue/metrics/certs when internal cert
// management is off.
func runKueue(binary, dir, configPath string, verbose bool) (*kueueProcess, error) {
	logPath := filepath.Join(dir, "kueue.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	var out io.Writer = logFile
	if verbose {
		out = io.MultiWriter(logFile, os.Stderr)
	}
	cmd := exec.Command(binary, "--config", configPath, "--kubeconfig", filepath.Join(dir, "kubeconfig"))
	cmd.Env = append(os.Environ(), "KUEUE_METRICS_CERT_DIR="+filepath.Join(dir, "certs"))
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = childProcAttr()
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, err
	}
	k := &kueueProcess{cmd: cmd, done: make(chan struct{}), logPath: logPath}
	go func() {
		k.err = cmd.Wait()
		if k.err == nil {
			k.err = errors.New("kueue exited")
		}
		_ = logFile.Close()
		close(k.done)
	}()
	return k, nil
}

// waitKueueReady polls the manager's /readyz, which turns 200 once its webhook server listens
// (cmd/kueue/main.go setupProbeEndpoints).
func waitKueueReady(ctx context.Context, k *kueueProcess, healthPort int) error {
	url := fmt.Sprintf("http://127.0.0.1:%d/readyz", healthPort)
	httpClient := &http.Client{Timeout: 2 * time.Second}
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
		select {
		case <-k.Done():
			return false, fmt.Errorf("kueue exited during start-up: %w", k.Err())
		default:
		}
		resp, err := httpClient.Get(url)
		if err != nil {
			return false, nil
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
	if err != nil {
		return fmt.Errorf("kueue not ready: %w\n%s", err, logTail(k.logPath, 20))
	}
	return nil
}

// waitKueueWebhookServed creates a queued Job with dryRun until Kueue's Job webhook has
// suspended it: then the API server has picked up the webhook configuration and reaches Kueue.
func waitKueueWebhookServed(ctx context.Context, client kubernetes.Interface, k *kueueProcess) error {
	job := probeJob()
	var last error
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		select {
		case <-k.Done():
			return false, fmt.Errorf("kueue exited during start-up: %w", k.Err())
		default:
		}
		got, err := client.BatchV1().Jobs("default").Create(ctx, job, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		if err != nil {
			last = err
			return false, nil
		}
		return got.Spec.Suspend != nil && *got.Spec.Suspend, nil
	})
	if err != nil {
		return fmt.Errorf("kueue's Job webhook never suspended a queued Job: %w (last: %v)", err, last)
	}
	return nil
}

func logTail(path string, lines int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return "kueue log (" + path + "):\n" + strings.Join(all, "\n")
}
