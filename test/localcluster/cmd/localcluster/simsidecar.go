package main

import (
	"time"

	v1 "k8s.io/api/core/v1"
)

// Native sidecars (KEP-753; GA in 1.33): init containers with restartPolicy Always. As a kubelet
// runs them (pkg/kubelet/kuberuntime/kuberuntime_manager.go computeInitContainerActions), one
// starts in its place among the init containers and the next init container starts once it has
// started, without waiting for it to exit; it keeps running, restarted if it exits, until the
// regular containers have ended; then the kubelet stops it (SIGTERM: exit 143 for a process that
// does not handle it). Its exit code never decides the pod phase ("exit codes different from 0
// ... for sidecar containers are normal on Pod termination", concepts/workloads/pods/
// sidecar-containers.md).

// sidecarForever is how long a sidecar without SIM_DURATION runs: until it is stopped.
const sidecarForever = 100 * 365 * 24 * time.Hour

// sidecarStopCode is the exit code of a process ended by SIGTERM (128 + 15).
const sidecarStopCode = 143

func isSidecar(c *v1.Container) bool {
	return c.RestartPolicy != nil && *c.RestartPolicy == v1.ContainerRestartPolicyAlways
}

// sidecarBehaviour is a sidecar's plan: without SIM_DURATION it runs until stopped.
func sidecarBehaviour(c *v1.Container, b behaviour) behaviour {
	if _, ok := specFlag(c, "SIM_DURATION"); !ok {
		b.duration = sidecarForever
	}
	return b
}

// mainEnded reports whether the pod's main work is over, and when: an ordinary init container
// failed (the pod fails), or every regular container has run and its current run has ended (no
// restart pending).
func mainEnded(pod *v1.Pod, run *podRun, now time.Time) (time.Time, bool) {
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		if cur := run.current(c.Name); !isSidecar(c) && cur != nil && cur.done(now) {
			if code, _ := cur.result(); code != 0 {
				return cur.finish(), true
			}
		}
	}
	var last time.Time
	for _, c := range pod.Spec.Containers {
		cur := run.current(c.Name)
		if cur == nil || !cur.done(now) {
			return time.Time{}, false
		}
		last = maxTime(last, cur.finish())
	}
	return last, true
}

// syncSidecars restarts sidecars that exited while the main work goes on, and stops the running
// ones once it is over (at the moment it ended), in reverse order as the kubelet does.
func (s *simulator) syncSidecars(pod *v1.Pod, run *podRun, now time.Time) {
	ended, over := mainEnded(pod, run, now)
	for i := len(pod.Spec.InitContainers) - 1; i >= 0; i-- {
		c := &pod.Spec.InitContainers[i]
		cur := run.current(c.Name)
		if !isSidecar(c) || cur == nil {
			continue
		}
		switch {
		case over && cur.started.After(ended) && len(run.runs[c.Name]) > 1:
			run.runs[c.Name] = run.runs[c.Name][:len(run.runs[c.Name])-1] // a restart that never happened
			run.current(c.Name).stop(ended, sidecarStopCode)
		case over:
			cur.stop(ended, sidecarStopCode)
		case cur.done(now):
			b := run.behaviours[c.Name]
			run.runs[c.Name] = append(run.runs[c.Name], newContainerRun(cur.finish().Add(restartDelay), b, b.exitCode))
		}
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
