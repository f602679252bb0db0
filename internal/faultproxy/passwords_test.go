package faultproxy

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The proxy keeps the digest of the password of the last login profile write the emulator
// accepted, and of nothing it refused.
func TestFaultProxy_passwordDigests(t *testing.T) {
	status := http.StatusOK
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`<R/>`))
	}))
	t.Cleanup(upstream.Close)
	p, err := New(upstream.URL, Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	send := func(action, user, password string) {
		form := url.Values{"Action": {action}, "UserName": {user}, "Password": {password}}
		resp, err := http.Post(p.URL(), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	send("CreateLoginProfile", "alice", "first")
	send("UpdateLoginProfile", "alice", "second")
	status = http.StatusBadRequest
	send("UpdateLoginProfile", "alice", "refused")
	send("CreateLoginProfile", "bob", "refused")
	got := p.PasswordDigests()
	if len(got) != 1 || got["alice"] != PasswordDigest("second") {
		t.Fatalf("digests %v, want alice's second password only", got)
	}
	if strings.Contains(got["alice"], "second") {
		t.Fatal("the digest holds the password")
	}
}
