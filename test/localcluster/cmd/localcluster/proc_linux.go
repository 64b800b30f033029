package main

import "syscall"

// childProcAttr makes the kernel send SIGTERM to a child (Kueue) when localcluster dies, even by
// SIGKILL, so no manager is left running against a dead API server.
func childProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} }
