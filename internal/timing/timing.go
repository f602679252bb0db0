// Package timing measures how long a process was busy with something that may run concurrently:
// the wall time during which at least one provider RPC (or one AWS request) was in flight. The
// benchmark (internal/bench) reads these figures from the calls file to tell the provider's share
// of a Terraform command's wall time from Terraform's own and the emulator's.
package timing

import (
	"sync"
	"time"
)

// Union accumulates the length of the union of possibly overlapping intervals: two RPCs that run
// side by side for one second count one second, not two.
type Union struct {
	mu     sync.Mutex
	active int
	since  time.Time
	total  time.Duration
	now    func() time.Time // tests
}

// Start opens an interval; call the returned function to close it.
func (u *Union) Start() (end func()) {
	u.mu.Lock()
	if u.active == 0 {
		u.since = u.clock()
	}
	u.active++
	u.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			u.mu.Lock()
			u.active--
			if u.active == 0 {
				u.total += u.clock().Sub(u.since)
			}
			u.mu.Unlock()
		})
	}
}

// Total is the busy time so far, the interval still open included.
func (u *Union) Total() time.Duration {
	u.mu.Lock()
	defer u.mu.Unlock()
	t := u.total
	if u.active > 0 {
		t += u.clock().Sub(u.since)
	}
	return t
}

func (u *Union) clock() time.Time {
	if u.now != nil {
		return u.now()
	}
	return time.Now()
}

// Process-wide measures, written to the calls file (internal/provider/calls_log.go).
var (
	// RPC is busy while the provider serves at least one Terraform RPC (internal/server).
	RPC Union
	// AWS is busy while at least one AWS request attempt of the process is in flight (internal/awsiam's
	// call counter middleware runs per attempt: retries count, the back-off waits between them do not).
	AWS Union
)
