// Package faultproxy puts a misbehaving network between the provider and the IAM emulator (seeded
// throttling, 503s, connection resets, latency, NoSuchEntity after create, lost write answers), and
// counts what it forwards. It is test infrastructure without package testing: the acceptance tests
// start it through acctest.StartFaultProxy, the benchmark (internal/bench) directly.
package faultproxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// Fault names a kind of misbehaviour the Proxy injects. The names are the keys of its counters.
type Fault string

const (
	// FaultThrottling answers HTTP 400 with IAM's Throttling error, which the SDK retries.
	FaultThrottling Fault = "Throttling"
	// FaultUnavailable answers HTTP 503, which the SDK retries.
	FaultUnavailable Fault = "ServiceUnavailable"
	// FaultReset closes the client's connection with a TCP reset before anything is forwarded.
	FaultReset Fault = "ConnectionReset"
	// FaultLatency delays a request before it is forwarded. It is counted, but not against MaxFaults.
	FaultLatency Fault = "Latency"
	// FaultNoSuchEntity answers HTTP 404 NoSuchEntity to one of the first reads of an entity after
	// its creation, the way IAM's eventual consistency does.
	FaultNoSuchEntity Fault = "NoSuchEntity"
	// FaultLostResponse forwards a write, lets the emulator execute it, then resets the connection:
	// the write happened but the client saw an error (see Config.LostWriteResponseShare).
	FaultLostResponse Fault = "LostResponse"
)

// DefaultMaxFaults bounds the injected errors when Config.MaxFaults is zero.
const DefaultMaxFaults = 200

// Config says which share of requests the Proxy answers with which fault. Shares are
// probabilities in [0, 1]; Throttling, Unavailable and Reset are exclusive and drawn from one number,
// so their sum should stay <= 1. Every fault except LostWriteResponseShare is injected BEFORE the
// request is forwarded, so the emulator never executes a request whose client saw an error and a
// retried write can never run twice.
type Config struct {
	// Seed of the math/rand source. The proxy draws the same three numbers for every IAM request, so
	// a client that sends its requests one at a time sees the same faults on every run. Concurrent
	// clients get the same sequence of draws, but which request takes which draw follows arrival order.
	Seed int64

	ThrottlingShare  float64 // HTTP 400 <Code>Throttling</Code>
	UnavailableShare float64 // HTTP 503
	ResetShare       float64 // hijack the connection and reset it

	LatencyShare float64       // share of requests delayed by Latency before forwarding
	Latency      time.Duration // added latency; 0 with a positive share means 100ms

	// NotFoundReadsAfterCreate is K: after a successful Create* of a user, group, role, policy,
	// login profile or instance profile, the first K reads (Get*/List*) naming that entity answer
	// NoSuchEntity (HTTP 404) without reaching the emulator.
	NotFoundReadsAfterCreate int
	// NotFoundIncludesWrites extends that rule to writes naming the new entity (AddUserToGroup,
	// AttachGroupPolicy, CreateLoginProfile, TagUser, ...), except Delete* ones: IAM answers those
	// NoSuchEntity too while a new entity propagates; RetryOnModifyOrNew is the provider's answer.
	NotFoundIncludesWrites bool

	// LostWriteResponseShare is OFF (0) by default and is the one fault injected AFTER forwarding:
	// a share of writes is executed by the emulator, then the client's connection is reset, as when a
	// response is lost on the network. The SDK retries, and the retry meets the already-made entity
	// (EntityAlreadyExists, or a no-op). Use it only in tests of exactly that: a provider must survive
	// it without creating anything twice, but it is not a fault the others imply.
	LostWriteResponseShare float64

	// MaxFaults caps the errors injected over the proxy's life (latency excluded). 0 means
	// DefaultMaxFaults; a negative value means no cap.
	MaxFaults int

	// NotFoundReadsAfterRename: after a successful UpdateUser that renames a user, the first K reads
	// naming the new name answer NoSuchEntity, as IAM's lagging replicas do (lag.go).
	NotFoundReadsAfterRename int

	// Record keeps every forwarded request with its timing and status (Recorded): the benchmark
	// replays them to measure the emulator's own floor.
	Record bool
}

// Event is one IAM request as the proxy saw it, in arrival order.
type Event struct {
	Action string
	Fault  Fault // "" when the request was forwarded untouched
}

// Proxy is an httputil.ReverseProxy in front of the emulator that injects faults. Its counters
// tell tests how many faults of each kind it injected and how many requests of each action reached
// the emulator. STS requests and anything that is not an IAM query request pass through untouched.
type Proxy struct {
	upstream *url.URL
	proxy    *httputil.ReverseProxy
	server   *http.Server
	listener net.Listener

	mu        sync.Mutex
	cfg       Config
	enabled   bool
	rng       *rand.Rand
	errors    int
	injected  map[string]int // "<Fault>:<Action>"
	forwarded map[string]int // by action
	notFound  map[string]int // entity key => reads still to fail
	created   map[string]int // entity key => successful creates
	events    []Event
	hidden    map[string]int    // "<kind>:<name>" => bulk reads still to leave it out (lag.go)
	recorded  []Recorded        // with Config.Record (record.go)
	loseNext  map[string]int    // action => answers still to lose (LoseNextResponseOf)
	passwords map[string]string // user => digest of the password IAM accepted last (passwords.go)
}

// New starts a Proxy on 127.0.0.1 at a free port in front of upstream.
func New(upstream string, cfg Config) (*Proxy, error) {
	if upstream == "" {
		return nil, errors.New("fault proxy needs an upstream URL (is the emulator running? AWS_ENDPOINT_URL is empty)")
	}
	u, err := url.Parse(upstream)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("fault proxy upstream %q is not an absolute URL", upstream)
	}
	if cfg.MaxFaults == 0 {
		cfg.MaxFaults = DefaultMaxFaults
	}
	if cfg.LatencyShare > 0 && cfg.Latency <= 0 {
		cfg.Latency = 100 * time.Millisecond
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{
		upstream:  u,
		listener:  ln,
		cfg:       cfg,
		enabled:   true,
		rng:       rand.New(rand.NewSource(cfg.Seed)),
		injected:  map[string]int{},
		forwarded: map[string]int{},
		notFound:  map[string]int{},
		created:   map[string]int{},
	}
	p.proxy = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(u)
		},
		ModifyResponse: p.afterUpstream,
	}
	p.server = &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = p.server.Serve(ln) }()
	return p, nil
}

// URL is the proxy's base URL; point the provider's endpoints (IAM and STS) at it.
func (p *Proxy) URL() string { return "http://" + p.listener.Addr().String() }

// Close stops the proxy.
func (p *Proxy) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = p.server.Shutdown(ctx)
}

// SetEnabled turns injection on or off; counting goes on either way.
func (p *Proxy) SetEnabled(on bool) {
	p.mu.Lock()
	p.enabled = on
	p.mu.Unlock()
}

// SettlePropagation disarms every pending NoSuchEntity: the entities created so far have propagated.
// Call it before a step that runs in a new provider process (the next plan), which rightly takes
// NoSuchEntity for an entity it did not create as "deleted out of band".
func (p *Proxy) SettlePropagation() {
	p.mu.Lock()
	p.notFound = map[string]int{}
	p.mu.Unlock()
}

// LoseNextResponseOf arms the proxy to lose the answer of the next write of each action (executed by
// the emulator, its response lost, as with LostWriteResponseShare), whatever the order of requests
// and the seed: a test that must see every kind of write survive a lost answer arms them all.
func (p *Proxy) LoseNextResponseOf(actions ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.loseNext == nil {
		p.loseNext = map[string]int{}
	}
	for _, a := range actions {
		p.loseNext[a]++
	}
}

// ResetCounters zeroes the counters, the event log and the recording (not the random source nor the
// fault budget).
func (p *Proxy) ResetCounters() {
	p.mu.Lock()
	p.injected = map[string]int{}
	p.forwarded = map[string]int{}
	p.events = nil
	p.recorded = nil
	p.mu.Unlock()
}

// Injected returns the injected faults by "<Fault>:<Action>", e.g. "Throttling:CreateUser" => 2.
func (p *Proxy) Injected() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return copyCounts(p.injected)
}

// InjectedOf is the number of faults of one kind injected so far.
func (p *Proxy) InjectedOf(f Fault) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for k, v := range p.injected {
		if strings.HasPrefix(k, string(f)+":") {
			n += v
		}
	}
	return n
}

// InjectedErrors is the number of injected errors (every fault but latency) counted against MaxFaults.
func (p *Proxy) InjectedErrors() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.errors
}

// Forwarded returns the requests that reached the emulator, by action ("CreateUser" => 12).
func (p *Proxy) Forwarded() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return copyCounts(p.forwarded)
}

// ForwardedTotal is the number of requests that reached the emulator.
func (p *Proxy) ForwardedTotal() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, v := range p.forwarded {
		n += v
	}
	return n
}

// Created returns how many times each entity was created successfully through the proxy, by
// "<kind>:<name>" (kinds: user, group, role, policy (by policy name), loginprofile, instanceprofile).
// A value above 1 means the entity was deleted and made again: "nothing created twice" fails.
func (p *Proxy) Created() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return copyCounts(p.created)
}

// WaitForwarded blocks until at least n requests of action have reached the emulator, or ctx ends.
// Tests use it to interrupt an apply midway, e.g. after the 5th CreateUser.
func (p *Proxy) WaitForwarded(ctx context.Context, action string, n int) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		p.mu.Lock()
		got := p.forwarded[action]
		p.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d %s requests (saw %d): %w", n, action, got, ctx.Err())
		case <-t.C:
		}
	}
}

// Events returns every IAM request seen so far in arrival order, with the fault it got.
func (p *Proxy) Events() []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Event(nil), p.events...)
}

// Summary renders the counters on one line, for test logs.
func (p *Proxy) Summary() string {
	inj, fwd := p.Injected(), p.Forwarded()
	return fmt.Sprintf("forwarded %d requests (%s); injected %s", p.ForwardedTotal(), renderCounts(fwd), renderCounts(inj))
}

type requestInfo struct {
	action    string
	entityKey string // entity a request names, or a create makes
	dependsOn string // entity a create needs (the user of CreateLoginProfile)
	renamedTo string // the new name of an UpdateUser that renames
	password  passwordSent
	read      bool
	sts       bool
}

type requestInfoKey struct{}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	info, err := parseRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if info.action == "" || info.sts {
		p.forward(w, r, info)
		return
	}

	fault, delay, loseResponse := p.decide(info)
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	switch fault {
	case FaultThrottling:
		writeIAMError(w, http.StatusBadRequest, "Sender", "Throttling", "Rate exceeded")
		return
	case FaultUnavailable:
		writeIAMError(w, http.StatusServiceUnavailable, "Receiver", "ServiceUnavailable", "Service is unavailable, please try again")
		return
	case FaultNoSuchEntity:
		writeIAMError(w, http.StatusNotFound, "Sender", "NoSuchEntity", "The entity "+info.entityKey+" cannot be found (injected by the fault proxy: eventual consistency after create).")
		return
	case FaultReset:
		iamfake.ResetConnection(w)
		return
	}
	if loseResponse {
		// The write runs at the emulator; only its answer is lost.
		p.forward(httptest.NewRecorder(), r, info)
		iamfake.ResetConnection(w)
		return
	}
	p.forward(w, r, info)
}

func (p *Proxy) forward(w http.ResponseWriter, r *http.Request, info requestInfo) {
	p.mu.Lock()
	key := info.action
	if key == "" {
		key = "(other)"
	}
	p.forwarded[key]++
	record := p.cfg.Record
	p.mu.Unlock()
	send := func(w http.ResponseWriter, r *http.Request) {
		p.proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
	}
	if record {
		p.forwardRecording(w, r, key, send)
		return
	}
	send(w, r)
}

// decide draws the fault of one IAM request. It always draws three numbers so that the sequence of
// decisions depends only on the seed and the order of requests.
func (p *Proxy) decide(info requestInfo) (fault Fault, delay time.Duration, loseResponse bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	faultDraw, latencyDraw, lostDraw := p.rng.Float64(), p.rng.Float64(), p.rng.Float64()
	budget := p.cfg.MaxFaults < 0 || p.errors < p.cfg.MaxFaults
	record := func(f Fault) {
		p.injected[string(f)+":"+info.action]++
		if f != FaultLatency {
			p.errors++
		}
	}
	if p.enabled {
		if p.cfg.LatencyShare > 0 && latencyDraw < p.cfg.LatencyShare {
			delay = p.cfg.Latency
			record(FaultLatency)
		}
		switch {
		case !budget:
		case p.takeNotFound(info):
			fault = FaultNoSuchEntity
		case faultDraw < p.cfg.ThrottlingShare:
			fault = FaultThrottling
		case faultDraw < p.cfg.ThrottlingShare+p.cfg.UnavailableShare:
			fault = FaultUnavailable
		case faultDraw < p.cfg.ThrottlingShare+p.cfg.UnavailableShare+p.cfg.ResetShare:
			fault = FaultReset
		case !info.read && p.loseNext[info.action] > 0:
			p.loseNext[info.action]--
			loseResponse = true
			record(FaultLostResponse)
		case !info.read && lostDraw < p.cfg.LostWriteResponseShare:
			loseResponse = true
			record(FaultLostResponse)
		}
		if fault != "" {
			record(fault)
		}
	}
	p.events = append(p.events, Event{Action: info.action, Fault: fault})
	if loseResponse {
		p.events[len(p.events)-1].Fault = FaultLostResponse
	}
	return fault, delay, loseResponse
}

// takeNotFound spends one of the NoSuchEntity answers armed for the entity the request names.
// Called with p.mu held.
func (p *Proxy) takeNotFound(info requestInfo) bool {
	if !info.read && (!p.cfg.NotFoundIncludesWrites || strings.HasPrefix(info.action, "Delete")) {
		return false
	}
	key := info.entityKey
	if _, isCreate := createdEntity[info.action]; isCreate {
		key = info.dependsOn // a create names what it makes; it can only miss what it needs
	}
	if key == "" || p.notFound[key] <= 0 {
		return false
	}
	p.notFound[key]--
	return true
}

// afterUpstream arms NoSuchEntity for the reads that follow a successful create. It runs before the
// client sees the create's answer, so no read can slip in between.
func (p *Proxy) afterUpstream(resp *http.Response) error {
	info, _ := resp.Request.Context().Value(requestInfoKey{}).(requestInfo)
	if err := p.afterUpstreamLag(resp, info); err != nil {
		return err
	}
	p.notePassword(resp, info)
	if _, isCreate := createdEntity[info.action]; !isCreate || resp.StatusCode/100 != 2 || info.entityKey == "" {
		return nil
	}
	p.mu.Lock()
	p.created[info.entityKey]++
	if p.cfg.NotFoundReadsAfterCreate > 0 {
		p.notFound[info.entityKey] = p.cfg.NotFoundReadsAfterCreate
	}
	p.mu.Unlock()
	return nil
}

// stsActions pass through the proxy untouched.
var stsActions = map[string]bool{"GetCallerIdentity": true, "AssumeRole": true, "GetSessionToken": true, "AssumeRoleWithWebIdentity": true}

// createdEntity maps a create action to the kind of entity it makes, and the form field naming it.
var createdEntity = map[string][2]string{
	"CreateUser":            {"user", "UserName"},
	"CreateGroup":           {"group", "GroupName"},
	"CreateRole":            {"role", "RoleName"},
	"CreatePolicy":          {"policy", "PolicyName"},
	"CreateLoginProfile":    {"loginprofile", "UserName"},
	"CreateInstanceProfile": {"instanceprofile", "InstanceProfileName"},
}

func parseRequest(r *http.Request) (requestInfo, error) {
	form := r.URL.Query()
	if r.Body != nil && r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return requestInfo{}, fmt.Errorf("reading request body: %w", err)
		}
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		values, err := url.ParseQuery(string(body))
		if err != nil {
			return requestInfo{}, fmt.Errorf("parsing form body: %w", err)
		}
		for k, v := range values {
			form[k] = append(form[k], v...)
		}
	}
	action := form.Get("Action")
	info := requestInfo{action: action, sts: stsActions[action], password: passwordOf(action, form)}
	if action == "" {
		return info, nil
	}
	if ce, ok := createdEntity[action]; ok {
		info.entityKey = ce[0] + ":" + form.Get(ce[1])
		// A login profile is created for an existing user: while the user propagates, that fails too.
		if action == "CreateLoginProfile" {
			info.dependsOn = "user:" + form.Get("UserName")
		}
		return info, nil
	}
	info.read = awscore.IsReadOperation(action)
	if action == "UpdateUser" {
		info.renamedTo = form.Get("NewUserName")
	}
	switch {
	case action == "GetLoginProfile":
		info.entityKey = "loginprofile:" + form.Get("UserName")
	case form.Get("UserName") != "":
		info.entityKey = "user:" + form.Get("UserName")
	case form.Get("GroupName") != "":
		info.entityKey = "group:" + form.Get("GroupName")
	case form.Get("RoleName") != "":
		info.entityKey = "role:" + form.Get("RoleName")
	case form.Get("PolicyArn") != "":
		arn := form.Get("PolicyArn")
		info.entityKey = "policy:" + arn[strings.LastIndex(arn, "/")+1:]
	case form.Get("InstanceProfileName") != "":
		info.entityKey = "instanceprofile:" + form.Get("InstanceProfileName")
	}
	return info, nil
}

func writeIAMError(w http.ResponseWriter, status int, typ, code, message string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>faultproxy-%d</RequestId></ErrorResponse>`,
		typ, code, xmlEscape(message), time.Now().UnixNano())
}

func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func copyCounts(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func renderCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
