package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	coreinformers "k8s.io/client-go/informers/core/v1"
	"k8s.io/client-go/kubernetes"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
)

const simNodeName = "sim-node"

// simulator stands in for a scheduler and a kubelet on one Node. It is a level-triggered
// controller like the ones it sits next to: every pod event or timer re-derives the pod's status
// from the in-memory runs (runs.go) and writes it only when it changed. Pods get status through
// the pods/status subresource, as test/integration/job/job_test.go does, but they are also bound to
// a Node so that pods/log is proxied to kubeletServer.
type simulator struct {
	client   kubernetes.Interface
	pods     corelisters.PodLister
	synced   cache.InformerSynced
	queue    workqueue.TypedRateLimitingInterface[string]
	mu       sync.Mutex
	byKey    map[string]*podRun // namespace/name -> current pod incarnation
	attempts map[string]int     // SIM_FAIL_ATTEMPTS counters, by Job UID + completion index
	nextIP   int
}

func newSimulator(ctx context.Context, client kubernetes.Interface, pods coreinformers.PodInformer, kubelet *kubeletServer) (*simulator, error) {
	s := &simulator{
		client: client, pods: pods.Lister(), synced: pods.Informer().HasSynced,
		queue: workqueue.NewTypedRateLimitingQueueWithConfig(workqueue.DefaultTypedControllerRateLimiter[string](),
			workqueue.TypedRateLimitingQueueConfig[string]{Name: "pod-simulator"}),
		byKey: map[string]*podRun{}, attempts: map[string]int{},
	}
	kubelet.sim = s
	if err := ensureNode(ctx, client, kubelet.Port()); err != nil {
		return nil, fmt.Errorf("node %s: %w", simNodeName, err)
	}
	enqueue := func(obj any) {
		if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj); err == nil {
			s.queue.Add(key)
		}
	}
	_, err := pods.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: enqueue, UpdateFunc: func(_, obj any) { enqueue(obj) }, DeleteFunc: enqueue,
	})
	return s, err
}

func (s *simulator) Run(ctx context.Context, workers int) {
	defer s.queue.ShutDown()
	if !cache.WaitForCacheSync(ctx.Done(), s.synced) {
		return
	}
	for i := 0; i < workers; i++ {
		go wait.UntilWithContext(ctx, func(ctx context.Context) {
			for s.processNext(ctx) {
			}
		}, time.Second)
	}
	<-ctx.Done()
}

func (s *simulator) processNext(ctx context.Context) bool {
	key, quit := s.queue.Get()
	if quit {
		return false
	}
	defer s.queue.Done(key)
	requeue, err := s.sync(ctx, key)
	switch {
	case err != nil:
		if !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) && ctx.Err() == nil {
			simLogError(err, "pod simulator sync failed", "pod", key)
		}
		s.queue.AddRateLimited(key)
	default:
		s.queue.Forget(key)
		if requeue > 0 {
			s.queue.AddAfter(key, requeue)
		}
	}
	return true
}

// lookup returns the current incarnation of a pod, for the log server.
func (s *simulator) lookup(ns, name string) (*podRun, *v1.Pod) {
	pod, err := s.pods.Pods(ns).Get(name)
	if err != nil {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	run := s.byKey[ns+"/"+name]
	if run == nil || run.uid != pod.UID {
		return nil, pod
	}
	return run, pod
}

// runFor returns the pod's in-memory state, replacing it when a pod with the same name but a
// new UID appears (e.g. a CronJob-created Job re-using a name after deletion).
func (s *simulator) runFor(key string, uid types.UID) *podRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	run := s.byKey[key]
	if run == nil || run.uid != uid {
		if run != nil {
			run.killAll(time.Now())
		}
		run = newPodRun(uid)
		s.byKey[key] = run
	}
	return run
}

func (s *simulator) forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if run := s.byKey[key]; run != nil {
		run.killAll(time.Now())
		delete(s.byKey, key)
	}
}

// nextAttempt counts pod starts per Job UID + completion index for SIM_FAIL_ATTEMPTS; pods
// without a controlling Job count on their own UID.
func (s *simulator) nextAttempt(pod *v1.Pod) int {
	key := string(pod.UID)
	if ref := metav1.GetControllerOf(pod); ref != nil && ref.Kind == "Job" {
		key = string(ref.UID) + "/" + pod.Annotations["batch.kubernetes.io/job-completion-index"]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.attempts[key]
	s.attempts[key] = n + 1
	return n
}

func (s *simulator) allocateIP() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextIP++
	return fmt.Sprintf("10.244.%d.%d", (s.nextIP/250)%250, s.nextIP%250+2)
}

func (s *simulator) event(ctx context.Context, pod *v1.Pod, typ, reason, component, msg string) {
	now := metav1.Now()
	ev := &v1.Event{
		ObjectMeta: metav1.ObjectMeta{GenerateName: pod.Name + ".", Namespace: pod.Namespace},
		InvolvedObject: v1.ObjectReference{
			Kind: "Pod", APIVersion: "v1", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID,
			ResourceVersion: pod.ResourceVersion,
		},
		Reason: reason, Message: msg, Type: typ, Source: v1.EventSource{Component: component},
		FirstTimestamp: now, LastTimestamp: now, Count: 1, ReportingController: component,
	}
	if _, err := s.client.CoreV1().Events(pod.Namespace).Create(ctx, ev, metav1.CreateOptions{}); err != nil && ctx.Err() == nil {
		simLogError(err, "event create failed", "pod", klog.KObj(pod).String(), "reason", reason)
	}
}
