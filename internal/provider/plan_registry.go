package provider

import (
	"strings"
	"sync"
)

// planRegistry is what one configured provider learns while Terraform plans the resources of one
// run (Terraform starts a provider process per run, and plans each resource instance once per walk,
// in dependency order): the groups that baselines will create, so that a user referencing one is not
// taken for a typo, and how many instances manage the account's one password policy.
// It also holds the names the instances claim (duplicates_plan.go). It lives in the providerData
// that Configure builds, so a new run (a new Configure) starts empty.
type planRegistry struct {
	mu             sync.Mutex
	groups         map[string]string // lower-case name => name
	passwordPolicy int
	claims         map[string]string // kind + "\x00" + lower-case name => description of the first claimant
}

func newPlanRegistry() *planRegistry {
	return &planRegistry{groups: map[string]string{}, claims: map[string]string{}}
}

// planGroups records the groups a baseline of this run will have.
func (r *planRegistry) planGroups(names ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		r.groups[strings.ToLower(n)] = n
	}
}

// plannedGroups are the groups baselines of this run will have.
func (r *planRegistry) plannedGroups() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.groups))
	for _, n := range r.groups {
		out = append(out, n)
	}
	return out
}

// managePasswordPolicy counts one more instance managing the account password policy and returns
// how many do.
func (r *planRegistry) managePasswordPolicy() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.passwordPolicy++
	return r.passwordPolicy
}
