package provider

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// countingClient returns a client whose counter saw two GetUser requests, against a canned IAM.
func countingClient(t *testing.T) *awsiam.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><Path>/</Path><UserName>alice</UserName><UserId>AIDAALICE</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></User></GetUserResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetUserResponse>`)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	client, err := awsiam.NewClient(context.Background(), awsiam.Config{Region: "us-east-1", IAMEndpoint: srv.URL, SkipCredentialsValidation: true})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := client.FindUserTags(context.Background(), "alice"); err != nil { // one GetUser
			t.Fatal(err)
		}
	}
	return client
}

func TestLogCalls_debugLog(t *testing.T) {
	client := countingClient(t)
	t.Setenv(CallsFileEnv, "")
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)

	logCalls(ctx, client, "onboarded_user.Read")

	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("want 1 log entry, got %d: %v", len(entries), entries)
	}
	e := entries[0]
	if e["@level"] != "debug" || e["operation"] != "onboarded_user.Read" || e["aws_requests_total"] != float64(2) {
		t.Errorf("unexpected log entry %v", e)
	}
	if s, _ := e["aws_requests"].(string); !strings.Contains(s, "IAM:GetUser=2") {
		t.Errorf("aws_requests = %q, want the summary with IAM:GetUser=2", s)
	}
}

func TestLogCalls_callsFile(t *testing.T) {
	client := countingClient(t)
	path := filepath.Join(t.TempDir(), "calls.jsonl")
	t.Setenv(CallsFileEnv, path)
	ctx := tflogtest.RootLogger(context.Background(), &bytes.Buffer{})

	logCalls(ctx, client, "onboarded_user.Create")
	logCalls(ctx, client, "onboarded_user.Read")
	logCalls(ctx, nil, "ignored") // no client (validation): nothing written

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []callsLine
	s := bufio.NewScanner(f)
	for s.Scan() {
		var l callsLine
		if err := json.Unmarshal(s.Bytes(), &l); err != nil {
			t.Fatalf("line %q is not JSON: %v", s.Text(), err)
		}
		lines = append(lines, l)
	}
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %d", len(lines))
	}
	l := lines[1]
	if l.PID != os.Getpid() || l.Operation != "onboarded_user.Read" || l.Total != 2 || l.Counts["IAM:GetUser"] != 2 {
		t.Errorf("unexpected line %+v", l)
	}
	if _, err := os.Stat("/proc/self/status"); err == nil && l.VMHWMKB <= 0 {
		t.Errorf("vm_hwm_kb = %d, want the peak RSS from /proc", l.VMHWMKB)
	}
}
