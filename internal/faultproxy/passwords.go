package faultproxy

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
)

// What password IAM holds for each user: the proxy keeps a digest (never the password) of the
// password of the last CreateLoginProfile or UpdateLoginProfile the emulator accepted, so that a
// test can check that the password the provider delivered (store_password_in_state) is the one IAM
// has, lost answers and retries included.

type passwordSent struct{ user, digest string }

func passwordOf(action string, form url.Values) passwordSent {
	if action != "CreateLoginProfile" && action != "UpdateLoginProfile" || form.Get("Password") == "" {
		return passwordSent{}
	}
	return passwordSent{user: form.Get("UserName"), digest: PasswordDigest(form.Get("Password"))}
}

// PasswordDigest is the digest PasswordDigests holds for password.
func PasswordDigest(password string) string {
	sum := sha256.Sum256([]byte(password))
	return hex.EncodeToString(sum[:])
}

func (p *Proxy) notePassword(resp *http.Response, info requestInfo) {
	if info.password.user == "" || resp.StatusCode/100 != 2 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.passwords == nil {
		p.passwords = map[string]string{}
	}
	p.passwords[info.password.user] = info.password.digest
}

// PasswordDigests returns, by user name, the PasswordDigest of the password IAM accepted last for
// the user's console sign-in.
func (p *Proxy) PasswordDigests() map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]string, len(p.passwords))
	for u, d := range p.passwords {
		out[u] = d
	}
	return out
}
