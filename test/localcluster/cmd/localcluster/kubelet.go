package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// kubeletServer is the simulated kubelet's HTTPS endpoint. The apiserver proxies
// GET pods/{name}/log to https://<InternalIP>:<kubeletEndpoint.port>/containerLogs/{ns}/{pod}/{container}
// (LogLocation in pkg/registry/core/pod/strategy.go) and verifies our serving certificate with
// --kubelet-certificate-authority. Error texts follow the kubelet's (pkg/kubelet/kubelet_pods.go
// validateContainerLogStatus), because clients such as the action show them to users.
type kubeletServer struct {
	ln  net.Listener
	srv *http.Server
	sim *simulator // set by newSimulator before any pod exists
}

func startKubeletServer(p *pkiFiles) (*kubeletServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	k := &kubeletServer{ln: ln}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /containerLogs/{ns}/{pod}/{container}", k.containerLogs)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	k.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	tlsLn := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{p.serving}, MinVersion: tls.VersionTLS12})
	go func() { _ = k.srv.Serve(tlsLn) }()
	return k, nil
}

func (k *kubeletServer) Port() int { return k.ln.Addr().(*net.TCPAddr).Port }

// Close ends open follow streams too, so shutdown is not held up by a client that never hangs up.
func (k *kubeletServer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := k.srv.Shutdown(ctx); err != nil {
		_ = k.srv.Close()
	}
}

type logQuery struct {
	follow, timestamps, previous bool
	tailLines, limitBytes        int64
	since                        time.Time
}

func parseLogQuery(r *http.Request) (logQuery, error) {
	q := r.URL.Query()
	lq := logQuery{follow: q.Get("follow") == "true", timestamps: q.Get("timestamps") == "true",
		previous: q.Get("previous") == "true", tailLines: -1, limitBytes: -1}
	var err error
	for name, dst := range map[string]*int64{"tailLines": &lq.tailLines, "limitBytes": &lq.limitBytes, "sinceSeconds": nil} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			err = fmt.Errorf("invalid %s %q", name, v)
			continue
		}
		if dst != nil {
			*dst = n
		} else {
			lq.since = time.Now().Add(-time.Duration(n) * time.Second)
		}
	}
	if v := q.Get("sinceTime"); v != "" {
		if lq.since, err = time.Parse(time.RFC3339, v); err != nil {
			err = fmt.Errorf("invalid sinceTime %q", v)
		}
	}
	return lq, err
}

func (k *kubeletServer) containerLogs(w http.ResponseWriter, r *http.Request) {
	ns, podName, container := r.PathValue("ns"), r.PathValue("pod"), r.PathValue("container")
	lq, err := parseLogQuery(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	run, _ := k.sim.lookup(ns, podName)
	if run == nil {
		http.Error(w, fmt.Sprintf("pod %q does not exist", podName), http.StatusNotFound)
		return
	}
	runs, waiting := run.snapshot(container)
	cr, err := pickRun(runs, waiting, lq.previous, container, podName)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	streamLog(r.Context(), w, cr, lq)
}

func pickRun(runs []*containerRun, waiting *waitingState, previous bool, container, pod string) (*containerRun, error) {
	now := time.Now()
	for len(runs) > 0 && runs[len(runs)-1].started.After(now) {
		runs = runs[:len(runs)-1] // a restart scheduled for later has printed nothing yet
	}
	if previous {
		if len(runs) < 2 {
			return nil, fmt.Errorf("previous terminated container %q in pod %q not found", container, pod)
		}
		return runs[len(runs)-2], nil
	}
	if len(runs) > 0 {
		return runs[len(runs)-1], nil
	}
	switch {
	case waiting == nil:
		return nil, fmt.Errorf("container %q in pod %q is waiting to start: ContainerCreating", container, pod)
	case waiting.reason == "ErrImagePull":
		return nil, fmt.Errorf("container %q in pod %q is waiting to start: image can't be pulled", container, pod)
	case waiting.reason == "ImagePullBackOff":
		return nil, fmt.Errorf("container %q in pod %q is waiting to start: trying and failing to pull image", container, pod)
	}
	return nil, fmt.Errorf("container %q in pod %q is waiting to start: %s", container, pod, waiting.reason)
}

// streamLog writes the lines printed so far and, with follow, each later line when the simulated
// process prints it, until the process exits, is killed, or the client goes away. With
// SIM_LOG_CUT_AFTER=N the first follow stream of a run ends cleanly after N lines, as
// the API server ends a client's log response when its connection to the kubelet drops (a kubelet
// restart, a konnectivity tunnel reconnect).
func streamLog(ctx context.Context, w http.ResponseWriter, r *containerRun, lq logQuery) {
	bw := bufio.NewWriter(w)
	flusher, _ := w.(http.Flusher)
	written := int64(0)
	sent := 0
	cut := lq.follow && r.takeCut()
	next := r.printedBy(time.Now())
	first := 0
	if lq.tailLines >= 0 && int64(next) > lq.tailLines {
		first = next - int(lq.tailLines)
	}
	emit := func(from, to int) bool {
		for i := from; i < to; i++ {
			if !lq.since.IsZero() && r.lineTime(i).Before(lq.since) {
				continue
			}
			line := r.lines[i] + "\n"
			if lq.timestamps {
				line = r.lineTime(i).UTC().Format(time.RFC3339Nano) + " " + line
			}
			if lq.limitBytes >= 0 && written+int64(len(line)) > lq.limitBytes {
				_, _ = bw.WriteString(line[:lq.limitBytes-written])
				return false
			}
			written += int64(len(line))
			_, _ = bw.WriteString(line)
			if sent++; cut && sent >= r.cutAfter {
				return false
			}
		}
		return true
	}
	ok := emit(first, next)
	_ = bw.Flush()
	if flusher != nil {
		flusher.Flush()
	}
	for ok && lq.follow {
		now := time.Now()
		if next >= len(r.lines) && r.done(now) {
			return
		}
		wake := r.finish()
		if next < len(r.lines) && r.lineTime(next).Before(wake) {
			wake = r.lineTime(next)
		}
		timer := time.NewTimer(time.Until(wake))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-r.killed:
		case <-timer.C:
		}
		timer.Stop()
		n := r.printedBy(time.Now())
		ok = emit(next, n)
		next = n
		if err := bw.Flush(); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		if errors.Is(ctx.Err(), context.Canceled) {
			return
		}
	}
}
