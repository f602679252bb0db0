package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadCallsFile_perPhaseAndProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calls.jsonl")
	before := `{"pid":1,"operation":"a","total":50,"counts":{},"vm_hwm_kb":9000}` + "\n"
	phase := `{"pid":2,"operation":"a","total":3,"counts":{},"vm_hwm_kb":1000}
{"pid":2,"operation":"b","total":7,"counts":{},"vm_hwm_kb":1200}
{"pid":3,"operation":"a","total":4,"counts":{},"vm_hwm_kb":800}
`
	if err := os.WriteFile(path, []byte(before+phase), 0o600); err != nil {
		t.Fatal(err)
	}
	requests, rss, err := ReadCallsFile(path, int64(len(before)))
	if err != nil {
		t.Fatal(err)
	}
	// Totals are cumulative per process: pid 2 sent 7, pid 3 sent 4; the earlier phase is skipped.
	if requests != 11 || rss != 1200 {
		t.Errorf("ReadCallsFile = %d requests, %d kB; want 11, 1200", requests, rss)
	}
	if n, _, err := ReadCallsFile(filepath.Join(t.TempDir(), "missing"), 0); err != nil || n != 0 {
		t.Errorf("missing file: %d, %v", n, err)
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
