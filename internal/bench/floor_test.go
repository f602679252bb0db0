package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/faultproxy"
)

func rec(action, user string, status int, start, end int) faultproxy.Recorded {
	t0 := time.Unix(1000, 0)
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261127/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x")
	body := url.Values{"Action": {action}, "UserName": {user}}.Encode()
	return faultproxy.Recorded{Action: action, Method: http.MethodPost, Path: "/", Header: h, Body: []byte(body), Status: status,
		Start: t0.Add(time.Duration(start) * time.Millisecond), End: t0.Add(time.Duration(end) * time.Millisecond)}
}

func TestScheduleNeedsWhatEndedBefore(t *testing.T) {
	// a: 0-10, b: 5-20 (overlaps a), c: 15-30 (starts after a ended), d: 25-26 (after a and b).
	s := Schedule([]faultproxy.Recorded{rec("D", "u", 200, 25, 26), rec("B", "u", 200, 5, 20), rec("A", "u", 200, 0, 10), rec("C", "u", 200, 15, 30)})
	var order []string
	for _, r := range s.Requests {
		order = append(order, r.Action)
	}
	if got := strings.Join(order, ""); got != "ABCD" {
		t.Fatalf("start order %s, want ABCD", got)
	}
	if got := s.Need; got[0] != 0 || got[1] != 0 || got[2] != 1 || got[3] != 2 {
		t.Errorf("Need = %v, want [0 0 1 2]", got)
	}
	if got := s.MaxInFlight(); got != 2 {
		t.Errorf("MaxInFlight = %d, want 2", got)
	}
}

// A fake IAM: AddUserToGroup answers 404 unless CreateUser for that user has finished, and
// CreateUser is slow, so a replay that does not wait for what ended before would see 404s.
func TestReplayKeepsDependenciesAndConcurrency(t *testing.T) {
	var mu sync.Mutex
	users := map[string]bool{}
	var inFlight, most atomic.Int32
	var signed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		if strings.Contains(r.Header.Get("Authorization"), "Credential=REPLAYKEY/") {
			signed.Store(true)
		}
		_ = r.ParseForm()
		user := r.PostForm.Get("UserName")
		switch r.PostForm.Get("Action") {
		case "CreateUser":
			time.Sleep(20 * time.Millisecond)
			mu.Lock()
			users[user] = true
			mu.Unlock()
		case "AddUserToGroup":
			mu.Lock()
			ok := users[user]
			mu.Unlock()
			if !ok {
				w.WriteHeader(http.StatusNotFound)
				return
			}
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()

	var recorded []faultproxy.Recorded
	for i := range 12 {
		u := string(rune('a' + i))
		base := i * 3 // users created side by side, as Terraform's parallel walk does
		recorded = append(recorded, rec("CreateUser", u, 200, base, base+25), rec("AddUserToGroup", u, 200, base+26, base+27))
	}
	recorded = append(recorded, rec("GetUser", "nobody", 404, 0, 1)) // an answer that was an error is replayed as one
	floor, err := Replay(context.Background(), srv.URL, recorded, 4, aws.Credentials{AccessKeyID: "REPLAYKEY", SecretAccessKey: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if floor.Requests != 25 || floor.Mismatches != 1 {
		// GetUser answered 200 here where it was 404 when recorded: one mismatch, and only that.
		t.Errorf("floor = %+v; want 25 requests and 1 mismatch (the GetUser)", floor)
	}
	if most.Load() > 4 || floor.MaxInFlight > 4 {
		t.Errorf("concurrency %d (replay says %d), cap 4", most.Load(), floor.MaxInFlight)
	}
	if !signed.Load() {
		t.Error("requests were not signed with the replay's credentials")
	}
}

func TestReplayStopsWhenCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond)
	}))
	defer srv.Close()
	var recorded []faultproxy.Recorded
	for i := range 100 {
		recorded = append(recorded, rec("GetUser", "u", 200, i*100, i*100+50)) // one after another
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := Replay(ctx, srv.URL, recorded, 10, aws.Credentials{AccessKeyID: "k", SecretAccessKey: "s"}); err == nil {
		t.Fatal("no error after cancellation")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Replay took %v after cancellation", d)
	}
}
