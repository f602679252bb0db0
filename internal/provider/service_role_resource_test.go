package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// The emulator stores policy documents as sent. Real IAM hands them back URL-encoded and
// reordered; these tests play that part with canned responses and record what the provider sends.

const (
	renderedTrust = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "TrustServices",
      "Effect": "Allow",
      "Principal": {
        "Service": [
          "ec2.amazonaws.com"
        ]
      },
      "Action": [
        "sts:AssumeRole"
      ]
    }
  ]
}`
	// What IAM returns for it: reordered, scalars for one-element lists, URL-encoded.
	awsTrust        = `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Sid":"TrustServices"}],"Version":"2012-10-17"}`
	userInline      = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter"],"Resource":["arn:aws:ssm:us-east-1:123456789012:parameter/app/*"]}]}`
	awsInline       = `{"Statement":[{"Resource":"arn:aws:ssm:us-east-1:123456789012:parameter/app/*","Effect":"Allow","Action":"ssm:GetParameter"}],"Version":"2012-10-17"}`
	foreignInline   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	readOnlyARN     = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	foreignARN      = "arn:aws:iam::aws:policy/AdministratorAccess"
	fakeRoleName    = "app"
	fakeProfileARN  = "arn:aws:iam::123456789012:instance-profile/app"
	fakeRoleARN     = "arn:aws:iam::123456789012:role/app"
	fakeRoleID      = "AROAEXAMPLE"
	fakeDescription = "app servers"
)

// newServiceRoleFake is an account holding the role app as IAM returns it (documents URL-encoded
// and reordered); with foreign, a managed policy and an inline policy attached out of band too.
// Every write succeeds with an empty result.
func newServiceRoleFake(foreign bool) *iamfake.Fake {
	member := func(inner string) string { return "<member>" + inner + "</member>" }
	policies := member("<PolicyName>ReadOnlyAccess</PolicyName><PolicyArn>" + readOnlyARN + "</PolicyArn>")
	inline := member("<PolicyName>read-config</PolicyName><PolicyDocument>" + url.PathEscape(awsInline) + "</PolicyDocument>")
	names := member("read-config")
	if foreign {
		policies += member("<PolicyName>AdministratorAccess</PolicyName><PolicyArn>" + foreignARN + "</PolicyArn>")
		inline += member("<PolicyName>backdoor</PolicyName><PolicyDocument>" + url.PathEscape(foreignInline) + "</PolicyDocument>")
		names += member("backdoor")
	}
	profile := member("<InstanceProfileName>app</InstanceProfileName><InstanceProfileId>AIPA</InstanceProfileId><Path>/</Path><Arn>" + fakeProfileARN + "</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><Roles></Roles>")
	tags := "<Tags>" + member("<Key>Team</Key><Value>platform</Value>") + member("<Key>ManagedBy</Key><Value>terraform</Value>") + "</Tags>"
	role := "<RoleName>" + fakeRoleName + "</RoleName><Path>/</Path><Arn>" + fakeRoleARN + "</Arn><RoleId>" + fakeRoleID + "</RoleId>" +
		"<CreateDate>2026-01-01T00:00:00Z</CreateDate>" +
		"<AssumeRolePolicyDocument>" + url.PathEscape(awsTrust) + "</AssumeRolePolicyDocument>"
	return iamfake.New(map[string]string{
		"GetAccountAuthorizationDetails": `<IsTruncated>false</IsTruncated><UserDetailList/><GroupDetailList/><Policies/><RoleDetailList>` +
			member(role+"<AttachedManagedPolicies>"+policies+"</AttachedManagedPolicies><RolePolicyList>"+inline+"</RolePolicyList>"+
				"<InstanceProfileList>"+profile+"</InstanceProfileList>"+tags) + `</RoleDetailList>`,
		"ListUsers":                   `<IsTruncated>false</IsTruncated><Users/>`,
		"ListVirtualMFADevices":       `<IsTruncated>false</IsTruncated><VirtualMFADevices/>`,
		"GetRole":                     `<Role>` + role + `<Description>` + fakeDescription + `</Description><MaxSessionDuration>3600</MaxSessionDuration>` + tags + `</Role>`,
		"ListAttachedRolePolicies":    `<IsTruncated>false</IsTruncated><AttachedPolicies>` + policies + `</AttachedPolicies>`,
		"ListRolePolicies":            `<IsTruncated>false</IsTruncated><PolicyNames>` + names + `</PolicyNames>`,
		"ListInstanceProfilesForRole": `<IsTruncated>false</IsTruncated><InstanceProfiles>` + profile + `</InstanceProfiles>`,
	}).Handle("GetRolePolicy", func(form url.Values) iamfake.Reply {
		doc := awsInline
		if form.Get("PolicyName") == "backdoor" {
			doc = foreignInline
		}
		return iamfake.OK(`<RoleName>` + fakeRoleName + `</RoleName><PolicyName>` + form.Get("PolicyName") + `</PolicyName><PolicyDocument>` + url.PathEscape(doc) + `</PolicyDocument>`)
	}).Otherwise(iamfake.Empty)
}

// writesTo returns the writes fake received, in order.
func writesTo(fake *iamfake.Fake) []string {
	return awscore.Writes(fake.Actions())
}

// newFakeClient is a client of fake (credentials not validated; cfg says the rest).
func newFakeClient(t *testing.T, fake *iamfake.Fake, cfg awsiam.Config) *awsiam.Client {
	t.Helper()
	cfg.IAMEndpoint, cfg.SkipCredentialsValidation = fake.Start(t), true
	client, err := awsiam.NewClient(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// serviceRoleOn is the resource, configured with client.
func serviceRoleOn(client *awsiam.Client) *serviceRoleResource {
	r := &serviceRoleResource{}
	r.client = client
	return r
}

// refreshedServiceRole is the resource on the fake of newServiceRoleFake(false) and the role a
// refresh finds there.
func refreshedServiceRole(t *testing.T) (*serviceRoleResource, *iamfake.Fake, *awsiam.Role) {
	t.Helper()
	fake := newServiceRoleFake(false)
	r := serviceRoleOn(fakeClient(t, fake))
	role, err := r.client.FindRole(context.Background(), fakeRoleName)
	if err != nil {
		t.Fatal(err)
	}
	return r, fake, role
}

func fakeClient(t *testing.T, fake *iamfake.Fake) *awsiam.Client {
	t.Helper()
	return newFakeClient(t, fake, awsiam.Config{MaxRetries: 1, DefaultTags: map[string]string{"ManagedBy": "terraform"}})
}

func priorServiceRole(t *testing.T) serviceRoleModel {
	t.Helper()
	return serviceRoleModel{
		ID:                    types.StringValue(fakeRoleName),
		Name:                  types.StringValue(fakeRoleName),
		Description:           types.StringValue(fakeDescription),
		Path:                  types.StringValue("/"),
		TrustedServices:       setKeepingNull([]string{"ec2.amazonaws.com"}, types.SetNull(types.StringType)),
		TrustedAccountIDs:     types.SetNull(types.StringType),
		RequireMFA:            types.BoolValue(false),
		ExternalID:            types.StringNull(),
		ManagedPolicyARNs:     setKeepingNull([]string{readOnlyARN}, types.SetNull(types.StringType)),
		InlinePolicies:        mapKeepingNull(map[string]string{"read-config": userInline}, types.MapNull(types.StringType)),
		CreateInstanceProfile: types.BoolValue(true),
		MaxSessionDuration:    types.Int64Value(3600),
		PermissionsBoundary:   types.StringNull(),
		Tags:                  mapKeepingNull(map[string]string{"Team": "platform"}, types.MapNull(types.StringType)),
		ARN:                   types.StringValue(fakeRoleARN),
		UniqueID:              types.StringValue(fakeRoleID),
		InstanceProfileARN:    types.StringValue(fakeProfileARN),
		TrustPolicy:           types.StringValue(renderedTrust),
	}
}

// A refresh against documents IAM has URL-encoded and reordered keeps the state as it was, and
// the provider's default tags do not leak into the resource's own tags.
func TestServiceRoleReadKeepsEquivalentDocuments(t *testing.T) {
	r, fake, role := refreshedServiceRole(t)
	ctx := context.Background()
	prior := priorServiceRole(t)
	got, diags := r.modelFromRole(ctx, role, prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"trust_policy", got.TrustPolicy, prior.TrustPolicy},
		{"inline_policies", got.InlinePolicies, prior.InlinePolicies},
		{"managed_policy_arns", got.ManagedPolicyARNs, prior.ManagedPolicyARNs},
		{"tags", got.Tags, prior.Tags},
		{"trusted_services", got.TrustedServices, prior.TrustedServices},
		{"description", got.Description, prior.Description},
		{"instance_profile_arn", got.InstanceProfileARN, prior.InstanceProfileARN},
		{"create_instance_profile", got.CreateInstanceProfile, prior.CreateInstanceProfile},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s after refresh = %v, want %v", c.name, c.got, c.want)
		}
	}
	if w := writesTo(fake); len(w) > 0 {
		t.Errorf("a refresh sent writes: %v", w)
	}
	// One bulk read (GetAccountAuthorizationDetails; a role needs neither ListUsers nor
	// ListVirtualMFADevices) plus GetRole for the description and session duration.
	if got := r.client.Calls.Total(); got != 2 {
		t.Errorf("a refresh of one role cost %d calls (%s), want 2", got, r.client.Calls.Summary())
	}
}

// Import recovers the trust arguments from the URL-encoded trust policy.
func TestServiceRoleImportRecoversTrustArguments(t *testing.T) {
	r, _, role := refreshedServiceRole(t)
	ctx := context.Background()
	empty := serviceRoleModel{
		TrustedServices: types.SetNull(types.StringType), TrustedAccountIDs: types.SetNull(types.StringType),
		ManagedPolicyARNs: types.SetNull(types.StringType), InlinePolicies: types.MapNull(types.StringType),
		Tags: types.MapNull(types.StringType),
	}
	got, diags := r.modelFromRole(ctx, role, empty)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if want := setKeepingNull([]string{"ec2.amazonaws.com"}, empty.TrustedServices); !got.TrustedServices.Equal(want) {
		t.Errorf("trusted_services = %v, want %v", got.TrustedServices, want)
	}
	if !got.TrustedAccountIDs.IsNull() || got.RequireMFA.ValueBool() || !got.ExternalID.IsNull() {
		t.Errorf("account trust recovered from a service-only policy: %v %v %v", got.TrustedAccountIDs, got.RequireMFA, got.ExternalID)
	}
	if !policiesEquivalent(got.TrustPolicy.ValueString(), renderedTrust) {
		t.Errorf("trust_policy = %s", got.TrustPolicy.ValueString())
	}
	if strings.Contains(got.TrustPolicy.ValueString(), "%7B") {
		t.Errorf("trust_policy kept URL-encoding: %s", got.TrustPolicy.ValueString())
	}
}

// An apply against equivalent documents sends no policy writes; attachments and inline policies
// made out of band are removed (exclusive management); only the changed tag is written.
func TestServiceRoleUpdateSendsOnlyWhatDiffers(t *testing.T) {
	fake := newServiceRoleFake(true)
	r := serviceRoleOn(fakeClient(t, fake))
	ctx := context.Background()
	old, err := r.client.FindRoleDirect(ctx, fakeRoleName)
	if err != nil {
		t.Fatal(err)
	}
	spec := awsiam.RoleSpec{
		Name: fakeRoleName, Path: "/", Description: fakeDescription, TrustPolicy: renderedTrust, MaxSessionDuration: 3600,
		Tags:              r.client.MergeTags(map[string]string{"Team": "data"}),
		ManagedPolicyARNs: []string{readOnlyARN},
		InlinePolicies:    map[string]string{"read-config": userInline},
		InstanceProfile:   true,
	}
	normalizeRoleAgainstSpec(old, spec)
	profile, err := r.client.UpdateRole(ctx, *old, spec)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.client.Calls.Counts()["IAM:GetAccountAuthorizationDetails"]; ok {
		t.Errorf("an update reloaded the snapshot: %s", r.client.Calls.Summary())
	}
	if profile != fakeProfileARN {
		t.Errorf("instance profile = %q, want %q", profile, fakeProfileARN)
	}
	writes := writesTo(fake)
	slices.Sort(writes)
	if want := []string{"DeleteRolePolicy", "DetachRolePolicy", "TagRole"}; !slices.Equal(writes, want) {
		t.Fatalf("writes = %v, want %v", writes, want)
	}
	if got := fake.Find("DetachRolePolicy").Get("PolicyArn"); got != foreignARN {
		t.Errorf("detached %q, want %q", got, foreignARN)
	}
	if got := fake.Find("DeleteRolePolicy").Get("PolicyName"); got != "backdoor" {
		t.Errorf("deleted inline policy %q, want backdoor", got)
	}
	tag := fake.Find("TagRole")
	if tag.Get("Tags.member.1.Key") != "Team" || tag.Get("Tags.member.1.Value") != "data" || tag.Get("Tags.member.2.Key") != "" {
		t.Errorf("TagRole sent %v, want only Team=data", tag)
	}
}

func TestServiceRoleValidation(t *testing.T) {
	ec2 := []string{"ec2.amazonaws.com"}
	good := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}`
	var big []string
	for i := 0; i < 400; i++ {
		big = append(big, fmt.Sprintf("arn:aws:s3:::some-long-bucket-name-%04d/*", i))
	}
	bigDoc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Action": "s3:GetObject", "Resource": big}}})
	var policyARNs []string
	for i := 0; i < 21; i++ {
		policyARNs = append(policyARNs, fmt.Sprintf("arn:aws:iam::123456789012:policy/p%d", i))
	}
	fiftyOne := map[string]string{}
	for i := 0; i < 51; i++ {
		fiftyOne[fmt.Sprintf("Tag%02d", i)] = "x"
	}
	with := func(extra map[string]any) map[string]any {
		m := map[string]any{"name": "app"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name      string
		attrs     map[string]any
		attribute string
		want      string
	}{
		{"ec2 role", with(map[string]any{"trusted_services": ec2, "inline_policies": map[string]string{"read": good}}), "", ""},
		{"cross-account role", with(map[string]any{"trusted_account_ids": []string{"123456789012"}, "require_mfa": true, "external_id": "abc:def/1"}), "", ""},
		{"no trust source", with(nil), "trusted_services", "at least one trust source"},
		{"empty trust sources", with(map[string]any{"trusted_services": []string{}}), "trusted_services", "at least 1"},
		{"mfa without accounts", with(map[string]any{"trusted_services": ec2, "require_mfa": true}), "require_mfa", "needs trusted_account_ids"},
		{"external id without accounts", with(map[string]any{"trusted_services": ec2, "external_id": "abcdef"}), "external_id", "needs trusted_account_ids"},
		{"external id too short", with(map[string]any{"trusted_account_ids": []string{"123456789012"}, "external_id": "a"}), "external_id", "between 2 and 1224"},
		{"external id bad character", with(map[string]any{"trusted_account_ids": []string{"123456789012"}, "external_id": "has space"}), "external_id", "may contain only"},
		{"not a service principal", with(map[string]any{"trusted_services": []string{"ec2"}}), "trusted_services", "service principal"},
		{"bad account id", with(map[string]any{"trusted_account_ids": []string{"12345"}}), "trusted_account_ids", "12-digit"},
		{"name too long", map[string]any{"name": strings.Repeat("a", 65), "trusted_services": ec2}, "name", "between 1 and 64"},
		{"name bad character", map[string]any{"name": "my role", "trusted_services": ec2}, "name", "may contain only"},
		{"session too short", with(map[string]any{"trusted_services": ec2, "max_session_duration": 600}), "max_session_duration", "between 3600 and 43200"},
		{"session too long", with(map[string]any{"trusted_services": ec2, "max_session_duration": 43201}), "max_session_duration", "between 3600 and 43200"},
		{"bad managed policy arn", with(map[string]any{"trusted_services": ec2, "managed_policy_arns": []string{"ReadOnlyAccess"}}), "managed_policy_arns", "is not an ARN"},
		{"too many managed policies", with(map[string]any{"trusted_services": ec2, "managed_policy_arns": policyARNs}), "managed_policy_arns", "has 21 elements, at most 20 allowed: IAM attaches at most 20 managed policies to a role"},
		// 11 to 20 need a raised quota, which a plan cannot see: IAM's LimitExceeded is explained at apply.
		{"twenty managed policies pass the plan", with(map[string]any{"trusted_services": ec2, "managed_policy_arns": policyARNs[:20]}), "", ""},
		{"too many tags", with(map[string]any{"trusted_services": ec2, "tags": fiftyOne}), "tags", "has 51 elements, at most 50 allowed: IAM allows at most 50 tags per entity"},
		{"bad boundary", with(map[string]any{"trusted_services": ec2, "permissions_boundary": "arn:aws:s3:::bucket"}), "permissions_boundary", `expected "iam"`},
		{"bad path", with(map[string]any{"trusted_services": ec2, "path": "app"}), "path", "begin and end"},
		{"inline policy not json", with(map[string]any{"trusted_services": ec2, "inline_policies": map[string]string{"broken": "{not json"}}), `ElementKeyString("broken")`, "json"},
		{"inline policy too large", with(map[string]any{"trusted_services": ec2, "inline_policies": map[string]string{"huge": string(bigDoc)}}), `ElementKeyString("huge")`, "size"},
		{"inline policy admin star", with(map[string]any{"trusted_services": ec2, "inline_policies": map[string]string{"admin": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}}), `ElementKeyString("admin")`, "admin-star"},
		{"inline policy bad name", with(map[string]any{"trusted_services": ec2, "inline_policies": map[string]string{"bad name": good}}), "inline_policies", "may contain only"},
		{"bad tag key", with(map[string]any{"trusted_services": ec2, "tags": map[string]string{"aws:owner": "x"}}), "tags", "aws:"},
		{"trusted principals", with(map[string]any{"trusted_principal_arns": []string{"arn:aws:iam::111122223333:role/ci/deployer", "arn:aws:iam::111122223333:root"}, "external_id": "abc"}), "", ""},
		{"mfa with a role principal", with(map[string]any{"trusted_principal_arns": []string{"arn:aws:iam::111122223333:role/ci/deployer", "arn:aws:iam::111122223333:root"}, "require_mfa": true}), "trusted_principal_arns", "arn:aws:iam::111122223333:role/ci/deployer could never assume this role. Trust the IAM users"},
		{"mfa with a role principal names the fix", with(map[string]any{"trusted_principal_arns": []string{"arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"}, "require_mfa": true}), "trusted_principal_arns", "or remove require_mfa here and require MFA where people start (in the trust policy of those roles')"},
		{"principal with wildcard", with(map[string]any{"trusted_principal_arns": []string{"arn:aws:iam::111122223333:role/*"}}), "trusted_principal_arns", "without wildcards"},
		{"principal is a group", with(map[string]any{"trusted_principal_arns": []string{"arn:aws:iam::111122223333:group/admins"}}), "trusted_principal_arns", "IAM role, an IAM user or an account root"},
		{"source arns of a supported service", with(map[string]any{"trusted_services": []string{"states.amazonaws.com"}, "source_arns": []string{"arn:aws:states:*:123456789012:stateMachine:*"}}), "", ""},
		{"source arns with ec2", with(map[string]any{"trusted_services": []string{"ec2.amazonaws.com", "states.amazonaws.com"}, "source_arns": []string{"arn:aws:states:*:123456789012:*"}}), "source_arns", "ec2.amazonaws.com is not documented to send aws:SourceArn"},
		{"source arns with lambda", with(map[string]any{"trusted_services": []string{"lambda.amazonaws.com"}, "source_arns": []string{"arn:aws:lambda:*:123456789012:function:*"}}), "source_arns", "lambda.amazonaws.com is not documented"},
		{"source arns without protection", with(map[string]any{"trusted_services": []string{"states.amazonaws.com"}, "confused_deputy_protection": false, "source_arns": []string{"arn:aws:states:*:123456789012:*"}}), "source_arns", "needs confused_deputy_protection"},
		{"source arns missing a service", with(map[string]any{"trusted_services": []string{"states.amazonaws.com", "config.amazonaws.com"}, "source_arns": []string{"arn:aws:states:*:123456789012:*"}}), "source_arns", "config.amazonaws.com"},
		{"source arns without services", with(map[string]any{"trusted_account_ids": []string{"123456789012"}, "source_arns": []string{"arn:aws:states:*:123456789012:*"}}), "source_arns", "needs trusted_services"},
		{"source arn not an arn", with(map[string]any{"trusted_services": []string{"states.amazonaws.com"}, "source_arns": []string{"states:*"}}), "source_arns", "must be an ARN"},
		{"mfa with principals only", with(map[string]any{"trusted_principal_arns": []string{"arn:aws:iam::111122223333:user/a"}, "require_mfa": true}), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectDiagnostic(t, validateConfig(t, resourceSchema, "iambaseline_service_role", tc.attrs), tc.want, tc.attribute)
		})
	}
}

// What needs the account and its partition is checked at plan time, before any API call: the
// partition of trusted principals, and the partition, account and service of source ARNs.
func TestServiceRoleCheckTrustARNs(t *testing.T) {
	fake := iamfake.New(map[string]string{"GetCallerIdentity": iamfake.CallerIdentity("123456789012")}).Otherwise(iamfake.Empty)
	stsURL := fake.Start(t)
	r := serviceRoleOn(newFakeClient(t, fake, awsiam.Config{MaxRetries: 1, Region: "us-gov-west-1", STSEndpoint: stsURL}))
	ctx := context.Background()
	plan := func(services, principals, sources []string) serviceRoleModel {
		return serviceRoleModel{TrustedServices: setKeepingNull(services, types.SetNull(types.StringType)),
			TrustedPrincipalARNs: setKeepingNull(principals, types.SetNull(types.StringType)),
			SourceARNs:           setKeepingNull(sources, types.SetNull(types.StringType))}
	}
	states := []string{"states.amazonaws.com"}
	for _, tc := range []struct {
		name string
		m    serviceRoleModel
		want string
	}{
		{"all in the partition and account", plan(states, []string{"arn:aws-us-gov:iam::111122223333:role/x"}, []string{"arn:aws-us-gov:states:*:123456789012:stateMachine:*"}), ""},
		{"wildcard account", plan(states, nil, []string{"arn:aws-us-gov:states:*:*:stateMachine:*"}), ""},
		{"principal of another partition", plan(nil, []string{"arn:aws:iam::111122223333:role/x"}, nil), `partition "aws"`},
		{"source of another partition", plan(states, nil, []string{"arn:aws:states:*:123456789012:*"}), `partition "aws"`},
		{"source of another account", plan(states, nil, []string{"arn:aws-us-gov:states:*:210987654321:*"}), "not to this account"},
		{"source of another service", plan(states, nil, []string{"arn:aws-us-gov:config:*:123456789012:*"}), `service "config"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			r.checkTrustARNs(ctx, tc.m, &diags)
			got := ""
			for _, d := range diags.Errors() {
				got += d.Detail()
			}
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// Import recovers the new trust arguments from a role whose trust policy AWS returns reordered, and
// a trust policy the resource cannot express leaves the arguments alone with a warning.
func TestServiceRoleImportRecoversProtectionAndPrincipals(t *testing.T) {
	r := serviceRoleOn(fakeClient(t, iamfake.New(nil).Otherwise(iamfake.Empty)))
	ctx := context.Background()
	empty := serviceRoleModel{
		TrustedServices: types.SetNull(types.StringType), TrustedAccountIDs: types.SetNull(types.StringType),
		TrustedPrincipalARNs: types.SetNull(types.StringType), SourceARNs: types.SetNull(types.StringType),
		ManagedPolicyARNs: types.SetNull(types.StringType), InlinePolicies: types.MapNull(types.StringType),
		Tags: types.MapNull(types.StringType), ConfusedDeputy: types.BoolNull(),
	}
	role := &awsiam.Role{Name: "app", Path: "/", TrustPolicy: `{"Statement":[` +
		`{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"aws:SourceArn":"arn:aws:config:us-east-1:123456789012:*"}}},` +
		`{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/ci/deployer","arn:aws:iam::210987654321:root"]},"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}],"Version":"2012-10-17"}`}
	got, diags := r.modelFromRole(ctx, role, empty)
	if diags.HasError() || diags.WarningsCount() > 0 {
		t.Fatal(diags)
	}
	for name, c := range map[string][2]any{
		"confused_deputy_protection": {got.ConfusedDeputy, types.BoolValue(true)},
		"source_arns":                {got.SourceARNs, stringSet([]string{"arn:aws:config:us-east-1:123456789012:*"})},
		"trusted_principal_arns":     {got.TrustedPrincipalARNs, stringSet([]string{"arn:aws:iam::111122223333:role/ci/deployer"})},
		"trusted_account_ids":        {got.TrustedAccountIDs, stringSet([]string{"210987654321"})},
		"require_mfa":                {got.RequireMFA, types.BoolValue(true)},
	} {
		if fmt.Sprint(c[0]) != fmt.Sprint(c[1]) {
			t.Errorf("%s = %v, want %v", name, c[0], c[1])
		}
	}

	// A root written in trusted_principal_arns stays there on refresh.
	prior := got
	prior.TrustPolicy = types.StringValue("{}")
	prior.TrustedAccountIDs = types.SetNull(types.StringType)
	prior.TrustedPrincipalARNs = stringSet([]string{"arn:aws:iam::111122223333:role/ci/deployer", "arn:aws:iam::210987654321:root"})
	again, _ := r.modelFromRole(ctx, role, prior)
	if !again.TrustedAccountIDs.IsNull() || !again.TrustedPrincipalARNs.Equal(prior.TrustedPrincipalARNs) {
		t.Errorf("root moved: accounts %v, principals %v", again.TrustedAccountIDs, again.TrustedPrincipalARNs)
	}

	// The same service without the condition: protection off. EC2 alone does not say: the default.
	role.TrustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if got, _ := r.modelFromRole(ctx, role, empty); got.ConfusedDeputy.ValueBool() {
		t.Error("an unprotected Config role imported with protection on")
	}
	role.TrustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if got, _ := r.modelFromRole(ctx, role, empty); !got.ConfusedDeputy.ValueBool() {
		t.Error("an EC2 role imported without the default")
	}

	role.TrustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`
	got, diags = r.modelFromRole(ctx, role, empty)
	if diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), "cannot express") || !got.TrustedServices.IsNull() {
		t.Errorf("an unknown condition: services %v, diagnostics %v", got.TrustedServices, diags)
	}
}

// A plan that could not learn the account leaves trust_policy unknown; the apply renders it with
// the account, or fails saying why, never sending an empty trust policy.
func TestServiceRoleResolveTrustPolicyAtApply(t *testing.T) {
	plan := serviceRoleModel{
		TrustedServices: stringSet([]string{"config.amazonaws.com"}), TrustedAccountIDs: types.SetNull(types.StringType),
		TrustedPrincipalARNs: types.SetNull(types.StringType), SourceARNs: types.SetNull(types.StringType),
		RequireMFA: types.BoolValue(false), ExternalID: types.StringNull(), ConfusedDeputy: types.BoolValue(true),
		TrustPolicy: types.StringUnknown(),
	}
	ctx := context.Background()

	fake := iamfake.New(map[string]string{"GetCallerIdentity": iamfake.CallerIdentity("123456789012")}).Otherwise(iamfake.Empty)
	r := serviceRoleOn(newFakeClient(t, fake, awsiam.Config{MaxRetries: 1, SkipCredentialsValidation: true, STSEndpoint: fake.Start(t)}))
	var diags diag.Diagnostics
	got := plan
	r.resolveTrustPolicy(ctx, &got, &diags)
	if diags.HasError() || !strings.Contains(got.TrustPolicy.ValueString(), `"aws:SourceAccount": [`) || !strings.Contains(got.TrustPolicy.ValueString(), "123456789012") {
		t.Fatalf("trust policy %s, diagnostics %v", got.TrustPolicy, diags)
	}

	broken := iamfake.New(nil).Handle("GetCallerIdentity", func(url.Values) iamfake.Reply {
		return iamfake.Reply{Status: 403, Code: "AccessDenied", Message: "no"}
	}).Otherwise(iamfake.Empty)
	r = serviceRoleOn(newFakeClient(t, broken, awsiam.Config{MaxRetries: 1, SkipCredentialsValidation: true, STSEndpoint: broken.Start(t)}))
	diags = nil
	got = plan
	r.resolveTrustPolicy(ctx, &got, &diags)
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "confused_deputy_protection = false") {
		t.Fatalf("no account, yet %v / %s", diags, got.TrustPolicy)
	}
}

// What IAM accepts but cannot work as written is reported from the configuration alone (validation
// runs before the provider is configured, so before any API call): a role principal under require_mfa
// is an error (TestServiceRoleValidation); a whole account under require_mfa, and services losing
// aws:SourceAccount to confused_deputy_protection = false, are warnings naming what they cost.
func TestServiceRoleTrustWarnings(t *testing.T) {
	for _, tc := range []struct {
		name      string
		attrs     map[string]any
		attribute string
		want      []string // the detail of the one warning, or none when empty
	}{
		{"mfa with an account", map[string]any{"trusted_account_ids": []string{"111122223333"}, "require_mfa": true},
			"require_mfa", []string{"only IAM users of account 111122223333 who signed in with MFA", "IAM Identity Center"}},
		{"mfa with an account root principal", map[string]any{"trusted_principal_arns": []string{"arn:aws:iam::444455556666:root", "arn:aws:iam::111122223333:user/auditor"}, "trusted_account_ids": []string{"111122223333"}, "require_mfa": true},
			"require_mfa", []string{"accounts 111122223333 and 444455556666", "every role session of those accounts is refused"}},
		{"mfa with users only", map[string]any{"trusted_principal_arns": []string{"arn:aws:iam::111122223333:user/auditor"}, "require_mfa": true}, "", nil},
		{"an account without mfa", map[string]any{"trusted_account_ids": []string{"111122223333"}}, "", nil},
		{"protection off with protected services", map[string]any{"trusted_services": []string{"states.amazonaws.com", "ec2.amazonaws.com", "config.amazonaws.com"}, "confused_deputy_protection": false},
			"confused_deputy_protection", []string{"removes the aws:SourceAccount condition (this account) from config.amazonaws.com and states.amazonaws.com", "on behalf of any AWS account"}},
		{"protection off with one protected service", map[string]any{"trusted_services": []string{"scheduler.amazonaws.com"}, "confused_deputy_protection": false},
			"confused_deputy_protection", []string{"from scheduler.amazonaws.com: that service would then assume this role on behalf of any AWS account", "could have it act"}},
		{"protection off where nothing is protected", map[string]any{"trusted_services": []string{"ec2.amazonaws.com", "lambda.amazonaws.com"}, "confused_deputy_protection": false}, "", nil},
		{"protection on", map[string]any{"trusted_services": []string{"states.amazonaws.com"}}, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.attrs["name"] = "app"
			diags := validateConfig(t, resourceSchema, "iambaseline_service_role", tc.attrs)
			if msg := errorsOf(diags); msg != "" {
				t.Fatalf("want no error, got:\n%s", msg)
			}
			var warnings []*tfprotov6.Diagnostic
			for _, d := range diags {
				if d.Severity == tfprotov6.DiagnosticSeverityWarning {
					warnings = append(warnings, d)
				}
			}
			if len(tc.want) == 0 {
				if len(warnings) != 0 {
					t.Fatalf("want no warning, got:\n%s", diagText(warnings))
				}
				return
			}
			if len(warnings) != 1 || !strings.Contains(diagLine(warnings[0]), tc.attribute) {
				t.Fatalf("want one warning on %s, got:\n%s", tc.attribute, diagText(diags))
			}
			for _, w := range tc.want {
				if !strings.Contains(warnings[0].Detail, w) {
					t.Errorf("warning lacks %q:\n%s", w, warnings[0].Detail)
				}
			}
		})
	}
}
