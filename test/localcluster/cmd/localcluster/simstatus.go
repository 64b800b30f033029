package main

import (
	"fmt"
	"strings"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// buildStatus derives the pod status a kubelet would report from the simulated runs. Times are
// truncated to seconds (the wire precision), so a rebuilt status compares equal to the stored one
// and unchanged pods cost no API call. Mirrors the shape of kubelet's generateAPIPodStatus
// (pkg/kubelet/kubelet_pods.go); deleting=true reports the pod terminal, as the kubelet does once
// it has killed the containers of a deleted pod.
func buildStatus(pod *v1.Pod, run *podRun, now time.Time, deleting bool) v1.PodStatus {
	st := pod.Status.DeepCopy()
	st.HostIP, st.HostIPs = "127.0.0.1", []v1.HostIP{{IP: "127.0.0.1"}}
	if run.started.IsZero() {
		return pendingStatus(pod, run, st, deleting)
	}
	st.PodIP, st.PodIPs = run.podIP, []v1.PodIP{{IP: run.podIP}}
	st.StartTime = ptrTime(run.started)
	st.InitContainerStatuses = nil
	initDone, initFailed := true, false
	for _, c := range pod.Spec.InitContainers {
		cs, done, code := plannedStatus(c, run.runs[c.Name], now, deleting)
		st.InitContainerStatuses = append(st.InitContainerStatuses, cs)
		if isSidecar(&c) {
			// Started is all a sidecar owes the pod's initialization; its exit never fails it.
			initDone = initDone && len(run.runs[c.Name]) > 0 && !run.runs[c.Name][0].started.After(now)
			continue
		}
		initDone = initDone && done && code == 0
		initFailed = initFailed || (done && code != 0)
	}
	st.ContainerStatuses = nil
	allDone, allOK, allReady := true, true, true
	var notReady []string
	for _, c := range pod.Spec.Containers {
		cs, done, code := plannedStatus(c, run.runs[c.Name], now, deleting)
		st.ContainerStatuses = append(st.ContainerStatuses, cs)
		allDone = allDone && done
		allOK = allOK && done && code == 0
		if !cs.Ready {
			allReady = false
			notReady = append(notReady, c.Name)
		}
	}
	if !initDone {
		return initializingStatus(pod, run, st, initFailed || deleting)
	}
	started := ptrTime(run.started).Time
	switch {
	case allDone && allOK:
		st.Phase = v1.PodSucceeded
	case allDone:
		st.Phase = v1.PodFailed
	default:
		st.Phase = v1.PodRunning
	}
	terminal := st.Phase != v1.PodRunning
	setCondition(st, cond(v1.PodReadyToStartContainers, !terminal, "", "", started))
	setCondition(st, cond(v1.PodInitialized, true, "", "", started))
	reason, msg := "", ""
	if terminal {
		reason = "PodCompleted"
	} else if !allReady {
		reason, msg = "ContainersNotReady", fmt.Sprintf("containers with unready status: [%s]", strings.Join(notReady, " "))
	}
	setCondition(st, cond(v1.ContainersReady, allReady && !terminal, reason, msg, started))
	setCondition(st, cond(v1.PodReady, allReady && !terminal, reason, msg, started))
	return *st
}

func pendingStatus(pod *v1.Pod, run *podRun, st *v1.PodStatus, deleting bool) v1.PodStatus {
	st.Phase = v1.PodPending
	if deleting {
		st.Phase = v1.PodFailed // a kubelet reports a deleted pod that never ran as Failed
	}
	st.InitContainerStatuses = nil
	var initNames []string
	for _, c := range pod.Spec.InitContainers {
		w, ok := run.waiting[c.Name]
		if !ok {
			w = waitingState{reason: "PodInitializing"}
		}
		st.InitContainerStatuses = append(st.InitContainerStatuses, v1.ContainerStatus{
			Name: c.Name, Image: c.Image, Started: ptrBool(false),
			State: v1.ContainerState{Waiting: &v1.ContainerStateWaiting{Reason: w.reason, Message: w.message}},
		})
		initNames = append(initNames, c.Name)
	}
	st.ContainerStatuses = nil
	var names []string
	for _, c := range pod.Spec.Containers {
		w, ok := run.waiting[c.Name]
		if !ok && len(initNames) > 0 {
			w = waitingState{reason: "PodInitializing"}
		} else if !ok {
			w = waitingState{reason: "ContainerCreating"}
		}
		st.ContainerStatuses = append(st.ContainerStatuses, v1.ContainerStatus{
			Name: c.Name, Image: c.Image, Started: ptrBool(false),
			State: v1.ContainerState{Waiting: &v1.ContainerStateWaiting{Reason: w.reason, Message: w.message}},
		})
		names = append(names, c.Name)
	}
	at := pod.CreationTimestamp.Time
	msg := fmt.Sprintf("containers with unready status: [%s]", strings.Join(names, " "))
	setCondition(st, cond(v1.PodReadyToStartContainers, true, "", "", at))
	if len(initNames) > 0 {
		initMsg := fmt.Sprintf("containers with incomplete status: [%s]", strings.Join(initNames, " "))
		setCondition(st, cond(v1.PodInitialized, false, "ContainersNotInitialized", initMsg, at))
	} else {
		setCondition(st, cond(v1.PodInitialized, true, "", "", at))
	}
	setCondition(st, cond(v1.ContainersReady, false, "ContainersNotReady", msg, at))
	setCondition(st, cond(v1.PodReady, false, "ContainersNotReady", msg, at))
	return *st
}

// plannedStatus is containerStatus for a container that may not have started yet: an app
// container behind init containers, or one after a failed init container, waits in
// PodInitializing, as a kubelet reports it.
func plannedStatus(c v1.Container, runs []*containerRun, now time.Time, deleting bool) (v1.ContainerStatus, bool, int32) {
	if len(runs) == 0 || runs[0].started.After(now) {
		return v1.ContainerStatus{Name: c.Name, Image: c.Image, Started: ptrBool(false),
			State: v1.ContainerState{Waiting: &v1.ContainerStateWaiting{Reason: "PodInitializing"}}}, false, 0
	}
	return containerStatus(c, runs, now, deleting)
}

// initializingStatus is a started pod whose init containers have not all succeeded: Pending while
// they run, Failed once one has failed (restartPolicy Never) or the pod is being deleted.
func initializingStatus(pod *v1.Pod, run *podRun, st *v1.PodStatus, failed bool) v1.PodStatus {
	st.Phase = v1.PodPending
	if failed {
		st.Phase = v1.PodFailed
	}
	var pending []string
	for _, cs := range st.InitContainerStatuses {
		if cs.State.Terminated == nil || cs.State.Terminated.ExitCode != 0 {
			pending = append(pending, cs.Name)
		}
	}
	names := make([]string, 0, len(pod.Spec.Containers))
	for _, c := range pod.Spec.Containers {
		names = append(names, c.Name)
	}
	at := ptrTime(run.started).Time
	initMsg := fmt.Sprintf("containers with incomplete status: [%s]", strings.Join(pending, " "))
	msg := fmt.Sprintf("containers with unready status: [%s]", strings.Join(names, " "))
	setCondition(st, cond(v1.PodReadyToStartContainers, !failed, "", "", at))
	setCondition(st, cond(v1.PodInitialized, false, "ContainersNotInitialized", initMsg, at))
	setCondition(st, cond(v1.ContainersReady, false, "ContainersNotReady", msg, at))
	setCondition(st, cond(v1.PodReady, false, "ContainersNotReady", msg, at))
	return *st
}

// containerStatus reports the current run (running, terminated, or waiting to restart) with the
// previous run as lastState. It returns whether the container is finished for good and its code.
func containerStatus(c v1.Container, runs []*containerRun, now time.Time, deleting bool) (v1.ContainerStatus, bool, int32) {
	cs := v1.ContainerStatus{Name: c.Name, Image: c.Image, ImageID: imageID(c.Image)}
	for len(runs) > 1 && runs[len(runs)-1].started.After(now) && !deleting {
		// The next run is scheduled (restart back-off): report the last one as terminated, waiting.
		prev := runs[len(runs)-2]
		cs.RestartCount = int32(len(runs) - 2)
		cs.LastTerminationState = v1.ContainerState{Terminated: terminated(c, prev)}
		cs.State = v1.ContainerState{Waiting: &v1.ContainerStateWaiting{Reason: "CrashLoopBackOff",
			Message: fmt.Sprintf("back-off %s restarting failed container=%s", restartDelay, c.Name)}}
		cs.Started = ptrBool(false)
		return cs, false, 0
	}
	if deleting && len(runs) > 1 && runs[len(runs)-1].started.After(now) {
		runs = runs[:len(runs)-1]
	}
	cur := runs[len(runs)-1]
	cs.RestartCount = int32(len(runs) - 1)
	cs.ContainerID = cur.id
	if len(runs) > 1 {
		cs.LastTerminationState = v1.ContainerState{Terminated: terminated(c, runs[len(runs)-2])}
	}
	if !cur.done(now) {
		cs.State = v1.ContainerState{Running: &v1.ContainerStateRunning{StartedAt: *ptrTime(cur.started)}}
		cs.Ready, cs.Started = true, ptrBool(true)
		return cs, false, 0
	}
	t := terminated(c, cur)
	cs.State = v1.ContainerState{Terminated: t}
	cs.Started = ptrBool(false)
	return cs, true, t.ExitCode
}

func terminated(c v1.Container, r *containerRun) *v1.ContainerStateTerminated {
	code, reason := r.result()
	msg := r.message
	if msg == "" && code != 0 && c.TerminationMessagePolicy == v1.TerminationMessageFallbackToLogsOnError {
		msg = r.tail()
	}
	return &v1.ContainerStateTerminated{
		ExitCode: code, Reason: reason, Message: msg, ContainerID: r.id,
		StartedAt: *ptrTime(r.started), FinishedAt: *ptrTime(r.finish()),
	}
}

func imageID(image string) string {
	if !strings.Contains(image, "/") {
		image = "docker.io/library/" + image
	}
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image = image[:i] // drop the tag, keep a registry port
	}
	return strings.SplitN(image, "@", 2)[0] + "@sha256:" + strings.Repeat("0", 64)
}

func cond(t v1.PodConditionType, ok bool, reason, msg string, at time.Time) v1.PodCondition {
	s := v1.ConditionFalse
	if ok {
		s = v1.ConditionTrue
	}
	return v1.PodCondition{Type: t, Status: s, Reason: reason, Message: msg, LastTransitionTime: *ptrTime(at)}
}

// setCondition replaces a condition of the same type, keeping its transition time when the
// status did not change (as the kubelet's status manager does).
func setCondition(st *v1.PodStatus, c v1.PodCondition) {
	for i := range st.Conditions {
		if st.Conditions[i].Type == c.Type {
			if st.Conditions[i].Status == c.Status {
				c.LastTransitionTime = st.Conditions[i].LastTransitionTime
			}
			st.Conditions[i] = c
			return
		}
	}
	st.Conditions = append(st.Conditions, c)
}

func ptrTime(t time.Time) *metav1.Time {
	mt := metav1.NewTime(t.Truncate(time.Second))
	return &mt
}

func ptrBool(b bool) *bool { return &b }
