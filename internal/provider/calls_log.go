package provider

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/timing"
)

// CallsFileEnv names a file that the provider appends one JSON line to each time an operation
// finishes (logCalls). It is a testing and benchmark aid, not a user feature: `make bench` sets it
// because Terraform's own logs are too costly to parse at 1,000 resources. Each line is
//
//	{"pid":1234,"operation":"onboarded_user.Create","total":17,"counts":{"IAM:CreateUser":1,...},"vm_hwm_kb":41234,
//	 "rpc_busy_ms":812,"aws_busy_ms":640}
//
// where total and counts are the AWS requests the provider process sent SO FAR (cumulative per pid,
// retries included), vm_hwm_kb is the process's peak resident set size (Linux only, else 0), and
// rpc_busy_ms / aws_busy_ms are the wall time so far during which at least one Terraform RPC / one
// AWS request was in flight (internal/timing). A last line with operation "exit" is written when the
// process ends (LogExit). A consumer takes, per pid, the largest value of each figure.
const CallsFileEnv = "IAMBASELINE_CALLS_FILE"

// callsLine is one line of the calls file.
type callsLine struct {
	PID       int            `json:"pid"`
	Operation string         `json:"operation"`
	Total     int            `json:"total"`
	Counts    map[string]int `json:"counts"`
	VMHWMKB   int            `json:"vm_hwm_kb"`
	RPCBusyMS int64          `json:"rpc_busy_ms"`
	AWSBusyMS int64          `json:"aws_busy_ms"`
}

var callsFileMu sync.Mutex

// logCalls records, at the end of an operation (op, e.g. "onboarded_user.Create"), how many AWS
// requests this provider process has sent: at debug level in Terraform's log, and as a JSON line in
// the file named by IAMBASELINE_CALLS_FILE when that is set. Failures to write the file are logged,
// never returned: accounting must not break an apply.
func logCalls(ctx context.Context, client *awsiam.Client, op string) {
	if client == nil || client.Calls == nil {
		return
	}
	total := client.Calls.Total()
	tflog.Debug(ctx, "AWS API calls", map[string]any{
		"operation":          op,
		"aws_requests_total": total,
		"aws_requests":       client.Calls.Summary(),
	})
	path := os.Getenv(CallsFileEnv)
	if path == "" {
		return
	}
	if err := appendCallsLine(path, callsLine{
		PID: os.Getpid(), Operation: op, Total: total, Counts: client.Calls.Counts(), VMHWMKB: peakRSSKB(),
		RPCBusyMS: timing.RPC.Total().Milliseconds(), AWSBusyMS: timing.AWS.Total().Milliseconds(),
	}); err != nil {
		tflog.Warn(ctx, "cannot append to "+CallsFileEnv, map[string]any{"path": path, "error": err.Error()})
	}
}

// LogExit appends the process's last line to the calls file, when one is named: the busy times and
// peak RSS at exit, after the RPCs that follow the last operation (a plan's PlanResourceChange calls).
// The request counts stay on the operation lines (total 0 here: consumers take the largest).
func LogExit() {
	path := os.Getenv(CallsFileEnv)
	if path == "" {
		return
	}
	_ = appendCallsLine(path, callsLine{
		PID: os.Getpid(), Operation: "exit", VMHWMKB: peakRSSKB(),
		RPCBusyMS: timing.RPC.Total().Milliseconds(), AWSBusyMS: timing.AWS.Total().Milliseconds(),
	})
}

func appendCallsLine(path string, line callsLine) error {
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	callsFileMu.Lock()
	defer callsFileMu.Unlock()
	// One write of one short line with O_APPEND: lines of concurrent provider processes do not interleave.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// peakRSSKB reads VmHWM (peak resident set size, kB) of this process from /proc; 0 where there is none.
func peakRSSKB() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	return 0
}
