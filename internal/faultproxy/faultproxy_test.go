package faultproxy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// fakeIAM is a tiny IAM behind the proxy: users only, and every executed action counted, so tests
// can tell what reached the "emulator" and whether a write ran twice.
type fakeIAM struct {
	mu       sync.Mutex
	users    map[string]bool
	executed map[string]int
}

func newFakeIAM(t *testing.T) (*fakeIAM, string) {
	f := &fakeIAM{users: map[string]bool{}, executed: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func (f *fakeIAM) count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.executed[action]
}

func (f *fakeIAM) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	action, name := form.Get("Action"), form.Get("UserName")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.executed[action]++
	w.Header().Set("Content-Type", "text/xml")
	switch action {
	case "GetCallerIdentity":
		fmt.Fprint(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/tester</Arn><UserId>AIDATESTER</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
	case "CreateUser":
		if f.users[name] {
			writeIAMError(w, http.StatusConflict, "Sender", "EntityAlreadyExists", "User with name "+name+" already exists.")
			return
		}
		f.users[name] = true
		fmt.Fprintf(w, `<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult>%s</CreateUserResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></CreateUserResponse>`, userXML(name))
	case "GetUser":
		if !f.users[name] {
			writeIAMError(w, http.StatusNotFound, "Sender", "NoSuchEntity", "The user with name "+name+" cannot be found.")
			return
		}
		fmt.Fprintf(w, `<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult>%s</GetUserResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetUserResponse>`, userXML(name))
	default:
		writeIAMError(w, http.StatusBadRequest, "Sender", "InvalidAction", "fake IAM does not know "+action)
	}
}

func userXML(name string) string {
	return fmt.Sprintf(`<User><Path>/</Path><UserName>%s</UserName><UserId>AIDA%s</UserId><Arn>arn:aws:iam::123456789012:user/%s</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></User>`, name, name, name)
}

// sdkClients returns IAM and STS clients pointed at the proxy, retrying up to attempts times with
// short backoff and no retry quota (the SDK's default token bucket would stop retrying under a
// deliberately high fault share).
func sdkClients(endpoint string, attempts int) (*iam.Client, *sts.Client) {
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = attempts
				o.MaxBackoff = 5 * time.Millisecond
				o.Backoff = retry.NewExponentialJitterBackoff(5 * time.Millisecond)
				o.RateLimiter = ratelimit.None
			})
		},
	}
	return iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(endpoint) }),
		sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

func TestFaultProxy_retriedFaultsConverge(t *testing.T) {
	for _, tc := range []struct {
		fault Fault
		cfg   Config
	}{
		{FaultThrottling, Config{Seed: 1, ThrottlingShare: 0.5}},
		{FaultUnavailable, Config{Seed: 2, UnavailableShare: 0.5}},
		{FaultReset, Config{Seed: 3, ResetShare: 0.5}},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			fake, upstream := newFakeIAM(t)
			proxy := startProxy(t, upstream, tc.cfg)
			client, _ := sdkClients(proxy.URL(), 20)
			ctx := context.Background()
			const users = 15
			for i := range users {
				name := fmt.Sprintf("user%02d", i)
				if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
					t.Fatalf("CreateUser %s through %s faults: %v", name, tc.fault, err)
				}
				if _, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)}); err != nil {
					t.Fatalf("GetUser %s through %s faults: %v", name, tc.fault, err)
				}
			}
			if proxy.InjectedOf(tc.fault) == 0 {
				t.Fatalf("no %s injected: %s", tc.fault, proxy.Summary())
			}
			// Faults come before forwarding: every write ran exactly once, never twice.
			if got := fake.count("CreateUser"); got != users {
				t.Errorf("emulator executed CreateUser %d times, want %d", got, users)
			}
			if got := proxy.Forwarded()["CreateUser"]; got != users {
				t.Errorf("proxy forwarded CreateUser %d times, want %d", got, users)
			}
			for entity, n := range proxy.Created() {
				if n != 1 {
					t.Errorf("%s created %d times", entity, n)
				}
			}
			if got := len(proxy.Created()); got != users {
				t.Errorf("Created() has %d entities, want %d", got, users)
			}
			if got, want := proxy.InjectedErrors(), proxy.InjectedOf(tc.fault); got != want {
				t.Errorf("InjectedErrors = %d, want %d", got, want)
			}
			t.Log(proxy.Summary())
		})
	}
}

func TestFaultProxy_throttlingIsIAMError(t *testing.T) {
	_, upstream := newFakeIAM(t)
	proxy := startProxy(t, upstream, Config{ThrottlingShare: 1})
	client, _ := sdkClients(proxy.URL(), 1)
	_, err := client.GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("x")})
	if code := awscore.ErrorCode(err); code != "Throttling" {
		t.Fatalf("error code = %q (%v), want Throttling", code, err)
	}
	if !retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool() {
		t.Errorf("the SDK does not classify the injected error as throttling: %v", err)
	}
	if proxy.ForwardedTotal() != 0 {
		t.Errorf("a throttled request was forwarded: %s", proxy.Summary())
	}
}

func TestFaultProxy_seedIsDeterministic(t *testing.T) {
	run := func(seed int64) []Event {
		_, upstream := newFakeIAM(t)
		proxy := startProxy(t, upstream, Config{Seed: seed, ThrottlingShare: 0.2, UnavailableShare: 0.1, ResetShare: 0.1})
		client, _ := sdkClients(proxy.URL(), 30)
		for i := range 10 {
			if _, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("u%d", i))}); err != nil {
				t.Fatal(err)
			}
		}
		return proxy.Events()
	}
	first, again, other := run(42), run(42), run(7)
	if !reflect.DeepEqual(first, again) {
		t.Errorf("same seed, different faults:\n%v\n%v", first, again)
	}
	if reflect.DeepEqual(first, other) {
		t.Errorf("seeds 42 and 7 gave the same faults: %v", first)
	}
	faults := 0
	for _, e := range first {
		if e.Fault != "" {
			faults++
		}
	}
	if faults == 0 {
		t.Errorf("no fault injected with seed 42: %v", first)
	}
}

func TestFaultProxy_maxFaultsBoundsInjection(t *testing.T) {
	_, upstream := newFakeIAM(t)
	proxy := startProxy(t, upstream, Config{ThrottlingShare: 1, MaxFaults: 3})
	client, _ := sdkClients(proxy.URL(), 5)
	if _, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("capped")}); err != nil {
		t.Fatalf("the 4th attempt should pass once 3 faults were spent: %v", err)
	}
	if got := proxy.InjectedOf(FaultThrottling); got != 3 {
		t.Errorf("injected %d throttles, want 3", got)
	}
	if got := proxy.Injected()["Throttling:CreateUser"]; got != 3 {
		t.Errorf("per-action counter Throttling:CreateUser = %d, want 3", got)
	}
}

func TestFaultProxy_notFoundForFirstReadsAfterCreate(t *testing.T) {
	fake, upstream := newFakeIAM(t)
	const k = 3
	proxy := startProxy(t, upstream, Config{NotFoundReadsAfterCreate: k})
	client, _ := sdkClients(proxy.URL(), 1)
	ctx := context.Background()

	// "old" is made behind the proxy's back, as by an earlier run: reads of it are never touched.
	direct, _ := sdkClients(upstream, 1)
	if _, err := direct.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("old")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	var outcomes []bool
	for range k + 2 {
		_, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
		if err != nil && !awsiam.IsNotFound(err) {
			t.Fatalf("GetUser: unexpected error %v", err)
		}
		outcomes = append(outcomes, err == nil)
	}
	if want := []bool{false, false, false, true, true}; !reflect.DeepEqual(outcomes, want) {
		t.Errorf("GetUser successes after create = %v, want %v", outcomes, want)
	}
	// Other entities are not affected, even while alice's reads fail.
	if _, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("old")}); err != nil {
		t.Errorf("GetUser of an older user: %v", err)
	}
	if got := proxy.Injected()["NoSuchEntity:GetUser"]; got != k {
		t.Errorf("injected NoSuchEntity %d times, want %d", got, k)
	}
	// Only the reads that succeeded reached the emulator: 2 for alice, 1 for old.
	if got := fake.count("GetUser"); got != 3 {
		t.Errorf("emulator executed GetUser %d times, want 3", got)
	}
}

// twoMissesProxy is a proxy before a fake IAM that answers the first two reads of a user created
// through it NoSuchEntity, and an IAM client of one attempt that goes through it.
func twoMissesProxy(t *testing.T) (*Proxy, *iam.Client) {
	t.Helper()
	_, upstream := newFakeIAM(t)
	proxy := startProxy(t, upstream, Config{NotFoundReadsAfterCreate: 2})
	client, _ := sdkClients(proxy.URL(), 1)
	return proxy, client
}

func TestFaultProxy_notFoundNotArmedByFailedCreate(t *testing.T) {
	proxy, client := twoMissesProxy(t)
	ctx := context.Background()
	if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	proxy.SetEnabled(false)
	for range 2 {
		if _, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")}); err != nil {
			t.Fatalf("injection disabled, yet GetUser failed: %v", err)
		}
	}
	proxy.SetEnabled(true)
	// The armed reads were not spent while injection was off; they are now.
	for range 2 {
		if _, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")}); !awsiam.IsNotFound(err) {
			t.Fatalf("want injected NoSuchEntity, got %v", err)
		}
	}
	// Settled propagation disarms what is left.
	if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob2")}); err != nil {
		t.Fatal(err)
	}
	proxy.SettlePropagation()
	if _, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob2")}); err != nil {
		t.Fatalf("NoSuchEntity after SettlePropagation: %v", err)
	}
	// A create that fails upstream (EntityAlreadyExists) arms nothing.
	if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}); awscore.ErrorCode(err) != "EntityAlreadyExists" {
		t.Fatalf("want EntityAlreadyExists, got %v", err)
	}
	if _, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatalf("a failed create re-armed NoSuchEntity: %v", err)
	}
}

func TestFaultProxy_retryWhenNewRidesOutNotFound(t *testing.T) {
	proxy, client := twoMissesProxy(t)
	ctx := context.Background()
	getUser := func(name string) func(context.Context) (*iam.GetUserOutput, error) {
		return func(ctx context.Context) (*iam.GetUserOutput, error) {
			return client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
		}
	}
	for _, name := range []string{"carol", "dave"} {
		if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := awsiam.RetryWhenNew(ctx, true, getUser("carol"))
	if err != nil {
		t.Fatalf("RetryWhenNew did not ride out the injected NoSuchEntity: %v (%s)", err, proxy.Summary())
	}
	if aws.ToString(out.User.UserName) != "carol" {
		t.Errorf("got user %q", aws.ToString(out.User.UserName))
	}
	// Without isNew, NoSuchEntity is taken at its word: the entity is gone.
	if _, err := awsiam.RetryWhenNew(ctx, false, getUser("dave")); !awsiam.IsNotFound(err) {
		t.Errorf("RetryWhenNew(isNew=false) = %v, want NoSuchEntity", err)
	}
}

func TestFaultProxy_stsPassesThrough(t *testing.T) {
	fake, upstream := newFakeIAM(t)
	proxy := startProxy(t, upstream, Config{ThrottlingShare: 1, MaxFaults: -1})
	_, stsClient := sdkClients(proxy.URL(), 1)
	out, err := stsClient.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity through a proxy throttling every IAM call: %v", err)
	}
	if aws.ToString(out.Account) != "123456789012" {
		t.Errorf("account = %q", aws.ToString(out.Account))
	}
	if fake.count("GetCallerIdentity") != 1 || proxy.Forwarded()["GetCallerIdentity"] != 1 || proxy.InjectedErrors() != 0 {
		t.Errorf("STS was not passed through untouched: %s", proxy.Summary())
	}
}

func TestFaultProxy_latency(t *testing.T) {
	_, upstream := newFakeIAM(t)
	proxy := startProxy(t, upstream, Config{LatencyShare: 1, Latency: 80 * time.Millisecond})
	client, _ := sdkClients(proxy.URL(), 1)
	start := time.Now()
	if _, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("slow")}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Errorf("request took %v, want >= 80ms of injected latency", d)
	}
	if proxy.InjectedOf(FaultLatency) != 1 || proxy.InjectedErrors() != 0 {
		t.Errorf("latency counted wrong: %s", proxy.Summary())
	}
}

// A lost response is the one fault after forwarding: the write ran, the client saw an error, and the
// SDK's retry meets the entity it already made. Callers (the provider) must survive exactly this.
func TestFaultProxy_lostWriteResponse(t *testing.T) {
	fake, upstream := newFakeIAM(t)
	proxy := startProxy(t, upstream, Config{LostWriteResponseShare: 1, MaxFaults: 1})
	client, _ := sdkClients(proxy.URL(), 3)
	_, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("erin")})
	if code := awscore.ErrorCode(err); code != "EntityAlreadyExists" {
		t.Fatalf("retry after a lost CreateUser response: error code %q (%v), want EntityAlreadyExists", code, err)
	}
	if got := fake.count("CreateUser"); got != 2 {
		t.Errorf("emulator executed CreateUser %d times, want 2 (the lost one and the retry)", got)
	}
	if proxy.InjectedOf(FaultLostResponse) != 1 {
		t.Errorf("lost responses: %s", proxy.Summary())
	}
	// Reads are never dropped after forwarding, and the option is off unless asked for.
	off := startProxy(t, upstream, Config{ThrottlingShare: 0})
	offClient, _ := sdkClients(off.URL(), 1)
	if _, err := offClient.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("frank")}); err != nil {
		t.Fatalf("default config lost a response: %v", err)
	}
}

func TestFaultProxy_loseNextResponseOf(t *testing.T) {
	fake, upstream := newFakeIAM(t)
	proxy := startProxy(t, upstream, Config{}) // no random loss: only what is armed
	proxy.LoseNextResponseOf("CreateUser")
	client, _ := sdkClients(proxy.URL(), 3)
	ctx := context.Background()
	if _, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")}); awscore.ErrorCode(err) != "NoSuchEntity" {
		t.Fatalf("a read was touched: %v", err)
	}
	_, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("gina")})
	if code := awscore.ErrorCode(err); code != "EntityAlreadyExists" {
		t.Fatalf("retry after the armed lost CreateUser response: error code %q (%v), want EntityAlreadyExists", code, err)
	}
	// Armed once: the next CreateUser is answered.
	if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("hank")}); err != nil {
		t.Fatalf("second CreateUser lost too: %v", err)
	}
	if got := fake.count("CreateUser"); got != 3 {
		t.Errorf("emulator executed CreateUser %d times, want 3 (the lost one, its retry, hank)", got)
	}
	if proxy.InjectedOf(FaultLostResponse) != 1 {
		t.Errorf("lost responses: %s", proxy.Summary())
	}
}

func TestFaultProxy_waitForwarded(t *testing.T) {
	_, upstream := newFakeIAM(t)
	proxy := startProxy(t, upstream, Config{})
	client, _ := sdkClients(proxy.URL(), 1)
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done <- proxy.WaitForwarded(ctx, "CreateUser", 2)
	}()
	for _, name := range []string{"g1", "g2"} {
		if _, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := proxy.WaitForwarded(ctx, "CreateUser", 3); err == nil {
		t.Error("WaitForwarded returned before the 3rd CreateUser")
	}
}

func TestFaultProxy_notFoundIncludesWrites(t *testing.T) {
	fake, upstream := newFakeIAM(t)
	const k = 2
	for _, includeWrites := range []bool{false, true} {
		proxy := startProxy(t, upstream, Config{NotFoundReadsAfterCreate: k, NotFoundIncludesWrites: includeWrites})
		client, _ := sdkClients(proxy.URL(), 1)
		ctx := context.Background()
		name := fmt.Sprintf("writer-%v", includeWrites)
		if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
		before := fake.count("CreateLoginProfile")
		// CreateLoginProfile needs the new user; the fake IAM does not know it, so a forwarded one
		// answers InvalidAction, an injected one NoSuchEntity.
		_, err := client.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name), Password: aws.String("x")})
		if got := awsiam.IsNotFound(err); got != includeWrites {
			t.Errorf("includeWrites=%v: CreateLoginProfile error %v", includeWrites, err)
		}
		if forwarded := fake.count("CreateLoginProfile") - before; forwarded != map[bool]int{false: 1, true: 0}[includeWrites] {
			t.Errorf("includeWrites=%v: CreateLoginProfile reached the emulator %d times", includeWrites, forwarded)
		}
		// Deletes are never answered NoSuchEntity by the rule: the provider would take it as done.
		_, err = client.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(name)})
		if awsiam.IsNotFound(err) {
			t.Errorf("includeWrites=%v: DeleteUser got an injected NoSuchEntity", includeWrites)
		}
		// With writes included, the two armed answers went to CreateLoginProfile and nothing else.
		wantReadFailures := map[bool]int{false: k, true: k - 1}[includeWrites]
		failures := 0
		for range k + 1 {
			if _, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)}); awsiam.IsNotFound(err) {
				failures++
			}
		}
		if failures != wantReadFailures {
			t.Errorf("includeWrites=%v: %d GetUser failures, want %d (%s)", includeWrites, failures, wantReadFailures, proxy.Summary())
		}
	}
}

// startProxy is acctest.StartFaultProxy for this package's own tests.
func startProxy(t *testing.T, upstream string, cfg Config) *Proxy {
	t.Helper()
	p, err := New(upstream, cfg)
	if err != nil {
		t.Fatalf("starting fault proxy: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}
