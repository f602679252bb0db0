package awsiam

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest/accenv"
)

// emulatorClient returns a client of the emulator that `make test` starts, skipping outside
// acceptance runs like the Terraform acceptance tests do.
func emulatorClient(t *testing.T) *Client {
	t.Helper()
	if !accenv.Enabled() {
		t.Skip(accenv.SkipReason)
	}
	c, err := NewClient(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAccSnapshot(t *testing.T) {
	c := emulatorClient(t)
	ctx := context.Background()
	user, group := accenv.RandomName("snap-user"), accenv.RandomName("snap-group")
	if _, err := c.iamAPI.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user), Tags: []types.Tag{{Key: aws.String("FullName"), Value: aws.String("Ada Lovelace")}}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = c.iamAPI.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(user), GroupName: aws.String(group)})
		_, _ = c.iamAPI.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String(user), SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/" + user)})
		_, _ = c.iamAPI.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/" + user)})
		_, _ = c.iamAPI.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(group)})
		_, _ = c.iamAPI.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(user)})
	})
	if _, err := c.iamAPI.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}

	s1, err := c.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := s1.users[user]
	if !ok || len(u.Tags) != 1 || aws.ToString(u.Tags[0].Value) != "Ada Lovelace" {
		t.Fatalf("snapshot user = %+v", u)
	}
	if _, ok := s1.groups[group]; !ok {
		t.Fatalf("snapshot lacks group %s", group)
	}
	calls := c.Calls.Total()
	if s2, _ := c.Snapshot(ctx); s2 != s1 || c.Calls.Total() != calls {
		t.Fatal("a second read without writes must reuse the snapshot")
	}

	// A write through this client makes the next read reload.
	if _, err := c.iamAPI.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(user), GroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	dev, err := c.iamAPI.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(user)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.iamAPI.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")}); err != nil {
		t.Fatal(err)
	}
	s3, err := c.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s3 == s1 {
		t.Fatal("snapshot not reloaded after a write")
	}
	if !slices.Contains(s3.groupMembers[group], user) || !slices.Contains(s3.users[user].GroupList, group) {
		t.Fatalf("membership missing: %v", s3.groupMembers[group])
	}
	virtual, err := s3.loadVirtualMFA(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := virtual[user]; len(got) != 1 || got[0] != aws.ToString(dev.VirtualMFADevice.SerialNumber) {
		t.Fatalf("virtual MFA of %s = %v", user, got)
	}
}
