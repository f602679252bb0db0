package awssso

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// instanceAdmin answers ListInstances with instances and DescribeInstance with describe.
type instanceAdmin struct {
	ssoAdminAPI
	instances []ssotypes.InstanceMetadata
	describe  func() (*ssoadmin.DescribeInstanceOutput, error)
}

func (f *instanceAdmin) ListInstances(context.Context, *ssoadmin.ListInstancesInput, ...func(*ssoadmin.Options)) (*ssoadmin.ListInstancesOutput, error) {
	return &ssoadmin.ListInstancesOutput{Instances: f.instances}, nil
}

func (f *instanceAdmin) DescribeInstance(context.Context, *ssoadmin.DescribeInstanceInput, ...func(*ssoadmin.Options)) (*ssoadmin.DescribeInstanceOutput, error) {
	return f.describe()
}

func instance(arn, owner string) ssotypes.InstanceMetadata {
	return ssotypes.InstanceMetadata{InstanceArn: aws.String(arn), IdentityStoreId: aws.String("d-1"), OwnerAccountId: aws.String(owner)}
}

func TestFindInstance(t *testing.T) {
	org := func() (*ssoadmin.DescribeInstanceOutput, error) {
		return &ssoadmin.DescribeInstanceOutput{PermissionSetsEnabled: aws.Bool(true)}, nil
	}
	account := func() (*ssoadmin.DescribeInstanceOutput, error) {
		return &ssoadmin.DescribeInstanceOutput{PermissionSetsEnabled: aws.Bool(false)}, nil
	}
	unanswered := func() (*ssoadmin.DescribeInstanceOutput, error) { return nil, apiError("AccessDeniedException") }
	for _, tc := range []struct {
		name      string
		instances []ssotypes.InstanceMetadata
		arn       string
		describe  func() (*ssoadmin.DescribeInstanceOutput, error)
		want      string // "" for success
		is        error
	}{
		{"one organization instance", []ssotypes.InstanceMetadata{instance("arn:i1", "111111111111")}, "", org, "", nil},
		{"describe unanswered is no evidence", []ssotypes.InstanceMetadata{instance("arn:i1", "111111111111")}, "", unanswered, "", nil},
		{"none", nil, "", org, "Enable with AWS Organizations", ErrNoInstance},
		{"account instance", []ssotypes.InstanceMetadata{instance("arn:i2", "222222222222")}, "", account, "account instance", ErrAccountInstance},
		{"several without instance_arn", []ssotypes.InstanceMetadata{instance("arn:i1", "1"), instance("arn:i2", "2")}, "", org, "set instance_arn", nil},
		{"several with instance_arn", []ssotypes.InstanceMetadata{instance("arn:i1", "1"), instance("arn:i2", "2")}, "arn:i2", org, "", nil},
		{"instance_arn not visible", []ssotypes.InstanceMetadata{instance("arn:i1", "1")}, "arn:other", org, "not visible", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{admin: &instanceAdmin{instances: tc.instances, describe: tc.describe}, backoff: fastBackoff}
			in, err := c.FindInstance(context.Background(), tc.arn)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tc.arn != "" && in.ARN != tc.arn {
					t.Fatalf("instance %s, want %s", in.ARN, tc.arn)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("error %v is not %v", err, tc.is)
			}
		})
	}
}

// The instance is looked up once per provider configuration: every resource reuses it.
func TestFindInstanceRemembered(t *testing.T) {
	calls := 0
	admin := &instanceAdmin{instances: []ssotypes.InstanceMetadata{instance("arn:i1", "1")}, describe: func() (*ssoadmin.DescribeInstanceOutput, error) {
		calls++
		return &ssoadmin.DescribeInstanceOutput{PermissionSetsEnabled: aws.Bool(true)}, nil
	}}
	m := newMemo()
	for range 3 {
		c := &Client{admin: admin, backoff: fastBackoff, memo: m}
		if _, err := c.FindInstance(context.Background(), ""); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Fatalf("DescribeInstance sent %d times, want 1", calls)
	}
}
