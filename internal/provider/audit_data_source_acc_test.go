package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

const auditAdminDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// auditAccount is what TestAccAuditDataSource_basic prepares out of band, with the SDK.
type auditAccount struct {
	prefix                                     string
	group, adminGroup, policyARN               string
	noMFA, directAdmin, twoKeys, loner, clean  string
	noMFAARN, directARN, twoKeysARN, lonerARN  string
	cleanARN, groupARN, adminGroupARN, account string
}

func newAuditAccount() *auditAccount {
	p := acctest.RandomName("tf-acc-audit")
	return &auditAccount{
		prefix: p, group: p + "-devs", adminGroup: p + "-admins",
		noMFA: p + "-nomfa", directAdmin: p + "-direct", twoKeys: p + "-twokeys", loner: p + "-loner", clean: p + "-clean",
	}
}

// prepare creates: a console user without MFA, a user with AdministratorAccess attached directly, a
// user with two active keys, a user in no group, a clean user (group member with one fresh key), and
// a customer policy allowing "*" on "*" attached to a non-admin group and to an admin group.
func (a *auditAccount) prepare(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	api := acctest.IAM(t)
	t.Cleanup(func() { a.cleanup(api) })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("preparing the audited account: %v", err)
		}
	}
	for _, g := range []string{a.group, a.adminGroup} {
		out, err := api.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(g)})
		must(err)
		if g == a.group {
			a.groupARN = aws.ToString(out.Group.Arn)
		} else {
			a.adminGroupARN = aws.ToString(out.Group.Arn)
		}
	}
	pol, err := api.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(a.prefix + "-everything"), PolicyDocument: aws.String(auditAdminDoc)})
	must(err)
	a.policyARN = aws.ToString(pol.Policy.Arn)
	for _, g := range []string{a.group, a.adminGroup} {
		_, err := api.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(g), PolicyArn: aws.String(a.policyARN)})
		must(err)
	}
	arns := map[string]*string{a.noMFA: &a.noMFAARN, a.directAdmin: &a.directARN, a.twoKeys: &a.twoKeysARN, a.loner: &a.lonerARN, a.clean: &a.cleanARN}
	for name, arn := range arns {
		out, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
		must(err)
		*arn = aws.ToString(out.User.Arn)
		if name != a.loner {
			_, err = api.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(name), GroupName: aws.String(a.group)})
			must(err)
		}
	}
	a.account = strings.Split(a.cleanARN, ":")[4]
	_, err = api.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(a.noMFA), Password: aws.String("Tmp-" + acctest.RandomName("Pw9!"))})
	must(err)
	_, err = api.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(a.directAdmin), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
	must(err)
	for i := 0; i < 2; i++ {
		_, err = api.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(a.twoKeys)})
		must(err)
	}
	_, err = api.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(a.clean)})
	must(err)
}

func (a *auditAccount) cleanup(api *iam.Client) {
	ctx := context.Background()
	for _, u := range []string{a.noMFA, a.directAdmin, a.twoKeys, a.loner, a.clean} {
		if keys, err := api.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(u)}); err == nil {
			for _, k := range keys.AccessKeyMetadata {
				_, _ = api.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String(u), AccessKeyId: k.AccessKeyId})
			}
		}
		_, _ = api.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(u)})
		_, _ = api.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String(u), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
		_, _ = api.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(u), GroupName: aws.String(a.group)})
		_, _ = api.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(u)})
	}
	for _, g := range []string{a.group, a.adminGroup} {
		if a.policyARN != "" {
			_, _ = api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(g), PolicyArn: aws.String(a.policyARN)})
		}
		_, _ = api.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(g)})
	}
	if a.policyARN != "" {
		_, _ = api.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(a.policyARN)})
	}
}

type stateFinding struct{ checkID, cisControl, severity, resource, message string }

// findingsFromState reads the findings list of a data source from the flat state attributes.
func findingsFromState(s *terraform.State, name string) ([]stateFinding, error) {
	rs, ok := s.RootModule().Resources[name]
	if !ok {
		return nil, fmt.Errorf("%s not in state", name)
	}
	attrs := rs.Primary.Attributes
	n, err := strconv.Atoi(attrs["findings.#"])
	if err != nil {
		return nil, fmt.Errorf("findings.# = %q", attrs["findings.#"])
	}
	out := make([]stateFinding, n)
	for i := range out {
		p := fmt.Sprintf("findings.%d.", i)
		out[i] = stateFinding{attrs[p+"check_id"], attrs[p+"cis_control"], attrs[p+"severity"], attrs[p+"resource"], attrs[p+"message"]}
	}
	return out, nil
}

// checkAuditFindings asserts, for the resources this test owns only (the emulator account is shared
// with tests running in parallel), exactly which findings each one has.
func checkAuditFindings(name string, want map[string][]string, cis map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		findings, err := findingsFromState(s, name)
		if err != nil {
			return err
		}
		got := map[string][]string{}
		for _, f := range findings {
			if _, ours := want[f.resource]; !ours {
				continue
			}
			got[f.resource] = append(got[f.resource], f.checkID)
			if cis[f.checkID] != f.cisControl {
				return fmt.Errorf("finding %s on %s has CIS control %q, want %q", f.checkID, f.resource, f.cisControl, cis[f.checkID])
			}
			if f.message == "" || f.severity == "" {
				return fmt.Errorf("finding %s on %s lacks a message or severity: %+v", f.checkID, f.resource, f)
			}
			if !strings.Contains(f.message, resourceName(f.resource)) {
				return fmt.Errorf("finding %s on %s does not name it: %q", f.checkID, f.resource, f.message)
			}
		}
		for res, checks := range want {
			if fmt.Sprint(got[res]) != fmt.Sprint(checks) {
				return fmt.Errorf("findings for %s: got %v, want %v", res, got[res], checks)
			}
		}
		return nil
	}
}

func resourceName(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

func TestAccAuditDataSource_basic(t *testing.T) {
	a := newAuditAccount()
	cis := map[string]string{}
	for _, c := range baseline.AuditChecks {
		cis[c.ID] = c.CISControl
	}
	const name = "data.iambaseline_audit.test"
	resource.ParallelTest(t, acctest.Case(t, nil, []resource.TestStep{
		{
			PreConfig: func() { a.prepare(t) },
			Config: fmt.Sprintf(`
data "iambaseline_audit" "test" {
  admin_principals = [%q]
}
`, a.adminGroup),
			Check: resource.ComposeAggregateTestCheckFunc(
				// The ARNs are known only once PreConfig ran: build the expectations then.
				func(st *terraform.State) error {
					// The emulator has an IAM Identity Center instance, so a console user is also a
					// migration finding.
					return checkAuditFindings(name, map[string][]string{
						a.noMFAARN:      {baseline.CheckConsoleUserMFA, baseline.CheckIdentityCenterIAMConsoleUsers},
						a.directARN:     {baseline.CheckUserDirectPolicies, baseline.CheckAdminPolicyAttached},
						a.twoKeysARN:    {baseline.CheckMultipleActiveKeys},
						a.lonerARN:      {baseline.CheckUserWithoutGroup},
						a.groupARN:      {baseline.CheckAdminPolicyAttached},
						a.cleanARN:      nil,
						a.adminGroupARN: nil,
					}, cis)(st)
				},
				func(st *terraform.State) error {
					return resource.TestCheckResourceAttr(name, "id", a.account)(st)
				},
				resource.TestCheckResourceAttrWith(name, "summary", func(v string) error {
					if !regexp.MustCompile(`^\d+ checks: \d+ passed, \d+ failed .*; \d+ findings?; credentials from the IAM credential report`).MatchString(v) {
						return fmt.Errorf("summary %q", v)
					}
					return nil
				}),
				resource.TestCheckResourceAttrWith(name, "failed", func(v string) error {
					// The emulator's root user has no MFA: root_mfa always fails there.
					if n, _ := strconv.Atoi(v); n < 6 {
						return fmt.Errorf("failed = %s, want at least the 6 checks this test provokes", v)
					}
					return nil
				}),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(name, tfjsonpath.New("credential_source"), knownvalue.StringExact("credential_report")),
				statecheck.ExpectKnownValue(name, tfjsonpath.New("checks"), knownvalue.ListSizeExact(len(baseline.AuditChecks))),
				statecheck.ExpectKnownValue(name, tfjsonpath.New("checks").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"check_id": knownvalue.StringExact(baseline.CheckRootAccessKeys), "cis_control": knownvalue.StringExact("1.3"), "passed": knownvalue.Bool(true),
				})),
				statecheck.ExpectKnownValue(name, tfjsonpath.New("findings"), knownvalue.ListPartial(map[int]knownvalue.Check{
					// Findings are ordered by check: root_access_keys passes on the emulator, so root_mfa comes first.
					0: knownvalue.ObjectExact(map[string]knownvalue.Check{
						"check_id": knownvalue.StringExact(baseline.CheckRootMFA), "cis_control": knownvalue.StringExact("1.4"),
						"severity": knownvalue.StringExact("critical"), "resource": knownvalue.StringRegexp(regexp.MustCompile(`^arn:aws:iam::\d{12}:root$`)),
						"message": knownvalue.StringRegexp(regexp.MustCompile("assign an MFA device")),
					}),
				})),
			},
		},
		{
			// Thresholds and the admin list are honoured: with the non-admin group listed too, its
			// finding disappears.
			Config: fmt.Sprintf(`
data "iambaseline_audit" "test" {
  unused_credential_days  = 1
  access_key_max_age_days = 1
  admin_principals        = [%q, %q]
}
`, a.adminGroup, a.group),
			Check: func(st *terraform.State) error {
				return checkAuditFindings(name, map[string][]string{
					a.groupARN:      nil,
					a.adminGroupARN: nil,
					a.twoKeysARN:    {baseline.CheckMultipleActiveKeys},
				}, cis)(st)
			},
		},
	}))
}

func TestAccAuditDataSource_invalidThresholds(t *testing.T) {
	resource.ParallelTest(t, acctest.Case(t, nil, []resource.TestStep{
		{
			Config:      `data "iambaseline_audit" "test" { unused_credential_days = 0 }`,
			ExpectError: regexp.MustCompile(`(?s)unused_credential_days.*at least 1`),
		},
		{
			Config:      `data "iambaseline_audit" "test" { access_key_max_age_days = -5 }`,
			ExpectError: regexp.MustCompile(`(?s)access_key_max_age_days.*at least 1`),
		},
	}))
}

// The Identity Center checks over a baseline the test owns: a 12-hour session and, once a set is
// assigned to a person out of band, a user assignment; the manual checks always, with the console
// steps.
func TestAccAuditDataSource_identityCenter(t *testing.T) {
	prefix := acctest.RandomName("ica") + "-"
	config := testAccIdentityCenterBaselineConfig(prefix, `groups = ["Developers", "ReadOnly"]
  session_durations = { ReadOnly = "PT12H" }
  force_destroy     = true`) + `
data "iambaseline_audit" "test" {
  depends_on = [iambaseline_identity_center_baseline.test]
}
`
	arns := func(s *terraform.State) map[string]string {
		attrs := s.RootModule().Resources[identityCenterBaselineAddress].Primary.Attributes
		return map[string]string{"Developers": attrs["permission_set_arns.Developers"], "ReadOnly": attrs["permission_set_arns.ReadOnly"]}
	}
	check := func(want map[string][]string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			findings, err := findingsFromState(s, "data.iambaseline_audit.test")
			if err != nil {
				return err
			}
			sets := arns(s)
			got := map[string][]string{}
			manual := map[string]string{}
			for _, f := range findings {
				for key, arn := range sets {
					if f.resource == arn {
						got[key] = append(got[key], f.checkID)
						if !strings.Contains(f.message, prefix+key) {
							return fmt.Errorf("finding %s does not name the set %s: %q", f.checkID, prefix+key, f.message)
						}
					}
				}
				if strings.HasSuffix(f.checkID, "_manual") {
					manual[f.checkID] = f.message
				}
			}
			for key, checks := range want {
				if fmt.Sprint(got[key]) != fmt.Sprint(checks) {
					return fmt.Errorf("findings for %s: got %v, want %v", key, got[key], checks)
				}
			}
			if !strings.Contains(manual["identity_center_mfa_settings_manual"], "Every time they sign in") ||
				!strings.Contains(manual["identity_center_invitation_emails_manual"], "Send email OTP for users created from API") {
				return fmt.Errorf("manual checks missing or without console steps: %v", manual)
			}
			return nil
		}
	}
	resource.Test(t, acctest.Case(t, testAccCheckIdentityCenterBaselineDestroy(t, prefix), []resource.TestStep{
		{
			Config: config,
			Check:  check(map[string][]string{"Developers": nil, "ReadOnly": {"identity_center_long_session"}}),
		},
		{
			PreConfig: func() {
				ctx := context.Background()
				store := acctest.IdentityStore(t)
				c := acctest.SSOAdmin(t)
				inst, err := c.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
				if err != nil {
					t.Fatal(err)
				}
				u, err := store.CreateUser(ctx, &identitystore.CreateUserInput{
					IdentityStoreId: inst.Instances[0].IdentityStoreId, UserName: aws.String(acctest.RandomName("grace")),
					DisplayName: aws.String("Grace Hopper"), Name: &idtypes.Name{GivenName: aws.String("Grace"), FamilyName: aws.String("Hopper")},
				})
				if err != nil {
					t.Fatal(err)
				}
				testAccAssignToUser(t, testAccIdentityCenterSets(t, prefix)["Developers"].ARN, aws.ToString(u.UserId))
			},
			Config: config,
			Check:  check(map[string][]string{"Developers": {"identity_center_user_assignments"}, "ReadOnly": {"identity_center_long_session"}}),
		},
	}))
}

// A user with two enabled virtual MFA devices is a multiple_mfa_devices finding (from the bulk
// ListVirtualMFADevices, no call per user); a user with one is not.
func TestAccAuditDataSource_multipleMFADevices(t *testing.T) {
	p := acctest.RandomName("tf-acc-mfa")
	group, two, one := p+"-grp", p+"-two", p+"-one"
	devices := map[string][]string{two: {p + "-two-phone", p + "-two-spare"}, one: {p + "-one-phone"}}
	arns := map[string]string{}
	cis := map[string]string{}
	for _, c := range baseline.AuditChecks {
		cis[c.ID] = c.CISControl
	}
	prepare := func() {
		ctx := context.Background()
		api := acctest.IAM(t)
		var serials []string
		t.Cleanup(func() {
			for _, u := range []string{two, one} {
				if out, err := api.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String(u)}); err == nil {
					for _, d := range out.MFADevices {
						_, _ = api.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String(u), SerialNumber: d.SerialNumber})
					}
				}
				_, _ = api.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(u), GroupName: aws.String(group)})
				_, _ = api.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(u)})
			}
			for _, s := range serials {
				_, _ = api.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(s)})
			}
			_, _ = api.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(group)})
		})
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("preparing the audited account: %v", err)
			}
		}
		_, err := api.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(group)})
		must(err)
		for _, u := range []string{two, one} {
			out, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u)})
			must(err)
			arns[u] = aws.ToString(out.User.Arn)
			_, err = api.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(u), GroupName: aws.String(group)})
			must(err)
			for _, name := range devices[u] {
				d, err := api.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
				must(err)
				serial := d.VirtualMFADevice.SerialNumber
				serials = append(serials, aws.ToString(serial))
				_, err = api.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(u), SerialNumber: serial,
					AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")})
				must(err)
			}
		}
	}
	const name = "data.iambaseline_audit.test"
	resource.ParallelTest(t, acctest.Case(t, nil, []resource.TestStep{{
		PreConfig: prepare,
		Config:    `data "iambaseline_audit" "test" {}`,
		Check: func(st *terraform.State) error {
			if err := checkAuditFindings(name, map[string][]string{
				arns[two]: {baseline.CheckMultipleMFADevices},
				arns[one]: nil,
			}, cis)(st); err != nil {
				return err
			}
			findings, err := findingsFromState(st, name)
			if err != nil {
				return err
			}
			for _, f := range findings {
				if f.resource == arns[two] && !(strings.Contains(f.message, "has 2 MFA devices") && strings.Contains(f.message, ":mfa/"+p+"-two-spare")) {
					return fmt.Errorf("finding on %s does not name both devices: %q", two, f.message)
				}
			}
			return nil
		},
	}}))
}
