package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// bin/kueue-manifests is a copy of the module's config/components/{crd,webhook} (made by
// scripts/localcluster.mjs), so the CRDs and webhooks are exactly the release's.
var (
	crdGVR               = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	mutatingWebhookGVR   = schema.GroupVersionResource{Group: "admissionregistration.k8s.io", Version: "v1", Resource: "mutatingwebhookconfigurations"}
	validatingWebhookGVR = schema.GroupVersionResource{Group: "admissionregistration.k8s.io", Version: "v1", Resource: "validatingwebhookconfigurations"}
	// config/components/crd/kustomization.yaml enables the conversion webhook per CRD with these lines.
	conversionPatch = regexp.MustCompile(`(?m)^- path: patches/webhook_in_(\w+)\.yaml`)
)

// installKueueCRDs creates config/components/crd/bases/*.yaml with the conversion webhooks
// crd/kustomization.yaml patches in (served by the manager at /convert), and waits until each
// is Established.
func installKueueCRDs(ctx context.Context, cfg *rest.Config, manifests, webhookURL string, caBundle []byte) error {
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	kustomization, err := os.ReadFile(filepath.Join(manifests, "crd", "kustomization.yaml"))
	if err != nil {
		return err
	}
	converted := map[string]bool{}
	for _, m := range conversionPatch.FindAllStringSubmatch(string(kustomization), -1) {
		converted[m[1]+".kueue.x-k8s.io"] = true
	}
	files, err := filepath.Glob(filepath.Join(manifests, "crd", "bases", "*.yaml"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no CRDs in %s/crd/bases (%v)", manifests, err)
	}
	var names []string
	for _, file := range files {
		objs, err := readObjects(file)
		if err != nil {
			return err
		}
		for _, crd := range objs {
			if converted[crd.GetName()] {
				conversion := map[string]any{
					"strategy": "Webhook",
					"webhook": map[string]any{
						"clientConfig":             map[string]any{"url": webhookURL + "/convert", "caBundle": base64.StdEncoding.EncodeToString(caBundle)},
						"conversionReviewVersions": []any{"v1"},
					},
				}
				if err := unstructured.SetNestedField(crd.Object, conversion, "spec", "conversion"); err != nil {
					return err
				}
			}
			if _, err := dyn.Resource(crdGVR).Create(ctx, crd, metav1.CreateOptions{}); err != nil {
				return fmt.Errorf("create %s: %w", crd.GetName(), err)
			}
			names = append(names, crd.GetName())
		}
	}
	return wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		for _, name := range names {
			crd, err := dyn.Resource(crdGVR).Get(ctx, name, metav1.GetOptions{})
			if err != nil || !established(crd) {
				return false, nil
			}
		}
		return true, nil
	})
}

func established(crd *unstructured.Unstructured) bool {
	conditions, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conditions {
		m, _ := c.(map[string]any)
		if m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}

// servedGroups are the API groups whose webhooks are registered: Kueue's own kinds and the one
// integration enabled (batch/job). A release's manifests.yaml also lists Pod, Deployment,
// JobSet... webhooks; for disabled integrations Kueue serves no-ops there, so leaving them out
// only spares every Pod create a call.
var servedGroups = []string{"batch", "kueue.x-k8s.io"}

// registerKueueWebhooks creates config/components/webhook/manifests.yaml's two configurations
// with each service reference replaced by the URL on 127.0.0.1 and our caBundle, as the
// kustomize overlay and cert injection would leave them in a cluster.
func registerKueueWebhooks(ctx context.Context, cfg *rest.Config, manifests, webhookURL string, caBundle []byte) error {
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	objs, err := readObjects(filepath.Join(manifests, "webhook", "manifests.yaml"))
	if err != nil {
		return err
	}
	for _, obj := range objs {
		gvr := mutatingWebhookGVR
		if obj.GetKind() == "ValidatingWebhookConfiguration" {
			gvr = validatingWebhookGVR
		}
		hooks, _, _ := unstructured.NestedSlice(obj.Object, "webhooks")
		var kept []any
		for _, h := range hooks {
			hook, _ := h.(map[string]any)
			if !servesGroup(hook) {
				continue
			}
			path, _, _ := unstructured.NestedString(hook, "clientConfig", "service", "path")
			if path == "" {
				return fmt.Errorf("webhook %v has no clientConfig.service.path", hook["name"])
			}
			hook["clientConfig"] = map[string]any{"url": webhookURL + path, "caBundle": base64.StdEncoding.EncodeToString(caBundle)}
			kept = append(kept, hook)
		}
		if len(kept) == 0 {
			return fmt.Errorf("%s %s: no webhook for %v", obj.GetKind(), obj.GetName(), servedGroups)
		}
		obj.SetName("kueue-" + obj.GetName()) // the name config/default's namePrefix gives it
		if err := unstructured.SetNestedSlice(obj.Object, kept, "webhooks"); err != nil {
			return err
		}
		if _, err := dyn.Resource(gvr).Create(ctx, obj, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("create %s: %w", obj.GetName(), err)
		}
	}
	return nil
}

func servesGroup(hook map[string]any) bool {
	rules, _, _ := unstructured.NestedSlice(hook, "rules")
	for _, r := range rules {
		groups, _, _ := unstructured.NestedStringSlice(r.(map[string]any), "apiGroups")
		for _, g := range groups {
			if slices.Contains(servedGroups, g) {
				return true
			}
		}
	}
	return false
}

// readObjects decodes a multi-document YAML file, skipping empty documents.
func readObjects(file string) ([]*unstructured.Unstructured, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var out []*unstructured.Unstructured
	for {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if len(obj) > 0 {
			out = append(out, &unstructured.Unstructured{Object: obj})
		}
	}
}

// probeJob is a Job in a LocalQueue that need not exist: Kueue's webhook suspends it all the same.
func probeJob() *batchv1.Job {
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "kueue-probe", Labels: map[string]string{"kueue.x-k8s.io/queue-name": "localcluster-probe"}},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers:    []corev1.Container{{Name: "probe", Image: "probe"}},
		}}},
	}
}
