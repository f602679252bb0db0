package faultproxy

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sync"
)

// Counter is the counting proxy: it forwards every request to upstream, unchanged, and counts it
// under "<service>:<Action>" (service from the SigV4 credential scope, e.g. "iam:GetUser") in the
// current bucket. A test opens a new bucket per Terraform command (NextBucket), so each command's
// requests are told apart. Reads and writes are told apart by awscore.IsReadOperation, like
// everywhere else.
type Counter struct {
	listener net.Listener
	server   *http.Server

	mu      sync.Mutex
	buckets []map[string]int
	header  http.Header // added to every forwarded request (SetUpstreamHeader)
}

// SetUpstreamHeader adds a header to every request forwarded from now on. Tests use moto's
// x-moto-account-id to run in an account of their own (a fresh one: no credential report yet).
func (c *Counter) SetUpstreamHeader(key, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.header == nil {
		c.header = http.Header{}
	}
	c.header.Set(key, value)
}

// NewCounter starts a Counter on 127.0.0.1 at a free port in front of upstream.
func NewCounter(upstream string) (*Counter, error) {
	u, err := url.Parse(upstream)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("upstream endpoint %q is not a URL: %v", upstream, err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c := &Counter{listener: l, buckets: []map[string]int{{}}}
	rp := httputil.NewSingleHostReverseProxy(u)
	c.server = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		c.count(serviceOf(r.Header.Get("Authorization")) + ":" + form.Get("Action"))
		c.mu.Lock()
		for k, v := range c.header {
			r.Header[k] = v
		}
		c.mu.Unlock()
		rp.ServeHTTP(w, r)
	})}
	go func() { _ = c.server.Serve(l) }()
	return c, nil
}

// URL is the proxy's base URL, to use as the IAM and STS endpoint.
func (c *Counter) URL() string { return "http://" + c.listener.Addr().String() }

// Close stops the proxy.
func (c *Counter) Close() { _ = c.server.Close() }

var credentialScope = regexp.MustCompile(`Credential=[^/]+/[^/]+/[^/]+/([^/]+)/`)

// serviceOf is the service of a SigV4 Authorization header ("iam", "sts"), or "unsigned".
func serviceOf(authorization string) string {
	if m := credentialScope.FindStringSubmatch(authorization); m != nil {
		return m[1]
	}
	return "unsigned"
}

func (c *Counter) count(key string) {
	c.mu.Lock()
	c.buckets[len(c.buckets)-1][key]++
	c.mu.Unlock()
}

// NextBucket opens a new bucket: what is forwarded from now on counts there.
func (c *Counter) NextBucket() {
	c.mu.Lock()
	c.buckets = append(c.buckets, map[string]int{})
	c.mu.Unlock()
}

// Mark is the position of the next bucket.
func (c *Counter) Mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.buckets)
}

// Since returns the counts of the buckets opened at or after mark that saw requests.
func (c *Counter) Since(mark int) []map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []map[string]int
	for _, b := range c.buckets[min(mark, len(c.buckets)):] {
		if len(b) > 0 {
			out = append(out, maps.Clone(b))
		}
	}
	return out
}
