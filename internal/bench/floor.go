package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/faultproxy"
)

// Floor is the emulator's own floor for one phase: the requests the provider sent (recorded by the
// proxy), sent again to a freshly reset emulator by a bare loop with the SDK's SigV4 signer and HTTP
// client, no Terraform and no provider, at the same concurrency (Replay).
type Floor struct {
	Seconds  float64 `json:"seconds"`
	Requests int     `json:"requests"`
	// Mismatches counts requests whose status differs from what the provider got (0 when the replay
	// did the same work).
	Mismatches  int `json:"mismatches"`
	MaxInFlight int `json:"max_in_flight"`
	// RecordedMaxInFlight is the most requests the provider had in flight at once.
	RecordedMaxInFlight int `json:"recorded_max_in_flight"`
}

// ReplaySchedule orders a recording for replay: the requests by start time, and for each the number
// of requests that had ended before it started (Need). A replay starts request j only once those
// have ended in the replay too, so every answer a request could depend on (the user exists before
// its login profile is made) is there, and nothing else is serialised.
type ReplaySchedule struct {
	Requests []faultproxy.Recorded // by Start
	EndOrder []int                 // indexes into Requests by End
	Need     []int                 // Need[j]: how many of EndOrder must be done before j starts
}

// Schedule builds the ReplaySchedule of a recording.
func Schedule(recorded []faultproxy.Recorded) ReplaySchedule {
	reqs := append([]faultproxy.Recorded(nil), recorded...)
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].Start.Before(reqs[j].Start) })
	endOrder := make([]int, len(reqs))
	for i := range endOrder {
		endOrder[i] = i
	}
	sort.SliceStable(endOrder, func(a, b int) bool { return reqs[endOrder[a]].End.Before(reqs[endOrder[b]].End) })
	need := make([]int, len(reqs))
	for j := range reqs {
		need[j] = sort.Search(len(endOrder), func(k int) bool { return !reqs[endOrder[k]].End.Before(reqs[j].Start) })
	}
	return ReplaySchedule{Requests: reqs, EndOrder: endOrder, Need: need}
}

// MaxInFlight is the most recorded requests that overlapped in time.
func (s ReplaySchedule) MaxInFlight() int {
	type edge struct {
		t     time.Time
		delta int
	}
	edges := make([]edge, 0, 2*len(s.Requests))
	for _, r := range s.Requests {
		edges = append(edges, edge{r.Start, 1}, edge{r.End, -1})
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].t.Equal(edges[j].t) {
			return edges[i].delta < edges[j].delta
		}
		return edges[i].t.Before(edges[j].t)
	})
	cur, most := 0, 0
	for _, e := range edges {
		cur += e.delta
		most = max(most, cur)
	}
	return most
}

// scopePattern reads service and region from a SigV4 Authorization header's credential scope.
var scopePattern = regexp.MustCompile(`Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request`)

// Replay sends the recorded requests to endpoint, at most concurrency at a time, in the order of
// the schedule, signed anew with creds (the emulator does not check signatures, but a real client
// signs: the floor pays for it too). It returns the wall time from the first request to the last
// answer.
func Replay(ctx context.Context, endpoint string, recorded []faultproxy.Recorded, concurrency int, creds aws.Credentials) (Floor, error) {
	s := Schedule(recorded)
	floor := Floor{Requests: len(s.Requests), RecordedMaxInFlight: s.MaxInFlight()}
	if len(s.Requests) == 0 {
		return floor, nil
	}
	if concurrency < 1 {
		concurrency = 1
	}
	client := awshttp.NewBuildableClient()
	signer := v4.NewSigner()

	var (
		mu         sync.Mutex
		cond       = sync.NewCond(&mu)
		done       = make([]bool, len(s.Requests))
		donePrefix int // EndOrder[:donePrefix] are all done
		inFlight   int
		firstErr   error
		wg         sync.WaitGroup
	)
	finish := func(j int, status int, err error) {
		mu.Lock()
		defer mu.Unlock()
		done[j] = true
		for donePrefix < len(s.EndOrder) && done[s.EndOrder[donePrefix]] {
			donePrefix++
		}
		inFlight--
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if err == nil && status != s.Requests[j].Status {
			floor.Mismatches++
		}
		cond.Broadcast()
	}
	send := func(r faultproxy.Recorded) (int, error) {
		req, err := http.NewRequestWithContext(ctx, r.Method, endpoint+r.Path, bytes.NewReader(r.Body))
		if err != nil {
			return 0, err
		}
		if ct := r.Header.Get("Content-Type"); ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		service, region := "iam", "us-east-1"
		if m := scopePattern.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
			region, service = m[1], m[2]
		}
		sum := sha256.Sum256(r.Body)
		if err := signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, region, time.Now()); err != nil {
			return 0, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return resp.StatusCode, nil
	}

	stopWaking := context.AfterFunc(ctx, func() {
		mu.Lock()
		cond.Broadcast()
		mu.Unlock()
	})
	defer stopWaking()

	start := time.Now()
	for j := range s.Requests {
		mu.Lock()
		for firstErr == nil && ctx.Err() == nil && (donePrefix < s.Need[j] || inFlight >= concurrency) {
			cond.Wait()
		}
		if firstErr != nil || ctx.Err() != nil {
			mu.Unlock()
			break
		}
		inFlight++
		floor.MaxInFlight = max(floor.MaxInFlight, inFlight)
		mu.Unlock()
		wg.Add(1)
		go func(j int) {
			defer wg.Done()
			status, err := send(s.Requests[j])
			finish(j, status, err)
		}(j)
	}
	wg.Wait()
	floor.Seconds = time.Since(start).Seconds()
	if firstErr != nil {
		return floor, fmt.Errorf("replaying the recorded requests: %w", firstErr)
	}
	return floor, ctx.Err()
}
