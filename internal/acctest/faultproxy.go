package acctest

import (
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/faultproxy"
)

// StartFaultProxy starts a fault proxy (internal/faultproxy) in front of upstream (usually
// EmulatorEndpoint()) and stops it when the test ends.
func StartFaultProxy(t testing.TB, upstream string, cfg faultproxy.Config) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.New(upstream, cfg)
	if err != nil {
		t.Fatalf("starting fault proxy: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// StartCounter starts the counting proxy (faultproxy.Counter) in front of upstream and stops it
// when the test ends.
func StartCounter(t testing.TB, upstream string) *faultproxy.Counter {
	t.Helper()
	c, err := faultproxy.NewCounter(upstream)
	if err != nil {
		t.Fatalf("starting counting proxy: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}
