package main

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// containerRun is one execution of a simulated container. Its output is a pure function of time:
// line i is "printed" at started + i*interval and the process exits at end. So the log server
// needs no goroutine per container, and `follow` streams lines exactly when they are produced.
type containerRun struct {
	id       string // containerd://<64 hex>, as a real runtime reports it
	started  time.Time
	end      time.Time
	lines    []string
	interval time.Duration
	exitCode int32
	reason   string
	message  string
	cutAfter int  // SIM_LOG_CUT_AFTER
	cutTaken bool // the one cut stream has been served

	mu       sync.Mutex
	killedAt time.Time     // set when the pod is deleted before the run ends
	killed   chan struct{} // closed on kill, wakes followers
}

func newContainerRun(started time.Time, b behaviour, exitCode int32) *containerRun {
	// The process lives for SIM_DURATION, or until its last log line is printed if that is later.
	runtime := max(b.duration, time.Duration(len(b.lines))*b.interval)
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	r := &containerRun{
		id: "containerd://" + hex.EncodeToString(id), started: started, end: started.Add(runtime),
		lines: b.lines, interval: b.interval, exitCode: exitCode, reason: b.reason, message: b.message, cutAfter: b.cutAfter,
		killed: make(chan struct{}),
	}
	if r.reason == "" {
		r.reason = "Completed"
		if exitCode != 0 {
			r.reason = "Error"
		}
	}
	return r
}

// finish is when the process stopped (or will stop): its planned end, or the kill time.
func (r *containerRun) finish() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.killedAt.IsZero() && r.killedAt.Before(r.end) {
		return r.killedAt
	}
	return r.end
}

// takeCut reports whether this follow stream is the one SIM_LOG_CUT_AFTER cuts short.
func (r *containerRun) takeCut() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cutAfter <= 0 || r.cutTaken {
		return false
	}
	r.cutTaken = true
	return true
}

func (r *containerRun) done(now time.Time) bool { return !now.Before(r.finish()) }

// kill ends the run now with 137 (SIGKILL), which is what a deleted pod's container reports.
func (r *containerRun) kill(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.killedAt.IsZero() || !now.Before(r.end) {
		return
	}
	r.killedAt = now
	r.exitCode, r.reason = 137, "Error"
	close(r.killed)
}

// stop ends a run that is still going at `at` with `code` (the kubelet stopping a native
// sidecar); a run already over by then is left as it ended.
func (r *containerRun) stop(at time.Time, code int32) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.killedAt.IsZero() || !at.Before(r.end) {
		return
	}
	r.killedAt = at
	r.exitCode, r.reason = code, "Error"
	close(r.killed)
}

func (r *containerRun) result() (int32, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.exitCode, r.reason
}

func (r *containerRun) lineTime(i int) time.Time { return r.started.Add(time.Duration(i) * r.interval) }

// printedBy returns how many lines the process has written by time t.
func (r *containerRun) printedBy(t time.Time) int {
	finish := r.finish()
	if finish.Before(t) {
		t = finish
	}
	if t.Before(r.started) {
		return 0
	}
	if r.interval <= 0 {
		return len(r.lines)
	}
	// Line i is printed at started + i*interval: arithmetic, not a scan, so a pod printing tens
	// of thousands of lines (bench chatty) costs the log server no quadratic time.
	return min(len(r.lines), int(t.Sub(r.started)/r.interval)+1)
}

// tail is the end of the log for terminationMessagePolicy FallbackToLogsOnError
// (kubelet: last 80 lines, at most 2048 bytes).
func (r *containerRun) tail() string {
	n := r.printedBy(r.finish())
	lines := r.lines[max(0, n-80):n]
	s := strings.Join(lines, "\n")
	if len(s) > 2048 {
		s = s[len(s)-2048:]
	}
	return s
}

// podRun is the simulated kubelet's memory of one pod (by UID).
// mu is held by the simulator for a whole sync of the pod and by the log server while it takes a
// snapshot; the workqueue already guarantees one sync per pod at a time.
type podRun struct {
	mu         sync.Mutex
	uid        types.UID
	started    time.Time
	podIP      string
	runs       map[string][]*containerRun // container name -> executions, last is current
	waiting    map[string]waitingState    // containers that have not started, by name
	behaviours map[string]behaviour       // parsed at start, reused for restarts
	pullFailed time.Time                  // first ErrImagePull, for the switch to ImagePullBackOff
	eventsSent map[string]bool
}

type waitingState struct{ reason, message string }

func newPodRun(uid types.UID) *podRun {
	return &podRun{uid: uid, runs: map[string][]*containerRun{}, waiting: map[string]waitingState{}, behaviours: map[string]behaviour{}, eventsSent: map[string]bool{}}
}

func (p *podRun) current(name string) *containerRun {
	rs := p.runs[name]
	if len(rs) == 0 {
		return nil
	}
	return rs[len(rs)-1]
}

func (p *podRun) killAll(now time.Time) {
	for _, rs := range p.runs {
		rs[len(rs)-1].kill(now)
	}
}

// snapshot returns a container's executions and waiting state for the log server.
func (p *podRun) snapshot(name string) ([]*containerRun, *waitingState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rs := append([]*containerRun(nil), p.runs[name]...)
	if w, ok := p.waiting[name]; ok {
		return rs, &w
	}
	return rs, nil
}
