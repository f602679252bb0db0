// Package iamfake is a fake IAM and STS query endpoint for unit tests that capture the requests the
// provider sends: it records each form-encoded request and answers per action, from canned results
// or from handler funcs for fakes that keep state. It imports neither awsiam nor provider, so the
// tests of both can use it.
package iamfake

import (
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
)

const (
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// Reply is the answer to one request: a result (the inner XML of <ActionResult>) or, when Code is
// set, an IAM error with Status (400 when zero).
type Reply struct {
	Result        string
	Status        int
	Code, Message string
	// Lost resets the connection instead of answering, as when the answer to a request that IAM
	// executed is lost on the network; the SDK retries such a request.
	Lost bool
}

// LostAnswer is a reply that never arrives: the connection is reset (see Reply.Lost).
func LostAnswer() Reply { return Reply{Lost: true} }

// OK is a successful reply whose <ActionResult> holds inner.
func OK(inner string) Reply { return Reply{Result: inner} }

// Error is an IAM error reply, e.g. Error(404, "NoSuchEntity", "...") or Error(409, "LimitExceeded", "...").
func Error(status int, code, message string) Reply {
	return Reply{Status: status, Code: code, Message: message}
}

// HandlerFunc answers one request; form holds its parameters, Action among them. Handlers may run
// concurrently.
type HandlerFunc func(form url.Values) Reply

// Empty answers every request with an empty result, as IAM does for most writes.
func Empty(url.Values) Reply { return Reply{} }

// Fake is an http.Handler playing IAM and STS. Configure it before the first request.
type Fake struct {
	mu       sync.Mutex
	requests []url.Values
	handlers map[string]HandlerFunc
	fallback HandlerFunc
}

// New returns a fake answering each action in results with that result (inner XML of
// <ActionResult>); any other action is refused with InvalidAction unless Otherwise says otherwise.
func New(results map[string]string) *Fake {
	f := &Fake{handlers: map[string]HandlerFunc{}}
	for action, inner := range results {
		f.Result(action, inner)
	}
	return f
}

// Result answers action with a canned result.
func (f *Fake) Result(action, inner string) *Fake {
	return f.Handle(action, func(url.Values) Reply { return OK(inner) })
}

// Fail answers action with a canned IAM error.
func (f *Fake) Fail(action string, status int, code, message string) *Fake {
	return f.Handle(action, func(url.Values) Reply { return Error(status, code, message) })
}

// Handle answers action with h.
func (f *Fake) Handle(action string, h HandlerFunc) *Fake {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[action] = h
	return f
}

// Otherwise answers the actions that have no result or handler with h (Empty: every write succeeds).
func (f *Fake) Otherwise(h HandlerFunc) *Fake {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fallback = h
	return f
}

// Start serves the fake on an httptest server closed at the end of the test and returns its URL.
// It also isolates the test from the AWS configuration of the machine (see Isolate).
func (f *Fake) Start(t TB) string {
	t.Helper()
	Isolate(t)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Isolate gives the test fake credentials and region and clears what would send the SDK elsewhere:
// endpoint variables (the emulator's, in acceptance runs), profiles, config files, instance metadata.
func Isolate(t TB) {
	t.Helper()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "", "AWS_REGION": "us-east-1",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
		"AWS_PROFILE": "", "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_IAM": "", "AWS_ENDPOINT_URL_STS": "", "AWS_MAX_ATTEMPTS": "",
	} {
		t.Setenv(k, v)
	}
}

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	for k, vs := range r.URL.Query() {
		form[k] = append(form[k], vs...)
	}
	action := form.Get("Action")
	f.mu.Lock()
	f.requests = append(f.requests, form)
	h, ok := f.handlers[action]
	if !ok {
		h = f.fallback
	}
	f.mu.Unlock()
	if h == nil {
		WriteError(w, action, http.StatusBadRequest, "InvalidAction", "unexpected "+action)
		return
	}
	reply := h(form)
	if reply.Lost {
		ResetConnection(w)
		return
	}
	if reply.Code != "" {
		status := reply.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		WriteError(w, action, status, reply.Code, reply.Message)
		return
	}
	WriteResult(w, action, reply.Result)
}

func namespace(action string) string {
	switch action {
	case "GetCallerIdentity", "AssumeRole", "GetSessionToken":
		return stsNamespace
	}
	return iamNamespace
}

// WriteResult writes the success envelope of action:
// <ActionResponse xmlns=...><ActionResult>inner</ActionResult><ResponseMetadata>...</ActionResponse>.
func WriteResult(w http.ResponseWriter, action, inner string) {
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%[1]sResponse xmlns="%[2]s"><%[1]sResult>%[3]s</%[1]sResult><ResponseMetadata><RequestId>iamfake</RequestId></ResponseMetadata></%[1]sResponse>`,
		action, namespace(action), inner)
}

// WriteError writes IAM's error body with status.
func WriteError(w http.ResponseWriter, action string, status int, code, message string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>iamfake</RequestId></ErrorResponse>`,
		namespace(action), escape(code), escape(message))
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// CallerIdentity is the result of STS GetCallerIdentity for a user "test" in account.
func CallerIdentity(account string) string {
	return `<Arn>arn:aws:iam::` + account + `:user/test</Arn><UserId>AIDATEST</UserId><Account>` + account + `</Account>`
}

// Requests returns the parameters of every request received, in order.
func (f *Fake) Requests() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.requests...)
}

// Actions returns the Action of every request received, in order.
func (f *Fake) Actions() []string {
	var out []string
	for _, r := range f.Requests() {
		out = append(out, r.Get("Action"))
	}
	return out
}

// FindAll returns the requests for action, in order.
func (f *Fake) FindAll(action string) []url.Values {
	var out []url.Values
	for _, r := range f.Requests() {
		if r.Get("Action") == action {
			out = append(out, r)
		}
	}
	return out
}

// Find returns the first request for action, or nil.
func (f *Fake) Find(action string) url.Values {
	if all := f.FindAll(action); len(all) > 0 {
		return all[0]
	}
	return nil
}

// Count returns how many requests for action were received.
func (f *Fake) Count(action string) int { return len(f.FindAll(action)) }

// Counts returns the number of requests received per action.
func (f *Fake) Counts() map[string]int {
	out := map[string]int{}
	for _, a := range f.Actions() {
		out[a]++
	}
	return out
}

// TB is the part of testing.TB the fake needs. The package does not import testing, so that the
// fault proxy (and through it the benchmark) can use ResetConnection without it.
type TB interface {
	Helper()
	Setenv(key, value string)
	Cleanup(func())
}

// ResetConnection hijacks the client's connection and closes it with SO_LINGER 0, so that the client
// reads "connection reset by peer" (which the SDK retries) rather than a clean EOF: a lost answer.
// The one connection-reset helper, for the fake and the fault proxy.
func ResetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		WriteError(w, "", http.StatusInternalServerError, "InternalFailure", "iamfake cannot hijack this connection")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
