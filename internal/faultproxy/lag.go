package faultproxy

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math/rand"
	"net/http"
	"strconv"
	"strings"
)

// Real IAM answers from replicas that lag behind its writes: for a while after a create or a rename
// a point read (GetUser of the new name) says NoSuchEntity, a bulk read (GetAccountAuthorizationDetails,
// ListUsers) does not list the entity, and GetLoginProfile right after CreateLoginProfile says there
// is none. The emulator is always consistent; these hooks of the FaultProxy imitate the lag.

// FaultStaleRead is a bulk read answered with an entity left out, as a lagging replica does.
const FaultStaleRead Fault = "StaleRead"

// HideFromBulkReads makes the next n answers of GetAccountAuthorizationDetails (and, for users,
// ListUsers) leave out the entity: kind "user", "group" or "role" and its name.
func (p *Proxy) HideFromBulkReads(kind, name string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.hidden == nil {
		p.hidden = map[string]int{}
	}
	p.hidden[kind+":"+name] = n
}

// ArmNotFound makes the next n reads naming the entity ("user:alice", "loginprofile:alice",
// "role:app", ...) answer NoSuchEntity without reaching the emulator, whoever created it.
func (p *Proxy) ArmNotFound(entityKey string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notFound[entityKey] = n
}

// afterUpstreamLag arms what a lagging replica does after a successful write: NoSuchEntity for the
// first reads of a renamed user's new name (FaultConfig.NotFoundReadsAfterRename), and the hiding
// of entities from bulk reads armed by HideFromBulkReads.
func (p *Proxy) afterUpstreamLag(resp *http.Response, info requestInfo) error {
	if resp.StatusCode/100 != 2 {
		return nil
	}
	if info.action == "UpdateUser" && info.renamedTo != "" {
		p.mu.Lock()
		if p.cfg.NotFoundReadsAfterRename > 0 {
			p.notFound["user:"+info.renamedTo] = p.cfg.NotFoundReadsAfterRename
		}
		p.mu.Unlock()
		return nil
	}
	if info.action != "GetAccountAuthorizationDetails" && info.action != "ListUsers" {
		return nil
	}
	p.mu.Lock()
	var drop []string
	for key, n := range p.hidden {
		if n <= 0 || (info.action == "ListUsers" && !strings.HasPrefix(key, "user:")) {
			continue
		}
		drop = append(drop, key)
		p.hidden[key] = n - 1
	}
	if len(drop) > 0 {
		p.injected[string(FaultStaleRead)+":"+info.action]++
	}
	p.mu.Unlock()
	if len(drop) == 0 {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return err
	}
	for _, key := range drop {
		kind, name, _ := strings.Cut(key, ":")
		switch kind {
		case "user":
			body = dropListMembers(body, "UserDetailList", "UserName", name)
			body = dropListMembers(body, "Users", "UserName", name)
		case "group":
			body = dropListMembers(body, "GroupDetailList", "GroupName", name)
		case "role":
			body = dropListMembers(body, "RoleDetailList", "RoleName", name)
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}

// dropListMembers removes from an IAM XML answer every <member> directly inside a <list> element
// whose <nameTag> child is name. Anything it cannot parse is returned unchanged.
func dropListMembers(body []byte, list, nameTag, name string) []byte {
	type span struct{ start, end int64 }
	var cut []span
	dec := xml.NewDecoder(bytes.NewReader(body))
	var stack []string
	var memberStart int64
	var memberName string
	inNameTag := false
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return body
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "member" && len(stack) > 0 && stack[len(stack)-1] == list {
				memberStart, memberName = before, ""
			}
			inNameTag = t.Name.Local == nameTag && len(stack) > 1 && stack[len(stack)-1] == "member" && stack[len(stack)-2] == list
			stack = append(stack, t.Name.Local)
		case xml.CharData:
			if inNameTag {
				memberName += string(t)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			inNameTag = false
			if t.Name.Local == "member" && len(stack) > 0 && stack[len(stack)-1] == list && memberName == name {
				cut = append(cut, span{memberStart, dec.InputOffset()})
			}
		}
	}
	if len(cut) == 0 {
		return body
	}
	var out bytes.Buffer
	last := int64(0)
	for _, s := range cut {
		out.Write(body[last:s.start])
		last = s.end
	}
	out.Write(body[last:])
	return out.Bytes()
}

// Reseed restarts the random source with seed, so that the faults of the requests that follow depend
// on the seed and their order only, not on how many requests came before (a refresh's polling).
func (p *Proxy) Reseed(seed int64) {
	p.mu.Lock()
	p.rng = rand.New(rand.NewSource(seed))
	p.mu.Unlock()
}
