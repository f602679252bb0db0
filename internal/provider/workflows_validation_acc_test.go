package provider_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// Issue 12, item 8: validation matches IAM's limits, no more, no less.

// 256 characters are 512 bytes of "é": IAM counts characters, and so must the plan. 48 own tags are
// fine when job_title is unset: the record then takes only FullName and Email.
func TestAccOnboardedUser_tagLimitsInCharacters(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	long := strings.Repeat("é", 256)
	tags := map[string]string{"Note": long}
	for i := len(tags); i < 48; i++ {
		tags[fmt.Sprintf("Tag%02d", i)] = "x"
	}
	cfg := userConfig{Name: name, FullName: strings.Repeat("é", 256), Email: "e@example.com", Groups: groups, NoConsole: true, Tags: tags}
	want := maps.Clone(tags)
	want["FullName"] = cfg.FullName
	appliesStably(t, cfg.String(),
		testAccCheckUserTagsExact(t, name, withRecord(want, "e@example.com")),
		resource.TestCheckResourceAttr(userResource, "tags.%", "48"),
	)
}

func withRecord(tags map[string]string, email string) map[string]string {
	out := maps.Clone(tags)
	out["Email"] = email
	return out
}

// Values IAM refuses (a comma, an apostrophe in a free tag) and keys that differ only by case fail
// at plan, before any API call: nothing is created (CheckDestroy, and no user in the account).
func TestAccOnboardedUser_tagsIAMRefuses(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	base := userConfig{Name: name, FullName: "Grace Hopper", Email: "grace@example.com", Groups: groups, NoConsole: true}
	comma, quote, cased, email := base, base, base, base
	comma.Tags = map[string]string{"CostCenter": "eng,ops"}
	quote.Tags = map[string]string{"Nickname": "Amazing 'Grace'"}
	cased.Tags = map[string]string{"Team": "a", "team": "b"}
	email.Email = "o'hara@example.com"
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{Config: comma.String(), ExpectError: expectWrapped("Character IAM refuses in a tag value", `remove ","`)},
		resource.TestStep{Config: quote.String(), ExpectError: expectWrapped("Character IAM refuses in a tag value", `remove "'"`)},
		resource.TestStep{Config: cased.String(), ExpectError: expectWrapped("Tag keys that differ only by case", `"Team" and "team"`)},
		resource.TestStep{Config: email.String(), ExpectError: expectWrapped("Character IAM refuses in a tag value", "IAM tag Email")},
		resource.TestStep{
			// Nothing of the refused plans reached AWS.
			Config: `output "refused" { value = true }`,
			Check:  testAccCheckNoUser(t, name),
		},
	))
}

// A resource tag whose key differs from a default tag's only by case replaces it (IAM would keep
// one of them anyway), instead of reaching AWS as a duplicate key.
func TestAccOnboardedUser_defaultTagKeyCase(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Alan Kay", Email: "alan@example.com", Groups: groups, NoConsole: true,
		Tags: map[string]string{"team": "payments"}, DefaultTags: map[string]string{"Team": "platform", "ManagedBy": "terraform"}}
	appliesStably(t, cfg.String(),
		testAccCheckUserTagsExact(t, name, map[string]string{"FullName": "Alan Kay", "Email": "alan@example.com", "team": "payments", "ManagedBy": "terraform"}),
		resource.TestCheckResourceAttr(userResource, "tags_all.%", "2"),
		resource.TestCheckResourceAttr(userResource, "tags_all.team", "payments"),
	)
}

// job_title = "" (a roster with an empty column) means no title: no tag, and no difference on the
// next plan.
func TestAccOnboardedUser_emptyJobTitle(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := strings.Replace(userConfig{Name: name, FullName: "Edsger Dijkstra", Email: "edsger@example.com", Groups: groups, NoConsole: true}.String(),
		"  groups =", "  job_title = \"\"\n  groups =", 1)
	appliesStably(t, cfg,
		testAccCheckUserTagsExact(t, name, map[string]string{"FullName": "Edsger Dijkstra", "Email": "edsger@example.com"}),
		resource.TestCheckResourceAttr(userResource, "job_title", ""),
	)
}

// Seán O'Brien: IAM tag values cannot hold an apostrophe, so the record keeps it as U+02BC (a letter
// to IAM, the same to a reader), and the configuration's spelling shows no difference.
func TestAccOnboardedUser_apostropheInFullName(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Seán O'Brien", Email: "sean@example.com", Groups: groups, NoConsole: true}
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUserTagsExact(t, name, map[string]string{"FullName": "Seán O\u02BCBrien", "Email": "sean@example.com"}),
				resource.TestCheckResourceAttr(userResource, "full_name", "Seán O'Brien"),
			),
		},
		emptyPlanStep(cfg.String()),
		resource.TestStep{
			ResourceName:      userResource,
			ImportState:       true,
			ImportStateId:     name,
			ImportStateVerify: true,
			// An import reads the tag as it is kept: "Seán OʼBrien", in full_name and the instructions (see the docs).
			ImportStateVerifyIgnore: []string{"full_name", "onboarding_instructions", "onboarding_checklist.password_reset_required"},
			Check:                   resource.TestCheckResourceAttr(userResource, "full_name", "Seán O\u02BCBrien"),
		},
	))
}

// Issue 12, item 10: a create plan shows the key's fingerprint, not the whole armored key.
func TestAccOnboardedUser_pgpPlanReadable(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	key, pub := testPGPKey(t)
	fingerprint := strings.ToUpper(fmt.Sprintf("%x", key.PrimaryKey.Fingerprint))
	cfg := userConfig{Name: name, FullName: "Whitfield Diffie", Email: "whit@example.com", Groups: groups, PGPKey: pub}
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectSensitiveValue(userResource, tfjsonpath.New("pgp_key")),
				plancheck.ExpectKnownValue(userResource, tfjsonpath.New("key_fingerprint"), knownvalue.StringExact(fingerprint)),
			}},
			Check: resource.TestCheckResourceAttr(userResource, "key_fingerprint", fingerprint),
		},
		emptyPlanStep(cfg.String()),
	))
}

// testAccCheckNoUser fails when the IAM user exists.
func testAccCheckNoUser(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := acctest.IAM(t).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String(name)})
		switch {
		case err == nil:
			return fmt.Errorf("IAM user %s exists, but its configuration was refused", name)
		case awsiam.ErrorCode(err) != "NoSuchEntity":
			return err
		}
		return nil
	}
}
