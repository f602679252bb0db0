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
	// TerraformPeakRSSKB is the largest VmHWM of the Terraform CLI process itself.
	TerraformPeakRSSKB int `json:"terraform_peak_rss_kb"`
	// CPU seconds (user + system) spent by the Terraform CLI, by the provider processes and by the
	// emulator during the command: on a small machine they compete for the same cores.
	TerraformCPUSeconds float64 `json:"terraform_cpu_seconds"`
	ProviderCPUSeconds  float64 `json:"provider_cpu_seconds"`
	EmulatorCPUSeconds  float64 `json:"emulator_cpu_seconds"`
	// RPCBusySeconds is the provider's own timing: wall time during which at least one Terraform RPC
	// was in the provider (summed over its processes); AWSBusySeconds the part of wall time during
	// which at least one AWS request was in flight (internal/timing).
	RPCBusySeconds float64 `json:"rpc_busy_seconds"`
	AWSBusySeconds float64 `json:"aws_busy_seconds"`
	// Floor is the same requests sent again without Terraform and the provider (floor.go).
	Floor    *Floor `json:"floor,omitempty"`
	ExitCode int    `json:"exit_code"`
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
	b.WriteString(Team{NamePrefix: "bench-", Users: n, UserName: "bench-user-%04d", FullName: "Bench User %d", Email: "bench-user-%04d@example.com"}.HCL())
	return b.String()
}

// Team is a baseline (iambaseline_startup_group_baseline.this) and a count of onboarded users
// (iambaseline_onboarded_user.user), each in its Developers and ReadOnly groups with console access
// and the temporary password in state: what the benchmark and the fault-injection tests apply.
type Team struct {
	NamePrefix string
	// BaselineArgs are more arguments of the baseline, HCL lines.
	BaselineArgs string
	Users        int
	// UserName, FullName and Email are format strings (HCL's format) of the user's count.index.
	UserName, FullName, Email string
}

// HCL renders the team's resources.
func (t Team) HCL() string {
	return fmt.Sprintf(`
resource "iambaseline_startup_group_baseline" "this" {
  name_prefix = %q
%s}

resource "iambaseline_onboarded_user" "user" {
  count = %d

  user_name = format(%q, count.index)
  full_name = format(%q, count.index)
  email     = format(%q, count.index)
  groups = [
    iambaseline_startup_group_baseline.this.group_names["Developers"],
    iambaseline_startup_group_baseline.this.group_names["ReadOnly"],
  ]
  console_access          = true
  store_password_in_state = true
}
`, t.NamePrefix, t.BaselineArgs, t.Users, t.UserName, t.FullName, t.Email)
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
	PID       int   `json:"pid"`
	Total     int   `json:"total"`
	VMHWMKB   int   `json:"vm_hwm_kb"`
	RPCBusyMS int64 `json:"rpc_busy_ms"`
	AWSBusyMS int64 `json:"aws_busy_ms"`
}

// CallsSummary is what the provider processes of one phase reported about themselves.
type CallsSummary struct {
	Requests  int // per process the largest cumulative total, summed over processes
	PeakRSSKB int
	// RPCBusy and AWSBusy: per process the largest value, summed over processes (seconds).
	RPCBusy, AWSBusy float64
}

// ReadCallsFile sums the calls-file lines written at or after offset (one phase).
func ReadCallsFile(path string, offset int64) (CallsSummary, error) {
	var sum CallsSummary
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return sum, nil
	}
	if err != nil {
		return sum, err
	}
	defer f.Close()
	if _, err := f.Seek(offset, 0); err != nil {
		return sum, err
	}
	perPID := map[int]callsLine{}
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		var l callsLine
		if err := json.Unmarshal(s.Bytes(), &l); err != nil {
			return sum, fmt.Errorf("%s: bad line %q: %w", path, s.Text(), err)
		}
		p := perPID[l.PID]
		p.Total, p.RPCBusyMS, p.AWSBusyMS = max(p.Total, l.Total), max(p.RPCBusyMS, l.RPCBusyMS), max(p.AWSBusyMS, l.AWSBusyMS)
		perPID[l.PID] = p
		sum.PeakRSSKB = max(sum.PeakRSSKB, l.VMHWMKB)
	}
	for _, p := range perPID {
		sum.Requests += p.Total
		sum.RPCBusy += float64(p.RPCBusyMS) / 1000
		sum.AWSBusy += float64(p.AWSBusyMS) / 1000
	}
	return sum, s.Err()
}

// FileSize is the size of path, 0 when it does not exist.
func FileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// Watcher polls /proc for the processes of one benchmark command, recognised by the calls-file
// variable in their environment (so other people's Terraform and providers on the same machine are
// ignored): the provider processes and the Terraform CLI. It keeps each kind's largest VmHWM and
// the CPU time of every process it saw (the last reading before the process ended: at most one
// polling interval short).
type Watcher struct {
	marker string // "IAMBASELINE_CALLS_FILE=<path>"
	stop   chan struct{}
	done   chan struct{}

	mu   sync.Mutex
	ours map[int]bool   // pid => has the marker
	kind map[int]string // pid => "provider" or "terraform" at the last reading
	peak map[string]int // kind => largest VmHWM (kB)
	cpu  map[int]int    // pid => utime+stime (clock ticks) at the last reading
}

// WatchProcesses starts polling every interval until Stop.
func WatchProcesses(envMarker string, interval time.Duration) *Watcher {
	w := &Watcher{marker: envMarker, stop: make(chan struct{}), done: make(chan struct{}),
		ours: map[int]bool{}, kind: map[int]string{}, peak: map[string]int{}, cpu: map[int]int{}}
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

// Usage is what a Watcher saw.
type Usage struct {
	ProviderPeakRSSKB, TerraformPeakRSSKB   int
	ProviderCPUSeconds, TerraformCPUSeconds float64
}

// Stop ends polling and returns what was seen.
func (w *Watcher) Stop() Usage {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	u := Usage{ProviderPeakRSSKB: w.peak["provider"], TerraformPeakRSSKB: w.peak["terraform"]}
	for pid, ticks := range w.cpu {
		switch w.kind[pid] {
		case "provider":
			u.ProviderCPUSeconds += float64(ticks) / clockTicks
		case "terraform":
			u.TerraformCPUSeconds += float64(ticks) / clockTicks
		}
	}
	return u
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux architecture Go
// supports.
const clockTicks = 100

// ProcessCPUSeconds reads utime+stime of pid (0 when it cannot).
func ProcessCPUSeconds(pid int) float64 {
	return float64(cpuTicks(fmt.Sprintf("/proc/%d/stat", pid))) / clockTicks
}

// cpuTicks reads utime+stime (fields 14 and 15) of a /proc/<pid>/stat file.
func cpuTicks(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	// The command name (field 2) is in parentheses and may hold spaces: count fields after it.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return utime + stime
}

func (w *Watcher) poll() {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		// The kind follows comm at every poll: a provider is briefly a "terraform" between fork and
		// exec. Whether a process is ours (its environment) is asked once, after exec.
		kind := kindOf(d)
		if kind == "" {
			continue
		}
		w.mu.Lock()
		ours, known := w.ours[pid]
		w.mu.Unlock()
		if !known {
			var decided bool
			ours, decided = w.hasMarker(d)
			if decided {
				w.mu.Lock()
				w.ours[pid] = ours
				w.mu.Unlock()
			}
		}
		if !ours {
			continue
		}
		kb := procField(filepath.Join(d, "status"), "VmHWM:")
		ticks := cpuTicks(filepath.Join(d, "stat"))
		w.mu.Lock()
		w.kind[pid] = kind
		w.peak[kind] = max(w.peak[kind], kb)
		if ticks > 0 {
			w.cpu[pid] = ticks
		}
		w.mu.Unlock()
	}
}

// kindOf tells from its comm whether the process in /proc dir d is a provider or a Terraform CLI.
func kindOf(d string) string {
	b, err := os.ReadFile(filepath.Join(d, "comm"))
	if err != nil {
		return ""
	}
	// comm is cut at 15 characters: "terraform-provi".
	comm := strings.TrimSpace(string(b))
	switch {
	case len(comm) >= 10 && strings.HasPrefix("terraform-provider-iambaseline", comm):
		return "provider"
	case comm == "terraform" || comm == "tofu":
		return "terraform"
	}
	return ""
}

// hasMarker tells whether the process in /proc dir d has the marker in its environment; decided is
// false when the environment cannot be read yet: exec sets comm before the new environment is in
// place, so a process caught in between reads as empty and is asked again at the next poll.
func (w *Watcher) hasMarker(d string) (ours, decided bool) {
	env, err := os.ReadFile(filepath.Join(d, "environ"))
	if err != nil || len(env) == 0 {
		return false, false
	}
	for _, kv := range strings.Split(string(env), "\x00") {
		if kv == w.marker {
			return true, true
		}
	}
	return false, true
}
