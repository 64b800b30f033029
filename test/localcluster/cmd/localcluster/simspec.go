package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// behaviour is what one simulated container does, read from its (resolved) env vars. The
// vocabulary is documented in test/localcluster/README.md.
type behaviour struct {
	exitCode     int32
	reason       string // SIM_REASON overrides Completed/Error, e.g. OOMKilled
	duration     time.Duration
	lines        []string
	interval     time.Duration
	message      string
	failAttempts int
	cutAfter     int // SIM_LOG_CUT_AFTER: the log server ends each follow stream after this many lines
}

const (
	defaultDuration    = 300 * time.Millisecond
	defaultLogInterval = 100 * time.Millisecond
)

// specFlag reads a SIM_* switch from the container spec without resolving valueFrom: image pulls
// and scheduling happen before a real kubelet resolves env, so these must not need the API.
func specFlag(c *v1.Container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name && e.ValueFrom == nil && e.Value != "" && e.Value != "false" && e.Value != "0" {
			return e.Value, true
		}
	}
	return "", false
}

// flagMessage turns a SIM_* switch value into a message: "1"/"true" mean "use the default".
func flagMessage(value, def string) string {
	if value == "1" || value == "true" {
		return def
	}
	return value
}

func parseBehaviour(env []v1.EnvVar) (behaviour, error) {
	b := behaviour{duration: defaultDuration, interval: defaultLogInterval}
	vals := map[string]string{}
	for _, e := range env {
		vals[e.Name] = e.Value
	}
	var err error
	if v, ok := vals["SIM_EXIT_CODE"]; ok {
		n, perr := strconv.ParseInt(v, 10, 32)
		if perr != nil {
			return b, fmt.Errorf("SIM_EXIT_CODE=%q: not an integer", v)
		}
		b.exitCode = int32(n)
	}
	if v, ok := vals["SIM_DURATION"]; ok {
		if b.duration, err = time.ParseDuration(v); err != nil {
			return b, fmt.Errorf("SIM_DURATION=%q: %w", v, err)
		}
	}
	if v, ok := vals["SIM_LOG_INTERVAL"]; ok {
		if b.interval, err = time.ParseDuration(v); err != nil {
			return b, fmt.Errorf("SIM_LOG_INTERVAL=%q: %w", v, err)
		}
	}
	if v, ok := vals["SIM_FAIL_ATTEMPTS"]; ok {
		if b.failAttempts, err = strconv.Atoi(v); err != nil {
			return b, fmt.Errorf("SIM_FAIL_ATTEMPTS=%q: not an integer", v)
		}
	}
	if v, ok := vals["SIM_LOG_CUT_AFTER"]; ok {
		if b.cutAfter, err = strconv.Atoi(v); err != nil {
			return b, fmt.Errorf("SIM_LOG_CUT_AFTER=%q: not an integer", v)
		}
	}
	b.reason = vals["SIM_REASON"]
	b.message = vals["SIM_TERMINATION_MESSAGE"]
	if v, ok := vals["SIM_LOG_LINES"]; ok {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 0 {
			return b, fmt.Errorf("SIM_LOG_LINES=%q: not a count", v)
		}
		b.lines = make([]string, n)
		for i := range b.lines {
			b.lines[i] = "line " + strconv.Itoa(i+1)
		}
		if _, ok := vals["SIM_LOG_INTERVAL"]; !ok {
			b.interval = 0 // as fast as it can: every line at once
		}
	} else if v, ok := vals["SIM_LOG"]; ok {
		b.lines = splitLines(v)
	} else {
		b.lines = envLines(env)
		if _, ok := vals["SIM_LOG_INTERVAL"]; !ok {
			b.interval = 0 // the default env dump is printed at once, so the pod still exits quickly
		}
	}
	return b, nil
}

// splitLines splits SIM_LOG on real newlines, or on "|" when it has none (handy in YAML one-liners).
func splitLines(v string) []string {
	sep := "|"
	if strings.Contains(v, "\n") {
		sep = "\n"
	}
	return strings.Split(strings.TrimSuffix(v, sep), sep)
}

// envLines is the default log: the container's resolved environment as sorted NAME=value lines,
// so an env overlay applied by the action is visible in the pod log.
func envLines(env []v1.EnvVar) []string {
	last := map[string]string{}
	for _, e := range env {
		last[e.Name] = e.Value // later entries win, as in the kubelet
	}
	lines := make([]string, 0, len(last))
	for k, v := range last {
		lines = append(lines, k+"="+v)
	}
	sort.Strings(lines)
	return lines
}

// resolveEnv resolves envFrom and valueFrom like the kubelet's makeEnvironmentVariables
// (pkg/kubelet/kubelet_pods.go) for the sources a Job template realistically uses. An error is
// reported by the caller as CreateContainerConfigError, with the kubelet's wording.
func resolveEnv(ctx context.Context, client kubernetes.Interface, pod *v1.Pod, c *v1.Container) ([]v1.EnvVar, error) {
	var out []v1.EnvVar
	for _, from := range c.EnvFrom {
		data, err := envSource(ctx, client, pod.Namespace, from)
		if err != nil {
			return nil, err
		}
		keys := make([]string, 0, len(data))
		for k := range data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, v1.EnvVar{Name: from.Prefix + k, Value: data[k]})
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			out = append(out, v1.EnvVar{Name: e.Name, Value: e.Value})
			continue
		}
		v, err := valueFrom(ctx, client, pod, e.ValueFrom)
		if err != nil {
			return nil, err
		}
		out = append(out, v1.EnvVar{Name: e.Name, Value: v})
	}
	return out, nil
}

func envSource(ctx context.Context, client kubernetes.Interface, ns string, from v1.EnvFromSource) (map[string]string, error) {
	switch {
	case from.ConfigMapRef != nil:
		cm, err := client.CoreV1().ConfigMaps(ns).Get(ctx, from.ConfigMapRef.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) && from.ConfigMapRef.Optional != nil && *from.ConfigMapRef.Optional {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return cm.Data, nil
	case from.SecretRef != nil:
		s, err := client.CoreV1().Secrets(ns).Get(ctx, from.SecretRef.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) && from.SecretRef.Optional != nil && *from.SecretRef.Optional {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		data := map[string]string{}
		for k, v := range s.Data {
			data[k] = string(v)
		}
		return data, nil
	}
	return nil, nil
}

func valueFrom(ctx context.Context, client kubernetes.Interface, pod *v1.Pod, src *v1.EnvVarSource) (string, error) {
	switch {
	case src.ConfigMapKeyRef != nil:
		ref := src.ConfigMapKeyRef
		cm, err := client.CoreV1().ConfigMaps(pod.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err != nil {
			if apierrors.IsNotFound(err) && ref.Optional != nil && *ref.Optional {
				return "", nil
			}
			return "", err
		}
		v, ok := cm.Data[ref.Key]
		if !ok && (ref.Optional == nil || !*ref.Optional) {
			return "", fmt.Errorf("couldn't find key %s in ConfigMap %s/%s", ref.Key, pod.Namespace, ref.Name)
		}
		return v, nil
	case src.SecretKeyRef != nil:
		ref := src.SecretKeyRef
		s, err := client.CoreV1().Secrets(pod.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err != nil {
			if apierrors.IsNotFound(err) && ref.Optional != nil && *ref.Optional {
				return "", nil
			}
			return "", err
		}
		v, ok := s.Data[ref.Key]
		if !ok && (ref.Optional == nil || !*ref.Optional) {
			return "", fmt.Errorf("couldn't find key %s in Secret %s/%s", ref.Key, pod.Namespace, ref.Name)
		}
		return string(v), nil
	case src.FieldRef != nil:
		return fieldValue(pod, src.FieldRef.FieldPath), nil
	}
	return "", nil // resourceFieldRef and fileKeyRef: not simulated
}

func fieldValue(pod *v1.Pod, path string) string {
	switch path {
	case "metadata.name":
		return pod.Name
	case "metadata.namespace":
		return pod.Namespace
	case "metadata.uid":
		return string(pod.UID)
	case "spec.nodeName":
		return pod.Spec.NodeName
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName
	case "status.hostIP", "status.podIP":
		return "127.0.0.1"
	}
	for prefix, m := range map[string]map[string]string{"metadata.labels": pod.Labels, "metadata.annotations": pod.Annotations} {
		if strings.HasPrefix(path, prefix+"['") && strings.HasSuffix(path, "']") {
			return m[strings.TrimSuffix(strings.TrimPrefix(path, prefix+"['"), "']")]
		}
	}
	return ""
}
