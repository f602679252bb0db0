package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestBaselineSpecAttachments(t *testing.T) {
	s := baselineSpec{Prefix: "acme-", Style: policyStyleAWSManaged,
		Policy:     policyArgs{RoleKeys: []string{"Developers"}, EnforceMFA: true, Partition: "aws"},
		Extra:      map[string][]string{"Developers": {"arn:aws:iam::aws:policy/X"}},
		Additional: map[string]additionalGroupSpec{"Ops": {EnforceMFA: false}, "Fin": {EnforceMFA: true}, "Root": {EnforceMFA: true, OmitGuardrails: true}},
	}
	got, ok := s.attachments(func(key string) string { return "customer:" + key })
	if !ok {
		t.Fatal("incomplete")
	}
	want := map[string]string{
		"Developers": "arn:aws:iam::aws:policy/PowerUserAccess arn:aws:iam::aws:policy/X customer:guardrails customer:mfa",
		"Ops":        "customer:guardrails",
		"Fin":        "customer:guardrails customer:mfa",
		"Root":       "customer:mfa",
	}
	for k, w := range want {
		if g := strings.Join(got[k], " "); g != w {
			t.Errorf("%s: %q, want %q", k, g, w)
		}
	}
}

func TestReportForeignPolicies(t *testing.T) {
	ctx := context.Background()
	const (
		acct  = "123456789012"
		admin = "arn:aws:iam::aws:policy/AdministratorAccess"
	)
	spec := baselineSpec{Prefix: "acme-", Path: "/", Style: policyStyleLeastPrivilege,
		Policy: policyArgs{RoleKeys: []string{"ReadOnly"}, LeastPrivilege: true, EnforceMFA: true, Partition: "aws"}}
	current, _ := spec.desiredOutcome(acct, map[string]string{})
	current.Attached["ReadOnly"] = append(current.Attached["ReadOnly"], admin)
	var diags diag.Diagnostics
	state := startupGroupBaselineModel{
		NamePrefix: types.StringValue("acme-"), Path: types.StringValue("/"), PolicyStyle: types.StringValue(policyStyleLeastPrivilege),
		Groups: types.SetValueMust(types.StringType, []attr.Value{types.StringValue("ReadOnly")}), EnforceMFA: types.BoolValue(true),
		AllowFirstLoginPasswordChange: types.BoolValue(true), AllowedRegions: types.ListNull(types.StringType),
		DeveloperS3BucketARNs: types.ListNull(types.StringType), ExtraPolicyARNs: types.MapNull(stringListType),
		AdditionalGroups: types.MapNull(additionalGroupObjectType), Tags: types.MapNull(types.StringType),
	}
	current.setOn(ctx, &state, &diags)

	// Same configuration: only the out-of-band policy is reported.
	desired, _ := spec.desiredOutcome(acct, map[string]string{})
	reportForeignPolicies(ctx, state, desired, &diags)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), admin+" on group acme-ReadOnly") || strings.Contains(diags[0].Detail(), "ReadOnlyPolicy") {
		t.Fatalf("got %v", diags)
	}

	// A style switch drops the baseline's own policy: that is not foreign.
	switched := spec
	switched.Style = policyStyleAWSManaged
	switched.Policy.LeastPrivilege = false
	desired, _ = switched.desiredOutcome(acct, map[string]string{})
	diags = nil
	reportForeignPolicies(ctx, state, desired, &diags)
	if len(diags) != 1 || strings.Contains(diags[0].Detail(), "ReadOnlyPolicy") {
		t.Fatalf("got %v", diags)
	}
}
