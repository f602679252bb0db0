package awsiam

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest/accenv"
)

// TestAccReadAccountAudit runs the audit's read against the emulator and reports what it costs.
func TestAccReadAccountAudit(t *testing.T) {
	c := emulatorClient(t)
	ctx := context.Background()
	user := accenv.RandomName("audit-read")
	if _, err := c.iamAPI.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		out, _ := c.iamAPI.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(user)})
		if out != nil {
			for _, k := range out.AccessKeyMetadata {
				_, _ = c.iamAPI.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String(user), AccessKeyId: k.AccessKeyId})
			}
		}
		_, _ = c.iamAPI.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(user)})
		_, _ = c.iamAPI.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(user)})
	})
	if _, err := c.iamAPI.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(user), Password: aws.String("Zq9!tmp-" + accenv.RandomName("pw"))}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.iamAPI.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)}); err != nil {
		t.Fatal(err)
	}
	before := c.Calls.Counts()
	a, err := c.ReadAccountAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after := c.Calls.Counts()
	total := 0
	for op, n := range after {
		total += n - before[op]
	}
	t.Logf("one audit read: %d AWS requests (%s)", total, c.Calls.Summary())
	if a.CredentialSource != CredentialSourceReport {
		t.Fatalf("the emulator's credential report was not used: %s", a.CredentialReportError)
	}
	var row *CredentialRow
	for i := range a.Credentials {
		if a.Credentials[i].User == user {
			row = &a.Credentials[i]
		}
	}
	if row == nil || !row.PasswordEnabled || row.MFAActive || len(row.AccessKeys) != 1 || !row.AccessKeys[0].Active || row.AccessKeys[0].LastRotated == nil {
		t.Fatalf("report row for %s = %+v", user, row)
	}
	if _, ok := a.Snapshot.users[user]; !ok {
		t.Fatalf("snapshot lacks %s", user)
	}
	if total > 12 {
		t.Fatalf("one audit read cost %d requests; it must not depend on the number of users", total)
	}
}
