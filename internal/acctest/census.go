package acctest

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// Census is what exists in IAM under a name prefix, read directly (not through Terraform nor a
// FaultProxy), for tests that assert "exactly these users, memberships and login profiles exist".
type Census struct {
	Users    map[string]CensusUser // by user name
	Groups   map[string][]string   // group name => sorted member names
	Policies []string              // customer managed policy names
}

// CensusUser is one user in a Census.
type CensusUser struct {
	Path         string
	Groups       []string // sorted
	LoginProfile bool
	Tags         map[string]string
}

// TakeCensus lists the users, groups and customer managed policies whose names start with prefix.
func TakeCensus(t testing.TB, client *iam.Client, prefix string) Census {
	t.Helper()
	ctx := context.Background()
	c := Census{Users: map[string]CensusUser{}, Groups: map[string][]string{}}
	pages := iam.NewGetAccountAuthorizationDetailsPaginator(client, &iam.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeUser, types.EntityTypeGroup},
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatalf("census: reading account authorization details: %v", err)
		}
		for _, g := range page.GroupDetailList {
			if name := aws.ToString(g.GroupName); strings.HasPrefix(name, prefix) {
				if _, ok := c.Groups[name]; !ok {
					c.Groups[name] = []string{}
				}
			}
		}
		for _, u := range page.UserDetailList {
			name := aws.ToString(u.UserName)
			if !strings.HasPrefix(name, prefix) {
				continue
			}
			cu := CensusUser{Path: aws.ToString(u.Path), Groups: append([]string{}, u.GroupList...), Tags: map[string]string{}}
			sort.Strings(cu.Groups)
			for _, tag := range u.Tags {
				cu.Tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
			}
			_, err := client.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(name)})
			switch {
			case err == nil:
				cu.LoginProfile = true
			case !awsiam.IsNotFound(err):
				t.Fatalf("census: GetLoginProfile %s: %v", name, err)
			}
			c.Users[name] = cu
			for _, g := range u.GroupList {
				c.Groups[g] = append(c.Groups[g], name)
			}
		}
	}
	// Policies from ListPolicies: the emulator's GetAccountAuthorizationDetails leaves customer
	// managed policies out, so a census reading them there saw none, ever.
	listed := iam.NewListPoliciesPaginator(client, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	policies, err := awscore.Collect(ctx, listed, func(page *iam.ListPoliciesOutput) []types.Policy { return page.Policies })
	if err != nil {
		t.Fatalf("census: listing customer managed policies: %v", err)
	}
	for _, p := range policies {
		if name := aws.ToString(p.PolicyName); strings.HasPrefix(name, prefix) {
			c.Policies = append(c.Policies, name)
		}
	}
	for g := range c.Groups {
		sort.Strings(c.Groups[g])
	}
	sort.Strings(c.Policies)
	return c
}
