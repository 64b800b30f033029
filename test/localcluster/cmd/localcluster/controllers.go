package main

import (
	"context"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/metadata/metadatainformer"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/controller-manager/pkg/informerfactory"
	"k8s.io/kubernetes/pkg/controller/clusterroleaggregation"
	"k8s.io/kubernetes/pkg/controller/cronjob"
	"k8s.io/kubernetes/pkg/controller/garbagecollector"
	"k8s.io/kubernetes/pkg/controller/job"
	"k8s.io/kubernetes/pkg/controller/namespace"
	"k8s.io/kubernetes/pkg/controller/serviceaccount"
	"k8s.io/kubernetes/pkg/controller/ttlafterfinished"
)

// startControllers wires the real controllers directly, the way kube-controller-manager's start
// functions do (cmd/kube-controller-manager/app/{batch,core}.go and controllermanager.go
// CreateControllerContext at v1.34.4), without the KCM command, its flags, leader election or
// its global logging/feature-gate setup. All of them stop when ctx is cancelled.
func startControllers(ctx context.Context, cfg *rest.Config, backoff time.Duration, kubelet *kubeletServer) error {
	if backoff > 0 {
		// "Exported for tests" in pkg/controller/job/job_controller.go; read on every sync.
		job.DefaultJobPodFailureBackOff = backoff
		job.MaxJobPodFailureBackOff = 6 * backoff
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	gcCfg := rest.CopyConfig(cfg)
	gcCfg.QPS *= 2 // two API calls per deletion, as in startGarbageCollectorController
	md, err := metadata.NewForConfig(gcCfg)
	if err != nil {
		return err
	}
	f := informers.NewSharedInformerFactory(client, 0)
	mf := metadatainformer.NewSharedInformerFactory(md, 0)
	started := make(chan struct{})

	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(client.Discovery()))
	go wait.Until(mapper.Reset, 30*time.Second, ctx.Done())
	gc, err := garbagecollector.NewGarbageCollector(ctx, client, md, mapper,
		garbagecollector.DefaultIgnoredResources(), informerfactory.NewInformerFactory(f, mf), started)
	if err != nil {
		return err
	}
	jc, err := job.NewController(ctx, f.Core().V1().Pods(), f.Batch().V1().Jobs(), client)
	if err != nil {
		return err
	}
	cj, err := cronjob.NewControllerV2(ctx, f.Batch().V1().Jobs(), f.Batch().V1().CronJobs(), client)
	if err != nil {
		return err
	}
	ttl := ttlafterfinished.New(ctx, f.Batch().V1().Jobs(), client)
	ns := namespace.NewNamespaceController(ctx, client, md, client.Discovery().ServerPreferredNamespacedResources,
		f.Core().V1().Namespaces(), 5*time.Minute, v1.FinalizerKubernetes)
	sa, err := serviceaccount.NewServiceAccountsController(f.Core().V1().ServiceAccounts(),
		f.Core().V1().Namespaces(), client, serviceaccount.DefaultServiceAccountsControllerOptions())
	if err != nil {
		return err
	}
	agg := clusterroleaggregation.NewClusterRoleAggregation(f.Rbac().V1().ClusterRoles(), client.RbacV1())
	sim, err := newSimulator(ctx, client, f.Core().V1().Pods(), kubelet)
	if err != nil {
		return err
	}

	f.Start(ctx.Done())
	mf.Start(ctx.Done())
	close(started)
	f.WaitForCacheSync(ctx.Done())

	go jc.Run(ctx, 5)
	go cj.Run(ctx, 5)
	go ttl.Run(ctx, 5)
	go ns.Run(ctx, 5)
	go sa.Run(ctx, 1)
	go agg.Run(ctx, 1)
	go gc.Run(ctx, 5, 30*time.Second)
	// Sync re-discovers resources so the GC monitors CRDs and new API groups, as in KCM.
	go gc.Sync(ctx, client.Discovery(), 30*time.Second)
	go sim.Run(ctx, 4)
	return nil
}
