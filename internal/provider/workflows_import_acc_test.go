package provider_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// Issue 12, item 5: adopting console-made users with import blocks and -generate-config-out. The
// generated configuration cannot be complete (no delivery for a console user, no record for a user
// without FullName/Email tags); the messages say what to add, and once it is added the flow ends in
// an empty plan, with nothing replaced or reset on the way.
func TestAccImport_generatedConfigUsers(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	api := acctest.IAM(t)
	ctx := context.Background()
	group := testGroups(t, 1)[0]
	console, bare := acctest.RandomName("tf-acc-console"), acctest.RandomName("tf-acc-bare")
	for _, u := range []struct {
		name string
		tags []types.Tag
	}{
		{console, []types.Tag{{Key: aws.String("FullName"), Value: aws.String("Console Carla")}, {Key: aws.String("Email"), Value: aws.String("carla@example.com")}}},
		{bare, nil},
	} {
		if _, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u.name), Tags: u.tags}); err != nil {
			t.Fatal(err)
		}
		if _, err := api.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(u.name), GroupName: aws.String(group)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := api.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(console), Password: aws.String("Console-made-1234!")}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = api.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(console)})
		for _, u := range []string{console, bare} {
			_, _ = api.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(u), GroupName: aws.String(group)})
			_, _ = api.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(u)})
		}
	})

	cli := acctest.NewCLI(t)
	cli.WriteConfig(`terraform {
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}

import {
  to = iambaseline_onboarded_user.console
  id = "` + console + `"
}

import {
  to = iambaseline_onboarded_user.bare
  id = "` + bare + `"
}
`)
	out, err := cli.Run("plan", "-no-color", "-input=false", "-generate-config-out=generated.tf")
	if err == nil {
		t.Fatalf("the generated configuration cannot be complete, yet the plan passed:\n%s", out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"No delivery chosen for the temporary password", "After an import", "the person keeps the password they have",
		"Imported user has no record", "full_name (tag FullName) and email (tag Email)",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the plan after -generate-config-out does not say %q:\n%s", want, out)
		}
	}

	// Do what the messages say.
	path := filepath.Join(cli.Dir, "generated.tf")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no generated configuration: %v\n%s", err, out)
	}
	generated := string(b)
	blocks := strings.SplitAfter(generated, "\n}\n")
	for i, blk := range blocks {
		switch {
		case strings.Contains(blk, `"iambaseline_onboarded_user" "console"`):
			blocks[i] = regexp.MustCompile(`store_password_in_state\s*=\s*false`).ReplaceAllString(blk, "store_password_in_state = true")
		case strings.Contains(blk, `"iambaseline_onboarded_user" "bare"`):
			blk = regexp.MustCompile(`full_name\s*=\s*null`).ReplaceAllString(blk, `full_name = "Bare Bob"`)
			blocks[i] = regexp.MustCompile(`email\s*=\s*null`).ReplaceAllString(blk, `email = "bob@example.com"`)
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(blocks, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := cli.Run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil || strings.Contains(out, "must be replaced") || strings.Contains(out, "destroy") && !strings.Contains(out, "0 to destroy") {
		t.Fatalf("apply of the completed configuration (err %v):\n%s", err, out)
	}
	// Console access kept, the record written.
	if _, err := api.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(console)}); err != nil {
		t.Errorf("the imported console user lost its password: %v", err)
	}
	testAccCheckUserTagsExactNow(t, bare, map[string]string{"FullName": "Bare Bob", "Email": "bob@example.com"})
	r := cli.Start("plan", "-no-color", "-input=false", "-detailed-exitcode")
	if out, code, _ := r.Wait(); code != 0 {
		t.Fatalf("the plan after adoption is not empty (exit %d):\n%s", code, out)
	}
	if out, err := cli.Run("state", "rm", "iambaseline_onboarded_user.console", "iambaseline_onboarded_user.bare"); err != nil {
		t.Fatalf("state rm: %v\n%s", err, out)
	}
}

func testAccCheckUserTagsExactNow(t *testing.T, name string, want map[string]string) {
	t.Helper()
	if err := testAccCheckUserTagsExact(t, name, want)(nil); err != nil {
		t.Error(err)
	}
}
