package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"k8s.io/klog/v2"
)

// configureLogging keeps the embedded components quiet by default: the apiserver and controllers
// log hundreds of info lines at start-up, and a few expected errors (e.g. "Found stale data" from
// the endpoint lease controller), which drown the test runner's output. With v < 0 only fatal
// klog messages reach stderr (the simulator reports its own errors, see simLogError); klog's output is redirected to io.Discard so it never falls back to writing
// log files under os.TempDir (klog's behaviour when logtostderr=false and no writer is set).
var quiet bool

func configureLogging(v int) {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	if v >= 0 {
		_ = fs.Set("v", strconv.Itoa(v))
		return // logtostderr=true: everything to stderr
	}
	quiet = true
	_ = fs.Set("logtostderr", "false")
	_ = fs.Set("alsologtostderr", "false")
	_ = fs.Set("stderrthreshold", "FATAL")
	klog.SetOutput(io.Discard)
}

// simLogError reports a simulator error on stderr even in quiet mode: these are the errors a test
// author needs to see (e.g. a pod status the API server rejected).
func simLogError(err error, msg string, kv ...any) {
	klog.ErrorS(err, msg, kv...)
	if quiet {
		fmt.Fprintln(os.Stderr, append([]any{"localcluster:", msg + ":", err}, kv...)...)
	}
}
