package main

import (
	"context"
	"fmt"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"
)

const (
	restartDelay      = time.Second     // stands in for CrashLoopBackOff (10s doubling in a kubelet)
	pullBackOffAfter  = 2 * time.Second // ErrImagePull -> ImagePullBackOff
	configRetryPeriod = 2 * time.Second // a kubelet retries CreateContainerConfigError on its sync loop
)

// sync reconciles one pod and returns when it wants to look at the pod again.
func (s *simulator) sync(ctx context.Context, key string) (time.Duration, error) {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return 0, nil
	}
	pod, err := s.pods.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) {
		s.forget(key)
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	run := s.runFor(key, pod.UID)
	run.mu.Lock()
	defer run.mu.Unlock()
	now := time.Now()
	switch {
	case pod.DeletionTimestamp != nil:
		return 0, s.finishDeletion(ctx, pod, run, now)
	case pod.Status.Phase == v1.PodSucceeded || pod.Status.Phase == v1.PodFailed:
		return 0, nil
	case len(pod.Spec.SchedulingGates) > 0:
		return 0, nil
	case pod.Spec.NodeName == "":
		return 0, s.schedule(ctx, pod, run)
	case pod.Spec.NodeName != simNodeName:
		return 0, nil
	}
	var wake time.Duration
	if run.started.IsZero() {
		wake = s.start(ctx, pod, run, now)
	} else {
		s.restart(pod, run, now)
	}
	s.syncSidecars(pod, run, now)
	if err := s.writeStatus(ctx, pod, buildStatus(pod, run, now, false)); err != nil {
		return 0, err
	}
	if w := nextWake(run, now); w > 0 && (wake == 0 || w < wake) {
		wake = w
	}
	return wake, nil
}

func (s *simulator) writeStatus(ctx context.Context, pod *v1.Pod, status v1.PodStatus) error {
	if equality.Semantic.DeepEqual(status, pod.Status) {
		return nil
	}
	p := pod.DeepCopy()
	p.Status = status
	_, err := s.client.CoreV1().Pods(p.Namespace).UpdateStatus(ctx, p, metav1.UpdateOptions{})
	return err
}

// schedule binds the pod to sim-node, or leaves it Pending the way kube-scheduler reports a pod
// that fits no node (PodScheduled=False/Unschedulable plus a FailedScheduling event).
func (s *simulator) schedule(ctx context.Context, pod *v1.Pod, run *podRun) error {
	for i := range pod.Spec.Containers {
		v, ok := specFlag(&pod.Spec.Containers[i], "SIM_UNSCHEDULABLE")
		if !ok {
			continue
		}
		msg := flagMessage(v, "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. "+
			"preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.")
		if !run.eventsSent["FailedScheduling"] {
			run.eventsSent["FailedScheduling"] = true
			s.event(ctx, pod, v1.EventTypeWarning, "FailedScheduling", "default-scheduler", msg)
		}
		status := pod.Status.DeepCopy()
		status.Phase = v1.PodPending
		setCondition(status, v1.PodCondition{Type: v1.PodScheduled, Status: v1.ConditionFalse,
			Reason: v1.PodReasonUnschedulable, Message: msg, LastTransitionTime: metav1.NewTime(pod.CreationTimestamp.Time)})
		return s.writeStatus(ctx, pod, *status)
	}
	binding := &v1.Binding{
		ObjectMeta: metav1.ObjectMeta{Name: pod.Name, Namespace: pod.Namespace, UID: pod.UID},
		Target:     v1.ObjectReference{Kind: "Node", Name: simNodeName},
	}
	if err := s.client.CoreV1().Pods(pod.Namespace).Bind(ctx, binding, metav1.CreateOptions{}); err != nil {
		return err
	}
	s.event(ctx, pod, v1.EventTypeNormal, "Scheduled", "default-scheduler",
		fmt.Sprintf("Successfully assigned %s/%s to %s", pod.Namespace, pod.Name, simNodeName))
	return nil
}

// start "pulls images" and "creates containers": it either records why the containers wait
// (image pull error, config error; init containers first, as a kubelet starts them) or plans one
// run per container: init containers one after another, then the app containers together. An
// init container that fails stops the plan there; a native sidecar starts and runs alongside (restartPolicy Never: the pod fails; the
// simulator does not restart init containers under OnFailure).
func (s *simulator) start(ctx context.Context, pod *v1.Pod, run *podRun, now time.Time) time.Duration {
	clear(run.waiting)
	for _, list := range [][]v1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
		for i := range list {
			c := &list[i]
			if v, ok := specFlag(c, "SIM_IMAGE_PULL_ERROR"); ok {
				return s.imagePullError(ctx, pod, run, c, v, now)
			}
			if v, ok := specFlag(c, "SIM_CONFIG_ERROR"); ok {
				run.waiting[c.Name] = waitingState{"CreateContainerConfigError", flagMessage(v, `secret "sim-config" not found`)}
				return configRetryPeriod
			}
			env, err := resolveEnv(ctx, s.client, pod, c)
			if err == nil {
				run.behaviours[c.Name], err = parseBehaviour(env)
			}
			if err != nil {
				run.waiting[c.Name] = waitingState{"CreateContainerConfigError", err.Error()}
				return configRetryPeriod
			}
		}
	}
	run.started, run.podIP = now, s.allocateIP()
	attempt := s.nextAttempt(pod)
	at := now
	for _, c := range pod.Spec.InitContainers {
		b := run.behaviours[c.Name]
		if isSidecar(&c) {
			// Started in its place; the next one starts alongside (simsidecar.go).
			run.runs[c.Name] = []*containerRun{newContainerRun(at, sidecarBehaviour(&c, b), b.exitCode)}
			continue
		}
		if _, ok := specFlag(&c, "SIM_DURATION"); !ok {
			b.duration = 0 // an init container without SIM_DURATION succeeds at once
		}
		r := newContainerRun(at, b, exitCodeFor(b, attempt))
		run.runs[c.Name] = []*containerRun{r}
		at = r.end
		if r.exitCode != 0 {
			return 0
		}
	}
	for _, c := range pod.Spec.Containers {
		b := run.behaviours[c.Name]
		run.runs[c.Name] = []*containerRun{newContainerRun(at, b, exitCodeFor(b, attempt))}
	}
	return 0
}

// exitCodeFor applies SIM_FAIL_ATTEMPTS: attempts before N fail (with SIM_EXIT_CODE, or 1),
// later ones succeed.
func exitCodeFor(b behaviour, attempt int) int32 {
	if b.failAttempts <= 0 {
		return b.exitCode
	}
	if attempt < b.failAttempts {
		if b.exitCode != 0 {
			return b.exitCode
		}
		return 1
	}
	return 0
}

func (s *simulator) imagePullError(ctx context.Context, pod *v1.Pod, run *podRun, c *v1.Container, v string, now time.Time) time.Duration {
	if run.pullFailed.IsZero() {
		run.pullFailed = now
	}
	msg := flagMessage(v, fmt.Sprintf(`failed to pull and unpack image "%s": not found`, c.Image))
	if now.Sub(run.pullFailed) < pullBackOffAfter {
		run.waiting[c.Name] = waitingState{"ErrImagePull", msg}
		if !run.eventsSent["Failed"] {
			run.eventsSent["Failed"] = true
			s.event(ctx, pod, v1.EventTypeWarning, "Failed", "kubelet",
				fmt.Sprintf(`Failed to pull image "%s": %s`, c.Image, msg))
		}
		return pullBackOffAfter - now.Sub(run.pullFailed) + 10*time.Millisecond
	}
	run.waiting[c.Name] = waitingState{"ImagePullBackOff", fmt.Sprintf(`Back-off pulling image "%s": ErrImagePull: %s`, c.Image, msg)}
	return 0
}

// restart starts the next run of containers that exited and whose restartPolicy asks for it.
func (s *simulator) restart(pod *v1.Pod, run *podRun, now time.Time) {
	policy := pod.Spec.RestartPolicy
	if policy == v1.RestartPolicyNever {
		return
	}
	for _, c := range pod.Spec.Containers {
		cur := run.current(c.Name)
		if cur == nil || !cur.done(now) {
			continue
		}
		if code, _ := cur.result(); code == 0 && policy != v1.RestartPolicyAlways {
			continue
		}
		b := run.behaviours[c.Name]
		next := newContainerRun(cur.finish().Add(restartDelay), b, exitCodeFor(b, s.nextAttempt(pod)))
		run.runs[c.Name] = append(run.runs[c.Name], next)
	}
}

// finishDeletion plays the kubelet's part of graceful deletion for bound pods: kill the
// containers (exit 137), report the pod terminal, then delete it with grace 0. Unbound pods never
// get here with a grace period: CheckGracefulDelete (pkg/registry/core/pod/strategy.go) deletes them
// at once.
func (s *simulator) finishDeletion(ctx context.Context, pod *v1.Pod, run *podRun, now time.Time) error {
	if pod.Spec.NodeName == "" || (pod.DeletionGracePeriodSeconds != nil && *pod.DeletionGracePeriodSeconds == 0) {
		return nil
	}
	if pod.Status.Phase != v1.PodSucceeded && pod.Status.Phase != v1.PodFailed {
		run.killAll(now)
		if err := s.writeStatus(ctx, pod, buildStatus(pod, run, now, true)); err != nil {
			return err
		}
	}
	zero := int64(0)
	err := s.client.CoreV1().Pods(pod.Namespace).Delete(ctx, pod.Name, metav1.DeleteOptions{
		GracePeriodSeconds: &zero, Preconditions: &metav1.Preconditions{UID: &pod.UID},
	})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// nextWake is the time until the next run starts or ends.
func nextWake(run *podRun, now time.Time) time.Duration {
	var next time.Time
	for _, rs := range run.runs {
		cur := rs[len(rs)-1]
		for _, t := range []time.Time{cur.started, cur.finish()} {
			if t.After(now) && (next.IsZero() || t.Before(next)) {
				next = t
			}
		}
	}
	if next.IsZero() {
		return 0
	}
	return next.Sub(now) + 5*time.Millisecond
}
