package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// quotaSize checks the number of elements of a set or map against an IAM quota at plan time, with a
// diagnostic that names the attribute, says which quota it is and how to fix the configuration (the
// generic size validators only say "must contain at most N elements").
type quotaSize struct {
	min, max int
	noun     string // what one element is: "group", "tag", "managed policy"
	quota    string // the IAM quota, in plain words
	fix      string // how to get under it
}

var (
	_ validator.Set = quotaSize{}
	_ validator.Map = quotaSize{}
)

func (v quotaSize) Description(context.Context) string {
	if v.min > 0 {
		return fmt.Sprintf("between %d and %d elements (%s)", v.min, v.max, v.quota)
	}
	return fmt.Sprintf("at most %d elements (%s)", v.max, v.quota)
}

func (v quotaSize) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v quotaSize) check(at path.Path, n int, diags *diag.Diagnostics) {
	switch {
	case n > v.max:
		diags.AddAttributeError(at, "IAM quota exceeded: too many elements",
			fmt.Sprintf("%s has %d elements, at most %d allowed: %s. %s", at, n, v.max, v.quota, v.fix))
	case n < v.min:
		diags.AddAttributeError(at, "Too few elements",
			fmt.Sprintf("%s must have at least %d element(s), got %d: add a %s.", at, v.min, n, v.noun))
	}
}

func (v quotaSize) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.check(req.Path, len(req.ConfigValue.Elements()), &resp.Diagnostics)
}

func (v quotaSize) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.check(req.Path, len(req.ConfigValue.Elements()), &resp.Diagnostics)
}

// groupsPerUserValidator: IAM puts a user in at most 10 groups.
func groupsPerUserValidator() quotaSize {
	return quotaSize{min: 1, max: maxUserGroups, noun: "group",
		quota: fmt.Sprintf("IAM puts a user in at most %d groups, a quota AWS does not raise", maxUserGroups),
		fix:   "Keep only the groups the person needs, or merge the permissions of several groups into one (e.g. with additional_groups of iambaseline_startup_group_baseline)"}
}

// rolePoliciesValidator: IAM attaches 10 managed policies to a role by default and 20 at most once
// the quota is raised. A plan cannot know whether the account raised it, so the plan refuses only what
// no account allows; between 11 and 20, IAM's LimitExceeded answer is explained at apply.
func rolePoliciesValidator() quotaSize {
	return quotaSize{max: 20, noun: "managed policy ARN",
		quota: "IAM attaches at most 20 managed policies to a role, and only 10 unless the account raised the quota via Service Quotas",
		fix:   "Combine policies into one customer managed policy, or move statements into inline_policies"}
}

// tagsValidator: IAM allows 50 tags per entity; reserved are tag keys the resource writes itself.
func tagsValidator(reserved int, what string) quotaSize {
	quota := "IAM allows at most 50 tags per entity"
	if reserved > 0 {
		quota = fmt.Sprintf("IAM allows at most 50 tags per entity and %d of them (%s) are written by this resource", reserved, what)
	}
	return quotaSize{max: 50 - reserved, noun: "tag", quota: quota,
		fix: "Remove tags, or combine several into one; the provider's default_tags count against the same quota"}
}
