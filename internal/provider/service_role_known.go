package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// What a new role's identity will be is known at plan time: its id is its name, its ARN and its
// instance profile's ARN follow from the account ID (known at configure), the partition, the path
// and the name. Known values let consuming modules use them in for_each and count.

func (r *serviceRoleResource) plannedAccount(ctx context.Context) string {
	if r.client == nil {
		return ""
	}
	id, err := r.client.AccountID(ctx)
	if err != nil {
		return ""
	}
	return id
}

// plannedProfileARN is the ARN of the instance profile the apply creates (named and pathed like the
// role), or unknown when that is not known yet.
func (r *serviceRoleResource) plannedProfileARN(ctx context.Context, plan serviceRoleModel) types.String {
	if plan.CreateInstanceProfile.IsUnknown() || !plan.CreateInstanceProfile.ValueBool() || plan.Name.IsUnknown() || plan.Path.IsUnknown() {
		return types.StringUnknown()
	}
	account := r.plannedAccount(ctx)
	if account == "" {
		return types.StringUnknown()
	}
	return types.StringValue(baseline.InstanceProfileARN(partitionOf(r.client), account, rolePath(plan), plan.Name.ValueString()))
}

// plannedProfileName follows the planned instance profile ARN.
func plannedProfileName(plan serviceRoleModel, profileARN types.String) types.String {
	switch {
	case profileARN.IsNull():
		return types.StringNull()
	case profileARN.IsUnknown():
		if !plan.Name.IsUnknown() && !plan.CreateInstanceProfile.IsUnknown() && plan.CreateInstanceProfile.ValueBool() {
			return plan.Name
		}
		return types.StringUnknown()
	}
	return instanceProfileName(profileARN.ValueString())
}

// planRoleIdentity sets id and arn of a role about to be created (or replaced).
func (r *serviceRoleResource) planRoleIdentity(ctx context.Context, plan serviceRoleModel, resp *resource.ModifyPlanResponse) {
	if plan.Name.IsUnknown() || plan.Path.IsUnknown() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), plan.Name)...)
	if account := r.plannedAccount(ctx); account != "" {
		arn := baseline.RoleARN(partitionOf(r.client), account, rolePath(plan), plan.Name.ValueString())
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("arn"), arn)...)
	}
}

func rolePath(plan serviceRoleModel) string {
	if p := plan.Path.ValueString(); p != "" {
		return p
	}
	return "/"
}

// instanceProfileName is the name in an instance profile ARN, or null.
func instanceProfileName(arn string) types.String {
	if arn == "" {
		return types.StringNull()
	}
	return types.StringValue(arn[strings.LastIndex(arn, "/")+1:])
}

// trustGrantsTheSame compares trust policies of a role in partition by what they grant: Sids,
// statement split and the case of condition keys aside.
func trustGrantsTheSame(a, b, partition string) bool {
	if policiesEquivalent(a, b) {
		return true
	}
	if same, err := baseline.PoliciesGrantTheSame(a, b); err == nil && same {
		return true
	}
	return baseline.TrustPoliciesMeanTheSame(a, b, partition)
}
