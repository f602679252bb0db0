package provider_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/provider"
)

const userResource = "iambaseline_onboarded_user.test"

// userConfig renders one iambaseline_onboarded_user "test".
type userConfig struct {
	Name, FullName, Email, JobTitle, Path, Boundary, Status, PGPKey string
	Groups                                                          []string
	Store, ForceDestroy                                             bool
	NoConsole                                                       bool
	Tags                                                            map[string]string
	Version                                                         int
	DefaultTags                                                     map[string]string
}

func (c userConfig) String() string {
	var b strings.Builder
	if len(c.DefaultTags) > 0 {
		b.WriteString("provider \"iambaseline\" {\n  default_tags {\n    tags = {\n")
		writeTags(&b, "      ", c.DefaultTags)
		b.WriteString("    }\n  }\n}\n")
	}
	b.WriteString("resource \"iambaseline_onboarded_user\" \"test\" {\n")
	fmt.Fprintf(&b, "  user_name = %q\n  full_name = %q\n  email = %q\n", c.Name, c.FullName, c.Email)
	quoted := make([]string, 0, len(c.Groups))
	for _, g := range c.Groups {
		quoted = append(quoted, fmt.Sprintf("%q", g))
	}
	fmt.Fprintf(&b, "  groups = [%s]\n", strings.Join(quoted, ", "))
	opt := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "  %s = %q\n", k, v)
		}
	}
	opt("job_title", c.JobTitle)
	opt("path", c.Path)
	opt("permissions_boundary", c.Boundary)
	opt("status", c.Status)
	opt("pgp_key", c.PGPKey)
	if c.Store {
		b.WriteString("  store_password_in_state = true\n")
	}
	if c.ForceDestroy {
		b.WriteString("  force_destroy = true\n")
	}
	if c.NoConsole {
		b.WriteString("  console_access = false\n")
	}
	if c.Version > 0 {
		fmt.Fprintf(&b, "  temporary_password_wo_version = %d\n", c.Version)
	}
	if len(c.Tags) > 0 {
		b.WriteString("  tags = {\n")
		writeTags(&b, "    ", c.Tags)
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// writeTags writes the tags as the lines of an HCL map, by key, each indented by indent.
func writeTags(b *strings.Builder, indent string, tags map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		fmt.Fprintf(b, "%s%q = %q\n", indent, k, tags[k])
	}
}

// iamTagMap is IAM's tag list as a map.
func iamTagMap(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, tag := range tags {
		m[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	return m
}

// testGroups creates IAM groups through the SDK (the group baseline is another resource's job) and
// deletes them when the test ends.
func testGroups(t *testing.T, n int) []string {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1 (make testacc) to run it", resource.EnvTfAcc)
	}
	acctest.PreCheck(t)
	api := acctest.IAM(t)
	var names []string
	for i := 0; i < n; i++ {
		name := acctest.RandomName("tf-acc-grp")
		if _, err := api.CreateGroup(context.Background(), &iam.CreateGroupInput{GroupName: aws.String(name)}); err != nil {
			t.Fatalf("creating group: %v", err)
		}
		names = append(names, name)
	}
	t.Cleanup(func() {
		for _, g := range names {
			_, _ = api.DeleteGroup(context.Background(), &iam.DeleteGroupInput{GroupName: aws.String(g)})
		}
	})
	sort.Strings(names)
	return names
}

// testAccCheckUser checks the user through the SDK, not the state: tags, groups, login profile.
func testAccCheckUser(t *testing.T, name string, wantTags map[string]string, wantGroups []string, wantConsole bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		api := acctest.IAM(t)
		out, err := api.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("IAM user %s: %w", name, err)
		}
		tags := iamTagMap(out.User.Tags)
		for k, v := range wantTags {
			if tags[k] != v {
				return fmt.Errorf("tag %s = %q, want %q (tags %v)", k, tags[k], v, tags)
			}
		}
		groups, err := api.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String(name)})
		if err != nil {
			return err
		}
		var got []string
		for _, g := range groups.Groups {
			got = append(got, aws.ToString(g.GroupName))
		}
		sort.Strings(got)
		if !slices.Equal(got, wantGroups) {
			return fmt.Errorf("groups of %s = %v, want %v", name, got, wantGroups)
		}
		_, err = api.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(name)})
		switch {
		case wantConsole && err != nil:
			return fmt.Errorf("login profile of %s: %w", name, err)
		case !wantConsole && err == nil:
			return fmt.Errorf("%s has a login profile, want none", name)
		case !wantConsole && awsiam.ErrorCode(err) != "NoSuchEntity":
			return err
		}
		return nil
	}
}

func testAccCheckUserDestroy(t *testing.T) resource.TestCheckFunc {
	return testAccCheckUsersGone(acctest.IAM(t))
}

// testAccCheckUsersGone checks through api (the test's account) that the users were destroyed.
func testAccCheckUsersGone(api *iam.Client) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "iambaseline_onboarded_user" {
				continue
			}
			_, err := api.GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String(rs.Primary.ID)})
			if err == nil {
				return fmt.Errorf("IAM user %s still exists", rs.Primary.ID)
			}
			if awsiam.ErrorCode(err) != "NoSuchEntity" {
				return err
			}
		}
		return nil
	}
}

func accTest(t *testing.T, steps ...resource.TestStep) resource.TestCase {
	return acctest.Case(t, testAccCheckUserDestroy(t), steps)
}

// appliesStably runs the user test of one apply of cfg that passes checks, then the same cfg
// planning nothing.
func appliesStably(t *testing.T, cfg string, checks ...resource.TestCheckFunc) {
	t.Helper()
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(checks...)},
		emptyPlanStep(cfg),
	))
}

func emptyPlanStep(cfg string) resource.TestStep {
	return resource.TestStep{
		Config:           cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}
}

var signInURL = regexp.MustCompile(`^https://\d{12}\.signin\.aws\.amazon\.com/console$`)

func TestAccOnboardedUser_basic(t *testing.T) {
	groups := testGroups(t, 2)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Ada Lovelace", Email: "ada@example.com", JobTitle: "Engineer", Groups: groups, Store: true,
		Tags: map[string]string{"Team": "core"}, DefaultTags: map[string]string{"ManagedBy": "terraform"}}
	appliesStably(t, cfg.String(),
		testAccCheckUser(t, name, map[string]string{"FullName": "Ada Lovelace", "Email": "ada@example.com", "JobTitle": "Engineer", "Team": "core", "ManagedBy": "terraform"}, groups, true),
		resource.TestCheckResourceAttr(userResource, "id", name),
		resource.TestCheckResourceAttr(userResource, "path", "/"),
		resource.TestCheckResourceAttr(userResource, "status", "active"),
		resource.TestCheckResourceAttr(userResource, "password_length", "20"),
		resource.TestCheckResourceAttr(userResource, "tags.%", "1"),
		resource.TestMatchResourceAttr(userResource, "arn", regexp.MustCompile(`:user/`+name+`$`)),
		resource.TestCheckResourceAttrSet(userResource, "unique_id"),
		resource.TestCheckResourceAttrSet(userResource, "created_at"),
		resource.TestMatchResourceAttr(userResource, "console_sign_in_url", signInURL),
		resource.TestCheckResourceAttr(userResource, "mfa_enabled", "false"),
		resource.TestCheckResourceAttr(userResource, "mfa_devices.#", "0"),
		resource.TestCheckNoResourceAttr(userResource, "password_last_used"),
		resource.TestCheckNoResourceAttr(userResource, "encrypted_temporary_password"),
		resource.TestCheckResourceAttr(userResource, "onboarding_checklist.user_created", "true"),
		resource.TestCheckResourceAttr(userResource, "onboarding_checklist.groups_assigned", "true"),
		resource.TestCheckResourceAttr(userResource, "onboarding_checklist.console_access", "true"),
		resource.TestCheckResourceAttr(userResource, "onboarding_checklist.password_reset_required", "true"),
		resource.TestCheckResourceAttr(userResource, "onboarding_checklist.mfa_enabled", "false"),
		resource.TestCheckResourceAttr(userResource, "onboarding_checklist.record_tagged", "true"),
		resource.TestMatchResourceAttr(userResource, "onboarding_instructions", regexp.MustCompile("(?s)signin.aws.amazon.com/console.*`"+name+"`.*MFA.*`"+groups[0]+"`")),
		resource.TestCheckResourceAttrWith(userResource, "temporary_password", func(pw string) error {
			return meetsPolicy(pw, 20)
		}),
	)
}

func meetsPolicy(pw string, length int) error {
	if len(pw) != length {
		return fmt.Errorf("password has %d characters, want %d", len(pw), length)
	}
	return baseline.PasswordPolicy{MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true}.Check(pw)
}

func TestAccOnboardedUser_update(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	before := userConfig{Name: name, FullName: "Grace Hopper", Email: "grace@example.com", Groups: groups, Store: true,
		Tags: map[string]string{"Team": "core", "Old": "x"}}
	after := before
	after.FullName, after.Email, after.JobTitle = "Grace B. Hopper", "grace.hopper@example.com", "Rear Admiral"
	after.Tags = map[string]string{"Team": "platform", "New": "y"}
	after.Path = "/engineering/"
	// moto does not model user permissions boundaries (CreateUser ignores it, Put/Delete are not
	// implemented): TestOnboardedUserPermissionsBoundaryRequests covers them by request capture.
	var password string
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: before.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, map[string]string{"FullName": "Grace Hopper", "Email": "grace@example.com", "Team": "core", "Old": "x"}, groups, true),
				resource.TestCheckResourceAttrWith(userResource, "temporary_password", func(v string) error { password = v; return nil }),
			),
		},
		resource.TestStep{
			Config: after.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(userResource, plancheck.ResourceActionUpdate),
				// An update of the record leaves the status attributes and the password known.
				plancheck.ExpectKnownValue(userResource, tfjsonpath.New("mfa_enabled"), knownvalue.Bool(false)),
				plancheck.ExpectKnownValue(userResource, tfjsonpath.New("mfa_devices"), knownvalue.ListExact([]knownvalue.Check{})),
				plancheck.ExpectKnownValue(userResource, tfjsonpath.New("onboarding_checklist").AtMapKey("console_access"), knownvalue.Bool(true)),
				plancheck.ExpectKnownValue(userResource, tfjsonpath.New("unique_id"), knownvalue.NotNull()),
				plancheck.ExpectKnownValue(userResource, tfjsonpath.New("onboarding_instructions"), knownvalue.StringRegexp(regexp.MustCompile("Grace B. Hopper"))),
				plancheck.ExpectUnknownValue(userResource, tfjsonpath.New("arn")), // the path changes
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, map[string]string{"FullName": "Grace B. Hopper", "Email": "grace.hopper@example.com", "JobTitle": "Rear Admiral", "Team": "platform", "New": "y"}, groups, true),
				func(*terraform.State) error {
					out, err := acctest.IAM(t).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String(name)})
					if err != nil {
						return err
					}
					if aws.ToString(out.User.Path) != "/engineering/" {
						return fmt.Errorf("path = %s", aws.ToString(out.User.Path))
					}
					for _, tg := range out.User.Tags {
						if aws.ToString(tg.Key) == "Old" {
							return errors.New("tag Old was not removed")
						}
					}
					return nil
				},
				resource.TestMatchResourceAttr(userResource, "arn", regexp.MustCompile(`:user/engineering/`+name+`$`)),
				// Changing the record does not change the password.
				resource.TestCheckResourceAttrWith(userResource, "temporary_password", func(v string) error {
					if v != password {
						return errors.New("the temporary password changed on an update of the record")
					}
					return nil
				}),
			),
		},
		emptyPlanStep(after.String()),
		resource.TestStep{
			// Back: job title removed, tags and path restored.
			Config: before.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, map[string]string{"FullName": "Grace Hopper", "Email": "grace@example.com", "Team": "core", "Old": "x"}, groups, true),
				resource.TestMatchResourceAttr(userResource, "arn", regexp.MustCompile(`:user/`+name+`$`)),
				resource.TestCheckNoResourceAttr(userResource, "job_title"),
			),
		},
		emptyPlanStep(before.String()),
	))
}

func TestAccOnboardedUser_rename(t *testing.T) {
	groups := testGroups(t, 1)
	name, renamed := acctest.RandomName("tf-acc-user"), acctest.RandomName("tf-acc-renamed")
	cfg := userConfig{Name: name, FullName: "Alan Turing", Email: "alan@example.com", Groups: groups, Store: true}
	cfg2 := cfg
	cfg2.Name = renamed
	var uniqueID string
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, map[string]string{"FullName": "Alan Turing"}, groups, true),
				resource.TestCheckResourceAttrWith(userResource, "unique_id", func(v string) error { uniqueID = v; return nil }),
			),
		},
		resource.TestStep{
			Config: cfg2.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(userResource, plancheck.ResourceActionUpdate),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, renamed, map[string]string{"FullName": "Alan Turing"}, groups, true),
				resource.TestCheckResourceAttr(userResource, "id", renamed),
				resource.TestMatchResourceAttr(userResource, "arn", regexp.MustCompile(`:user/`+renamed+`$`)),
				resource.TestCheckResourceAttrWith(userResource, "unique_id", func(v string) error {
					if v != uniqueID {
						return fmt.Errorf("unique_id changed from %s to %s: the user was replaced, not renamed", uniqueID, v)
					}
					return nil
				}),
				func(*terraform.State) error {
					_, err := acctest.IAM(t).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String(name)})
					if awsiam.ErrorCode(err) != "NoSuchEntity" {
						return fmt.Errorf("the old name %s still answers: %v", name, err)
					}
					return nil
				},
			),
		},
		emptyPlanStep(cfg2.String()),
	))
}

func TestAccOnboardedUser_groups(t *testing.T) {
	groups := testGroups(t, 3)
	name := acctest.RandomName("tf-acc-user")
	other := acctest.RandomName("tf-acc-other")
	api := acctest.IAM(t)
	ctx := context.Background()
	// Another member of the groups, made out of band: never touched.
	if _, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(other)}); err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if _, err := api.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(other), GroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, g := range groups {
			_, _ = api.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(other), GroupName: aws.String(g)})
		}
		_, _ = api.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(other)})
	})
	otherStays := func(*terraform.State) error {
		out, err := api.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String(other)})
		if err != nil {
			return err
		}
		if len(out.Groups) != len(groups) {
			return fmt.Errorf("the other member %s is in %d groups, want %d: its memberships were touched", other, len(out.Groups), len(groups))
		}
		return nil
	}
	cfg := userConfig{Name: name, FullName: "Edsger Dijkstra", Email: "edsger@example.com", Groups: groups[:2], Store: true}
	cfg2 := cfg
	cfg2.Groups = groups[1:]
	cfg3 := cfg
	cfg3.Groups = groups[2:]
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			Check:  resource.ComposeAggregateTestCheckFunc(testAccCheckUser(t, name, nil, groups[:2], true), otherStays, resource.TestCheckResourceAttr(userResource, "groups.#", "2")),
		},
		resource.TestStep{
			Config: cfg2.String(),
			Check:  resource.ComposeAggregateTestCheckFunc(testAccCheckUser(t, name, nil, groups[1:], true), otherStays),
		},
		resource.TestStep{
			Config: cfg3.String(),
			Check: resource.ComposeAggregateTestCheckFunc(testAccCheckUser(t, name, nil, groups[2:], true), otherStays,
				resource.TestMatchResourceAttr(userResource, "onboarding_instructions", regexp.MustCompile("`"+groups[2]+"`"))),
		},
		emptyPlanStep(cfg3.String()),
	))
	// The user's destroy left the other member alone.
	if err := otherStays(nil); err != nil {
		t.Fatal(err)
	}
}

// testPGPKey returns a throwaway key pair and its public key, base64-encoded.
func testPGPKey(t *testing.T) (*openpgp.Entity, string) {
	t.Helper()
	e, pub, _ := provider.PGPKeyForTests(t)
	return e, pub
}

var decrypt = provider.DecryptForTests

// checkNowhereInState fails when value appears in any attribute of any resource in the state.
func checkNowhereInState(value *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if *value == "" {
			return errors.New("no password captured")
		}
		for addr, rs := range s.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				if strings.Contains(v, *value) {
					return fmt.Errorf("the temporary password is in the state: %s.%s", addr, k)
				}
			}
		}
		return nil
	}
}

func TestAccOnboardedUser_pgp(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	key, pub := testPGPKey(t)
	cfg := userConfig{Name: name, FullName: "Barbara Liskov", Email: "barbara@example.com", Groups: groups, PGPKey: pub, ForceDestroy: true}
	rotated := cfg
	rotated.Version = 2
	var password, first string
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, map[string]string{"FullName": "Barbara Liskov"}, groups, true),
				resource.TestCheckNoResourceAttr(userResource, "temporary_password"),
				resource.TestCheckResourceAttr(userResource, "key_fingerprint", strings.ToUpper(fmt.Sprintf("%x", key.PrimaryKey.Fingerprint))),
				resource.TestCheckResourceAttrWith(userResource, "encrypted_temporary_password", func(v string) error {
					pw, err := decrypt(key, v)
					if err != nil {
						return err
					}
					password, first = pw, pw
					return meetsPolicy(pw, 20)
				}),
				checkNowhereInState(&password),
			),
		},
		emptyPlanStep(cfg.String()),
		resource.TestStep{
			// A new version delivers a new generated password, encrypted again.
			Config: rotated.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, nil, groups, true),
				resource.TestCheckResourceAttrWith(userResource, "encrypted_temporary_password", func(v string) error {
					pw, err := decrypt(key, v)
					if err != nil {
						return err
					}
					if pw == first {
						return errors.New("temporary_password_wo_version changed but the password did not")
					}
					password = pw
					return meetsPolicy(pw, 20)
				}),
				checkNowhereInState(&password),
			),
		},
	))
}

func TestAccOnboardedUser_storeInState(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Donald Knuth", Email: "don@example.com", Groups: groups, Store: true}
	noConsole := cfg
	noConsole.Store, noConsole.NoConsole = false, true
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, nil, groups, true),
				resource.TestCheckResourceAttrWith(userResource, "temporary_password", func(v string) error { return meetsPolicy(v, 20) }),
				resource.TestCheckNoResourceAttr(userResource, "encrypted_temporary_password"),
				resource.TestCheckNoResourceAttr(userResource, "key_fingerprint"),
			),
		},
		emptyPlanStep(cfg.String()),
		resource.TestStep{
			// Console access off: login profile removed, password gone from the state.
			Config: noConsole.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, nil, groups, false),
				resource.TestCheckNoResourceAttr(userResource, "temporary_password"),
				resource.TestCheckResourceAttr(userResource, "console_access", "false"),
				resource.TestCheckResourceAttr(userResource, "onboarding_checklist.console_access", "false"),
			),
		},
		emptyPlanStep(noConsole.String()),
	))
}

func TestAccOnboardedUser_suspend(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Ken Thompson", Email: "ken@example.com", Groups: groups, Store: true, ForceDestroy: true}
	suspended := cfg
	suspended.Status = "suspended"
	api := acctest.IAM(t)
	ctx := context.Background()
	var keyID, password string
	keyStatus := func(want types.StatusType) resource.TestCheckFunc {
		return func(*terraform.State) error {
			out, err := api.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(name)})
			if err != nil {
				return err
			}
			for _, k := range out.AccessKeyMetadata {
				if aws.ToString(k.AccessKeyId) == keyID && k.Status != want {
					return fmt.Errorf("access key %s is %s, want %s", keyID, k.Status, want)
				}
			}
			return nil
		}
	}
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, nil, groups, true),
				resource.TestCheckResourceAttrWith(userResource, "temporary_password", func(v string) error { password = v; return nil }),
			),
		},
		resource.TestStep{
			PreConfig: func() {
				out, err := api.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
				if err != nil {
					t.Fatal(err)
				}
				keyID = aws.ToString(out.AccessKey.AccessKeyId)
			},
			Config: suspended.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, map[string]string{"FullName": "Ken Thompson"}, groups, false),
				keyStatus(types.StatusTypeInactive),
				resource.TestCheckResourceAttr(userResource, "status", "suspended"),
				resource.TestCheckResourceAttr(userResource, "console_access", "true"),
				resource.TestCheckResourceAttr(userResource, "onboarding_checklist.console_access", "false"),
				resource.TestCheckNoResourceAttr(userResource, "temporary_password"),
			),
		},
		emptyPlanStep(suspended.String()),
		resource.TestStep{
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, nil, groups, true),
				keyStatus(types.StatusTypeInactive), // reactivating keys is a conscious act
				resource.TestCheckResourceAttr(userResource, "onboarding_checklist.console_access", "true"),
				resource.TestCheckResourceAttrWith(userResource, "temporary_password", func(v string) error {
					if v == password {
						return errors.New("reactivation did not deliver a new temporary password")
					}
					return meetsPolicy(v, 20)
				}),
			),
		},
		emptyPlanStep(cfg.String()),
	))
}

func TestAccOnboardedUser_import(t *testing.T) {
	groups := testGroups(t, 2)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Frances Allen", Email: "fran@example.com", JobTitle: "Fellow", Groups: groups, Store: true,
		Path: "/people/", Tags: map[string]string{"Team": "compilers"}, DefaultTags: map[string]string{"ManagedBy": "terraform"}}
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{Config: cfg.String()},
		resource.TestStep{
			ResourceName:      userResource,
			ImportState:       true,
			ImportStateId:     name,
			ImportStateVerify: true,
			// Secrets are not importable, and moto reads PasswordResetRequired back as false.
			ImportStateVerifyIgnore: []string{"temporary_password", "store_password_in_state", "onboarding_checklist.password_reset_required"},
		},
	))
}

func TestAccOnboardedUser_disappears(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Niklaus Wirth", Email: "niklaus@example.com", Groups: groups, Store: true}
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, nil, groups, true),
				func(*terraform.State) error {
					api, ctx := acctest.IAM(t), context.Background()
					_, _ = api.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(name)})
					for _, g := range groups {
						_, _ = api.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(name), GroupName: aws.String(g)})
					}
					_, err := api.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(name)})
					return err
				},
			),
			ExpectNonEmptyPlan: true,
		},
	))
}

func TestAccOnboardedUser_driftMembership(t *testing.T) {
	groups := testGroups(t, 2)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Leslie Lamport", Email: "leslie@example.com", Groups: groups, Store: true}
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{Config: cfg.String(), Check: testAccCheckUser(t, name, nil, groups, true)},
		resource.TestStep{
			PreConfig: func() {
				_, err := acctest.IAM(t).RemoveUserFromGroup(context.Background(), &iam.RemoveUserFromGroupInput{
					UserName: aws.String(name), GroupName: aws.String(groups[0]),
				})
				if err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectNonEmptyPlan(),
				plancheck.ExpectResourceAction(userResource, plancheck.ResourceActionUpdate),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, nil, groups, true),
				resource.TestCheckResourceAttr(userResource, "onboarding_checklist.groups_assigned", "true"),
			),
		},
		emptyPlanStep(cfg.String()),
	))
}

// enableVirtualMFA creates a virtual MFA device and enables it for the user (moto accepts any codes).
func enableVirtualMFA(t *testing.T, user string) string {
	t.Helper()
	api, ctx := acctest.IAM(t), context.Background()
	dev, err := api.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(user)})
	if err != nil {
		t.Fatal(err)
	}
	serial := aws.ToString(dev.VirtualMFADevice.SerialNumber)
	enableMFADevice(t, user, serial)
	return serial
}

// enableMFADevice enables the MFA device serial for user, as the person does when setting it up.
func enableMFADevice(t *testing.T, user, serial string) {
	t.Helper()
	if _, err := acctest.IAM(t).EnableMFADevice(context.Background(), &iam.EnableMFADeviceInput{
		UserName: aws.String(user), SerialNumber: aws.String(serial), AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321"),
	}); err != nil {
		t.Fatal(err)
	}
}

// mfaSeenStep is the refresh after enable set up an MFA device out of band: the user shows it (the
// one device *serial) and the plan stays empty.
func mfaSeenStep(config string, enable func(), serial *string) resource.TestStep {
	return resource.TestStep{
		PreConfig: enable,
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectEmptyPlan(),
		}},
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(userResource, "mfa_enabled", "true"),
			resource.TestCheckResourceAttr(userResource, "mfa_devices.#", "1"),
			resource.TestCheckResourceAttrWith(userResource, "mfa_devices.0", func(v string) error {
				if v != *serial {
					return fmt.Errorf("mfa_devices.0 = %s, want %s", v, *serial)
				}
				return nil
			}),
			resource.TestCheckResourceAttr(userResource, "onboarding_checklist.mfa_enabled", "true"),
		),
	}
}

func TestAccOnboardedUser_mfaOutOfBand(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Radia Perlman", Email: "radia@example.com", Groups: groups, Store: true, ForceDestroy: true}
	var serial string
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(userResource, "mfa_enabled", "false"),
				resource.TestCheckResourceAttr(userResource, "onboarding_checklist.mfa_enabled", "false"),
			),
		},
		// The person sets up MFA: the refresh sees it, and the plan stays empty.
		mfaSeenStep(cfg.String(), func() { serial = enableVirtualMFA(t, name) }, &serial),
		emptyPlanStep(cfg.String()),
	))
}

func TestAccOnboardedUser_forceDestroy(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Margaret Hamilton", Email: "margaret@example.com", Groups: groups, Store: true}
	force := cfg
	force.ForceDestroy = true
	var keyID, serial string
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{Config: cfg.String()},
		resource.TestStep{
			PreConfig: func() {
				out, err := acctest.IAM(t).CreateAccessKey(context.Background(), &iam.CreateAccessKeyInput{UserName: aws.String(name)})
				if err != nil {
					t.Fatal(err)
				}
				keyID = aws.ToString(out.AccessKey.AccessKeyId)
				serial = enableVirtualMFA(t, name)
			},
			Config:      cfg.String(),
			Destroy:     true,
			ExpectError: regexp.MustCompile(`(?s)made outside Terraform.*access keys:\s+AKIA.*MFA devices:\s+arn:aws:iam::\d+:mfa/`),
		},
		resource.TestStep{
			Config: force.String(),
			Check: func(*terraform.State) error {
				if keyID == "" || serial == "" {
					return errors.New("out-of-band credentials were not made")
				}
				return nil
			},
		},
	))
	// force_destroy removed the virtual MFA device with the user.
	out, err := acctest.IAM(t).ListVirtualMFADevices(context.Background(), &iam.ListVirtualMFADevicesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range out.VirtualMFADevices {
		if aws.ToString(d.SerialNumber) == serial {
			t.Fatalf("virtual MFA device %s survived force_destroy", serial)
		}
	}
}

// TestAccOnboardedUser_noSecretLeak runs the flow with TF_LOG=trace and fails if the generated
// password appears in the log, in any attribute or anywhere in the state (PGP delivery).
func TestAccOnboardedUser_noSecretLeak(t *testing.T) {
	checkLog := traceTerraform(t)
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	key, pub := testPGPKey(t)
	cfg := userConfig{Name: name, FullName: "Whitfield Diffie", Email: "whit@example.com", Groups: groups, PGPKey: pub}
	var passwords []string
	var current string
	capture := resource.TestCheckResourceAttrWith(userResource, "encrypted_temporary_password", func(v string) error {
		pw, err := decrypt(key, v)
		if err != nil {
			return err
		}
		current = pw
		passwords = append(passwords, pw)
		return nil
	})
	rotated := cfg
	rotated.Version = 1
	resource.Test(t, accTest(t,
		resource.TestStep{Config: cfg.String(), Check: resource.ComposeTestCheckFunc(capture, checkNowhereInState(&current))},
		resource.TestStep{Config: rotated.String(), Check: resource.ComposeTestCheckFunc(capture, checkNowhereInState(&current))},
		acctest.ImportStep(userResource, name, "pgp_key", "encrypted_temporary_password", "key_fingerprint", "temporary_password_wo_version", "onboarding_checklist.password_reset_required", "onboarding_instructions"),
	))
	if len(passwords) != 2 {
		t.Fatalf("captured %d passwords, want 2", len(passwords))
	}
	checkLog(passwords...)
}

// traceTerraform has the test's Terraform commands log at TF_LOG=trace into one file, and returns
// the check to run once they are done: the log holds the provider's lines and none of the secrets.
func traceTerraform(t *testing.T) (checkLog func(secrets ...string)) {
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_LOG_PATH", logPath)
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	return func(secrets ...string) {
		t.Helper()
		log, err := os.ReadFile(logPath)
		if err != nil || len(log) == 0 {
			t.Fatalf("reading the TF_LOG file: %v (%d bytes): the test did not log", err, len(log))
		}
		for i, s := range secrets {
			if bytes.Contains(log, []byte(s)) {
				t.Fatalf("temporary password %d appears in the TF_LOG=trace output", i+1)
			}
		}
		if !bytes.Contains(log, []byte("sdk.framework")) {
			t.Fatal("the trace log holds no provider (framework) lines: the check would prove nothing")
		}
		t.Logf("checked %d bytes of trace log", len(log))
	}
}

// TestAccOnboardedUser_noSecretLeakStored: with store_password_in_state the password is in the
// sensitive temporary_password only: never in the TF_LOG=trace output or another attribute.
func TestAccOnboardedUser_noSecretLeakStored(t *testing.T) {
	checkLog := traceTerraform(t)
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Martin Hellman", Email: "martin@example.com", Groups: groups, Store: true}
	var password string
	resource.Test(t, accTest(t,
		resource.TestStep{Config: cfg.String(), Check: func(s *terraform.State) error {
			attrs := s.RootModule().Resources[userResource].Primary.Attributes
			password = attrs["temporary_password"]
			if password == "" {
				return errors.New("no temporary_password")
			}
			for k, v := range attrs {
				if k != "temporary_password" && strings.Contains(v, password) {
					return fmt.Errorf("the temporary password is in the non-sensitive attribute %s", k)
				}
			}
			return nil
		}},
	))
	checkLog(password)
}

// TestAccOnboardedUser_adopt: an apply interrupted after CreateUser left the user behind with its
// record tags and the create marker; applying again adopts it and converges. A same-named user
// without the marker is someone else's, even with this configuration's record: an error.
func TestAccOnboardedUser_adopt(t *testing.T) {
	groups := testGroups(t, 2)
	name, taken := acctest.RandomName("tf-acc-user"), acctest.RandomName("tf-acc-taken")
	api, ctx := acctest.IAM(t), context.Background()
	record := func(full, email string) []types.Tag {
		return []types.Tag{{Key: aws.String("FullName"), Value: aws.String(full)}, {Key: aws.String("Email"), Value: aws.String(email)}}
	}
	// Left behind by an interrupted apply: user, record tags, create marker and one of the two memberships.
	marked := append(record("John Backus", "john@example.com"), types.Tag{Key: aws.String(baseline.CreateMarkerTag), Value: aws.String("2026-01-01T00:00:00Z")})
	if _, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name), Tags: marked}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(name), GroupName: aws.String(groups[0])}); err != nil {
		t.Fatal(err)
	}
	// Someone else's user, with the very record of this configuration.
	if _, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(taken), Tags: record("John Backus", "john@example.com")}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = api.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(taken)}) })

	cfg := userConfig{Name: name, FullName: "John Backus", Email: "john@example.com", JobTitle: "Fortran", Groups: groups, Store: true}
	other := userConfig{Name: taken, FullName: "John Backus", Email: "john@example.com", Groups: groups, Store: true}
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{Config: other.String(), ExpectError: regexp.MustCompile(`(?s)already\s+exists\s+and\s+this\s+resource\s+cannot\s+prove`)},
		resource.TestStep{
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, map[string]string{"FullName": "John Backus", "JobTitle": "Fortran"}, groups, true),
				resource.TestCheckResourceAttrWith(userResource, "temporary_password", func(v string) error { return meetsPolicy(v, 20) }),
			),
		},
		emptyPlanStep(cfg.String()),
	))
	// The other user was left alone.
	out, err := api.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(taken)})
	if err != nil || len(out.User.Tags) != 2 {
		t.Fatalf("someone else's user was touched: %v", err)
	}
}

func TestAccOnboardedUser_createSuspended(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Dennis Ritchie", Email: "dmr@example.com", Groups: groups, Store: true, Status: "suspended"}
	appliesStably(t, cfg.String(),
		testAccCheckUser(t, name, map[string]string{"FullName": "Dennis Ritchie"}, groups, false),
		resource.TestCheckNoResourceAttr(userResource, "temporary_password"),
		resource.TestCheckResourceAttr(userResource, "onboarding_checklist.console_access", "false"),
		resource.TestMatchResourceAttr(userResource, "onboarding_instructions", regexp.MustCompile(`suspended`)),
	)
}

// TestAccOnboardedUser_withGroupBaseline onboards a person into the groups of a baseline created in
// the same apply (group names unknown at plan time, memberships added right after the groups exist).
func TestAccOnboardedUser_withGroupBaseline(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1 to run it", resource.EnvTfAcc)
	}
	prefix := acctest.RandomName("tf-acc") + "-"
	name := acctest.RandomName("tf-acc-user")
	cfg := fmt.Sprintf(`
resource "iambaseline_startup_group_baseline" "test" {
  name_prefix = %[1]q
}

resource "iambaseline_onboarded_user" "test" {
  user_name               = %[2]q
  full_name               = "Katherine Johnson"
  email                   = "katherine@example.com"
  groups                  = [iambaseline_startup_group_baseline.test.group_names["Developers"], iambaseline_startup_group_baseline.test.group_names["ReadOnly"]]
  store_password_in_state = true
}
`, prefix, name)
	appliesStably(t, cfg,
		testAccCheckUser(t, name, map[string]string{"FullName": "Katherine Johnson"}, []string{prefix + "Developers", prefix + "ReadOnly"}, true),
		resource.TestCheckResourceAttr(userResource, "onboarding_checklist.groups_assigned", "true"),
	)
}

// TestAccOnboardedUser_driftRecord: the record and the login profile changed out of band are put back.
func TestAccOnboardedUser_driftRecord(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Hedy Lamarr", Email: "hedy@example.com", Groups: groups, Store: true}
	api, ctx := acctest.IAM(t), context.Background()
	var password string
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{Config: cfg.String(), Check: resource.TestCheckResourceAttrWith(userResource, "temporary_password", func(v string) error { password = v; return nil })},
		resource.TestStep{
			PreConfig: func() {
				if _, err := api.TagUser(ctx, &iam.TagUserInput{UserName: aws.String(name), Tags: []types.Tag{{Key: aws.String("FullName"), Value: aws.String("Someone Else")}}}); err != nil {
					t.Fatal(err)
				}
				if _, err := api.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(name)}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(userResource, plancheck.ResourceActionUpdate),
				plancheck.ExpectUnknownValue(userResource, tfjsonpath.New("temporary_password")),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, map[string]string{"FullName": "Hedy Lamarr"}, groups, true),
				resource.TestCheckResourceAttrWith(userResource, "temporary_password", func(v string) error {
					if v == password {
						return errors.New("the restored login profile did not get a new password")
					}
					return meetsPolicy(v, 20)
				}),
			),
		},
		emptyPlanStep(cfg.String()),
	))
}

// testAccCheckUserTagsExact checks every tag of the user (the record included) through the SDK.
func testAccCheckUserTagsExact(t *testing.T, name string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := acctest.IAM(t).ListUserTags(context.Background(), &iam.ListUserTagsInput{UserName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("tags of IAM user %s: %w", name, err)
		}
		got := iamTagMap(out.Tags)
		if !maps.Equal(got, want) {
			return fmt.Errorf("tags of %s = %v, want %v", name, got, want)
		}
		return nil
	}
}

// TestAccOnboardedUser_defaultTags: tags_all is default_tags with the own tags (the record tags are
// not in it); a change of default_tags is applied to the existing user, and tags deleted out of band
// are put back.
func TestAccOnboardedUser_defaultTags(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := func(defaults map[string]string) userConfig {
		return userConfig{Name: name, FullName: "Grace Hopper", Email: "grace@example.com", JobTitle: "Admiral", Groups: groups, Store: true,
			Tags: map[string]string{"B": "2"}, DefaultTags: defaults}
	}
	record := map[string]string{"FullName": "Grace Hopper", "Email": "grace@example.com", "JobTitle": "Admiral"}
	with := func(tags map[string]string) map[string]string {
		out := maps.Clone(record)
		maps.Copy(out, tags)
		return out
	}
	ownTags := statecheck.ExpectKnownValue(userResource, tfjsonpath.New("tags"), knownTags(map[string]string{"B": "2"}))
	tagsAll := func(tags map[string]string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(userResource, tfjsonpath.New("tags_all"), knownTags(tags))
	}
	update := resource.ConfigPlanChecks{
		PreApply: []plancheck.PlanCheck{
			plancheck.ExpectNonEmptyPlan(),
			plancheck.ExpectResourceAction(userResource, plancheck.ResourceActionUpdate),
		},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	// tagsStep applies defaults as the provider's default_tags after change (out of band, or nil):
	// an update, after which the user's tags are all (and its record).
	tagsStep := func(defaults map[string]string, change func(), all map[string]string) resource.TestStep {
		return resource.TestStep{
			PreConfig: change, Config: cfg(defaults).String(), ConfigPlanChecks: update,
			Check:             testAccCheckUserTagsExact(t, name, with(all)),
			ConfigStateChecks: []statecheck.StateCheck{ownTags, tagsAll(all)},
		}
	}
	created := tagsStep(map[string]string{"A": "1"}, nil, map[string]string{"A": "1", "B": "2"})
	created.ConfigPlanChecks = resource.ConfigPlanChecks{}
	// A default tag added to the provider: an in-place update of tags_all.
	added := tagsStep(map[string]string{"A": "1", "C": "3"}, nil, map[string]string{"A": "1", "B": "2", "C": "3"})
	added.ConfigPlanChecks.PreApply = append(slices.Clone(update.PreApply),
		plancheck.ExpectKnownValue(userResource, tfjsonpath.New("tags_all"), knownTags(map[string]string{"A": "1", "B": "2", "C": "3"})))
	final := map[string]string{"C": "3"}
	resource.ParallelTest(t, accTest(t,
		created,
		added,
		// A default tag removed from the provider: removed from the user.
		tagsStep(final, nil, map[string]string{"B": "2", "C": "3"}),
		// An own tag and a default tag deleted out of band: drift, repaired by apply.
		tagsStep(final, func() {
			_, err := acctest.IAM(t).UntagUser(context.Background(), &iam.UntagUserInput{UserName: aws.String(name), TagKeys: []string{"B", "C"}})
			if err != nil {
				t.Fatal(err)
			}
		}, map[string]string{"B": "2", "C": "3"}),
		// A tag added out of band: removed by apply, the record kept.
		tagsStep(final, func() {
			_, err := acctest.IAM(t).TagUser(context.Background(), &iam.TagUserInput{UserName: aws.String(name),
				Tags: []types.Tag{{Key: aws.String("Foreign"), Value: aws.String("x")}}})
			if err != nil {
				t.Fatal(err)
			}
		}, map[string]string{"B": "2", "C": "3"}),
		emptyPlanStep(cfg(map[string]string{"C": "3"}).String()),
	))
}
