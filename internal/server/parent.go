package server

import (
	"os"
	"time"
)

// Terraform starts the provider as its child and stops it over gRPC when it is done. When Terraform
// itself dies (SIGKILL, an OOM kill, a crashed CI runner) nobody tells the provider: go-plugin's
// server keeps listening, and a request in flight keeps retrying against AWS for as long as its
// backoff allows. The provider therefore watches its parent: when the process that started it is
// gone (the kernel re-parents an orphan to init or to a subreaper, so os.Getppid changes), it stops.
// Polling is portable and costs one getppid system call per interval; PR_SET_PDEATHSIG would need
// golang.org/x/sys as a direct dependency and fires when the parent's creating thread exits, not the
// parent process.

// parentPollInterval is how often the provider looks at its parent: the upper bound of how long it
// outlives Terraform.
const parentPollInterval = 250 * time.Millisecond

// watchParent calls gone once, from its own goroutine, when the process's parent is no longer the
// one it had when watchParent was called. It does nothing when the parent is already init (pid 1),
// the one parent that can never be told apart from a re-parenting. stop ends the watch.
func watchParent(interval time.Duration, gone func()) (stop func()) {
	parent := os.Getppid()
	done := make(chan struct{})
	if parent <= 1 {
		return func() {}
	}
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if os.Getppid() != parent {
					gone()
					return
				}
			}
		}
	}()
	var stopped bool
	return func() {
		if !stopped {
			stopped = true
			close(done)
		}
	}
}
