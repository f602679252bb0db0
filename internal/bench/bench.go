// Package bench measures the provider at scale: it applies and plans a baseline plus N onboarded
// users with the real Terraform CLI against an emulator, counting the AWS requests that reach the
// emulator (through a zero-fault faultproxy.Proxy), timing each command and watching the provider
// process's peak RSS. `make bench` runs it through scripts/bench.sh; tools/benchplot turns its JSON
// lines into BENCHMARKS.md and a PNG. Not a test: nothing here runs in `go test` but its own units.
package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Result is one JSON line of the results file: one N on one fresh emulator.
type Result struct {
	N         int       `json:"n"`
	Resources bool      `json:"resources"` // false for a -smoke run (provider only, no resources)
	StartedAt time.Time `json:"started_at"`
	Machine   Machine   `json:"machine"`
	Apply     Phase     `json:"apply"`
	Plan      Phase     `json:"plan"`
}

// Phase is what one Terraform command cost.
type Phase struct {
	Command string  `json:"command"`
	Seconds float64 `json:"seconds"`
	// Requests that reached the emulator, by action, counted by the proxy (STS included).
	Requests         int            `json:"requests"`
	RequestsByAction map[string]int `json:"requests_by_action"`
	// ProviderRequests is what the provider processes themselves counted (IAMBASELINE_CALLS_FILE),
	// retries included; 0 when no resource reported (logCalls not called).
	ProviderRequests int `json:"provider_requests"`
	// PeakRSSKB is the largest VmHWM of any provider process of this command.
	PeakRSSKB int `json:"peak_rss_kb"`
	ExitCode  int `json:"exit_code"`
	// EmptyPlan is set for a plan: true when `plan -detailed-exitcode` exited 0 (no changes).
	EmptyPlan bool `json:"empty_plan,omitempty"`
}

// PerUser divides a count by N (0 when N is 0).
func PerUser(count, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(count) / float64(n)
}

// Machine describes where the figures were measured.
type Machine struct {
	CPUs      int    `json:"cpus"`
	MemoryMB  int    `json:"memory_mb"`
	Kernel    string `json:"kernel,omitempty"`
	GoVersion string `json:"go_version"`
	Terraform string `json:"terraform"`
}

// MemoryMB reads MemTotal from /proc/meminfo (0 where there is none).
func MemoryMB() int {
	kb := procField("/proc/meminfo", "MemTotal:")
	return kb / 1024
}

// procField reads a "Name:   1234 kB" line of a /proc file and returns the number.
func procField(path, name string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), name); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	return 0
}

// Config renders the benchmark's Terraform configuration: the provider pointed at endpoint, a
// baseline, and n onboarded users each in two of its groups with console access and the password in
// state. With resources false it renders the provider alone (a smoke test of the harness).
func Config(endpoint string, n int, resources bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}

provider "iambaseline" {
  endpoints {
    iam = %q
    sts = %q
  }
}
`, endpoint, endpoint)
	if !resources {
		return b.String()
	}
	fmt.Fprintf(&b, `
resource "iambaseline_startup_group_baseline" "this" {
  name_prefix = "bench-"
}

resource "iambaseline_onboarded_user" "user" {
  count = %d

  user_name = format("bench-user-%%04d", count.index)
  full_name = format("Bench User %%d", count.index)
  email     = format("bench-user-%%04d@example.com", count.index)
  groups = [
    iambaseline_startup_group_baseline.this.group_names["Developers"],
    iambaseline_startup_group_baseline.this.group_names["ReadOnly"],
  ]
  console_access          = true
  store_password_in_state = true
}
`, n)
	return b.String()
}

// CLIConfig renders a Terraform CLI configuration that takes the provider from providerDir
// (dev_overrides: no `terraform init`, no registry).
func CLIConfig(providerDir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "iambaseline/iambaseline" = %q
  }
  direct {}
}
`, providerDir)
}

// callsLine is the part of a IAMBASELINE_CALLS_FILE line the benchmark reads.
type callsLine struct {
	PID     int `json:"pid"`
	Total   int `json:"total"`
	VMHWMKB int `json:"vm_hwm_kb"`
}

// ReadCallsFile sums the calls-file lines written at or after offset (one phase): per provider
// process the largest cumulative total, summed over processes, and the largest peak RSS.
func ReadCallsFile(path string, offset int64) (requests, peakRSSKB int, err error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	if _, err := f.Seek(offset, 0); err != nil {
		return 0, 0, err
	}
	perPID := map[int]int{}
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		var l callsLine
		if err := json.Unmarshal(s.Bytes(), &l); err != nil {
			return 0, 0, fmt.Errorf("%s: bad line %q: %w", path, s.Text(), err)
		}
		perPID[l.PID] = max(perPID[l.PID], l.Total)
		peakRSSKB = max(peakRSSKB, l.VMHWMKB)
	}
	for _, v := range perPID {
		requests += v
	}
	return requests, peakRSSKB, s.Err()
}

// FileSize is the size of path, 0 when it does not exist.
func FileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// RSSWatcher polls /proc for the provider processes of one benchmark (recognised by the calls-file
// variable in their environment, so other people's providers on the same machine are ignored) and
// keeps the largest VmHWM it saw.
type RSSWatcher struct {
	marker string // "IAMBASELINE_CALLS_FILE=<path>"
	stop   chan struct{}
	done   chan struct{}

	mu   sync.Mutex
	peak int
	seen map[int]bool // pid => is ours
}

// WatchRSS starts polling every interval until Stop.
func WatchRSS(envMarker string, interval time.Duration) *RSSWatcher {
	w := &RSSWatcher{marker: envMarker, stop: make(chan struct{}), done: make(chan struct{}), seen: map[int]bool{}}
	go func() {
		defer close(w.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			w.poll()
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// Stop ends polling and returns the peak VmHWM (kB) seen.
func (w *RSSWatcher) Stop() int {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak
}

func (w *RSSWatcher) poll() {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		ours, known := w.seen[pid]
		if !known {
			comm, err := os.ReadFile(filepath.Join(d, "comm"))
			if err != nil {
				continue
			}
			// comm is cut at 15 characters: "terraform-provi".
			if !strings.HasPrefix("terraform-provider-iambaseline", strings.TrimSpace(string(comm))) || len(strings.TrimSpace(string(comm))) < 10 {
				w.seen[pid] = false
				continue
			}
			env, err := os.ReadFile(filepath.Join(d, "environ"))
			if err != nil {
				continue
			}
			ours = false
			for _, kv := range strings.Split(string(env), "\x00") {
				if kv == w.marker {
					ours = true
					break
				}
			}
			w.seen[pid] = ours
		}
		if !ours {
			continue
		}
		if kb := procField(filepath.Join(d, "status"), "VmHWM:"); kb > 0 {
			w.mu.Lock()
			w.peak = max(w.peak, kb)
			w.mu.Unlock()
		}
	}
}
