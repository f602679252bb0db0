package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadCallsFile_perPhaseAndProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calls.jsonl")
	before := `{"pid":1,"operation":"a","total":50,"counts":{},"vm_hwm_kb":9000,"rpc_busy_ms":9000}` + "\n"
	phase := `{"pid":2,"operation":"a","total":3,"counts":{},"vm_hwm_kb":1000,"rpc_busy_ms":100,"aws_busy_ms":50}
{"pid":2,"operation":"b","total":7,"counts":{},"vm_hwm_kb":1200,"rpc_busy_ms":300,"aws_busy_ms":200}
{"pid":2,"operation":"exit","total":0,"vm_hwm_kb":1300,"rpc_busy_ms":500,"aws_busy_ms":200}
{"pid":3,"operation":"a","total":4,"counts":{},"vm_hwm_kb":800,"rpc_busy_ms":250,"aws_busy_ms":25}
`
	if err := os.WriteFile(path, []byte(before+phase), 0o600); err != nil {
		t.Fatal(err)
	}
	sum, err := ReadCallsFile(path, int64(len(before)))
	if err != nil {
		t.Fatal(err)
	}
	// Totals are cumulative per process: pid 2 sent 7 (its exit line's 0 does not lower it), pid 3
	// sent 4; busy times are the largest per process (pid 2's exit line: 500 ms), summed; the earlier
	// phase is skipped.
	want := CallsSummary{Requests: 11, PeakRSSKB: 1300, RPCBusy: 0.75, AWSBusy: 0.225}
	if sum != want {
		t.Errorf("ReadCallsFile = %+v; want %+v", sum, want)
	}
	if got, err := ReadCallsFile(filepath.Join(t.TempDir(), "missing"), 0); err != nil || got.Requests != 0 {
		t.Errorf("missing file: %+v, %v", got, err)
	}
}

func TestConfig(t *testing.T) {
	full := Config("http://127.0.0.1:1234", 42, true)
	for _, want := range []string{`iam = "http://127.0.0.1:1234"`, `sts = "http://127.0.0.1:1234"`, "count = 42",
		`resource "iambaseline_startup_group_baseline" "this"`, `resource "iambaseline_onboarded_user" "user"`,
		`format("bench-user-%04d", count.index)`, "store_password_in_state = true", "console_access          = true",
		`group_names["Developers"]`, `group_names["ReadOnly"]`} {
		if !strings.Contains(full, want) {
			t.Errorf("config lacks %q:\n%s", want, full)
		}
	}
	if smoke := Config("http://x", 5, false); strings.Contains(smoke, "resource ") {
		t.Errorf("smoke config has resources:\n%s", smoke)
	}
	if !strings.Contains(CLIConfig("/p/bin"), `"iambaseline/iambaseline" = "/p/bin"`) {
		t.Errorf("CLI config: %s", CLIConfig("/p/bin"))
	}
}

func TestPerUser(t *testing.T) {
	if PerUser(110, 100) != 1.1 || PerUser(5, 0) != 0 {
		t.Error("PerUser")
	}
}

func TestCPUTicks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stat")
	// Field 2 may hold spaces and parentheses; utime and stime are fields 14 and 15.
	stat := "4242 (terraform (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 12 0 1000 1 1 0\n"
	if err := os.WriteFile(path, []byte(stat), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := cpuTicks(path); got != 287 {
		t.Errorf("cpuTicks = %d, want 250+37", got)
	}
	if got := cpuTicks(filepath.Join(t.TempDir(), "none")); got != 0 {
		t.Errorf("missing file: %d", got)
	}
}

func TestWatcherSeesItsOwnMarkedProcess(t *testing.T) {
	// The test binary is neither Terraform nor a provider: nothing of it may be counted.
	w := WatchProcesses("IAMBASELINE_CALLS_FILE=/nonexistent/"+t.Name(), 5*time.Millisecond)
	time.Sleep(30 * time.Millisecond)
	if u := w.Stop(); u != (Usage{}) {
		t.Errorf("watcher counted processes without the marker: %+v", u)
	}
}
