package baseline

import (
	"sort"
	"strings"
)

// actionsExcept returns IAM action patterns that match exactly the catalogue actions pattern matches
// (pattern is "service:Prefix*", one service, one trailing wildcard) but the excepted ones: the
// wildcard is split at the shortest prefixes that no excepted action starts with, so the grant stays
// short ("ec2:DescribeInstanceS*" rather than a list of every Describe action) and an excepted
// action never comes back when AWS adds actions next to it. Actions AWS adds later under one of the
// returned prefixes are granted like the wildcard grants them; the grant table classifies them when
// the catalogue is regenerated.
func actionsExcept(pattern string, except ...string) []string {
	svc, prefix, ok := strings.Cut(pattern, ":")
	if !ok || !strings.HasSuffix(prefix, "*") || strings.ContainsAny(strings.TrimSuffix(prefix, "*"), "*?") {
		panic("actionsExcept: want service:Prefix*, got " + pattern)
	}
	prefix = strings.TrimSuffix(prefix, "*")
	// Only actions the provider's action list (awsactions.go) knows too: the plan's lint checks every
	// pattern against that list, and an action the catalogue has but the list does not yet is left out
	// (ungranted) rather than granted by a pattern the lint cannot check.
	names := map[string]string{} // lowercase name => as AWS spells it
	for _, a := range ExpandActionPattern(pattern) {
		if !KnownAction(a) {
			continue
		}
		_, n, _ := strings.Cut(a, ":")
		names[strings.ToLower(n)] = n
	}
	excluded := map[string]bool{}
	for _, e := range except {
		es, en, _ := strings.Cut(e, ":")
		if !strings.EqualFold(es, svc) || names[strings.ToLower(en)] == "" {
			panic("actionsExcept: " + e + " is not an action " + pattern + " matches")
		}
		excluded[strings.ToLower(en)] = true
	}
	var out []string
	var cover func(p string)
	cover = func(p string) {
		hit := false
		for e := range excluded {
			if strings.HasPrefix(e, p) {
				hit = true
				break
			}
		}
		if !hit {
			// Spelled as the first action (in order) with the prefix spells it.
			first := ""
			for n := range names {
				if strings.HasPrefix(n, p) && (first == "" || n < first) {
					first = n
				}
			}
			if first != "" {
				out = append(out, svc+":"+names[first][:len(p)]+"*")
			}
			return
		}
		next := map[byte]bool{}
		for n := range names {
			if !strings.HasPrefix(n, p) {
				continue
			}
			if n == p {
				if !excluded[n] {
					out = append(out, svc+":"+names[n])
				}
				continue
			}
			next[n[len(p)]] = true
		}
		for c := range next {
			cover(p + string(c))
		}
	}
	cover(strings.ToLower(prefix))
	sort.Strings(out)
	return out
}
