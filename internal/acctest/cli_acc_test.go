package acctest

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/faultproxy"
)

func TestAccCLI_runsProviderThroughProxy(t *testing.T) {
	SkipUnlessAcc(t)
	proxy := StartFaultProxy(t, EmulatorEndpoint(), faultproxy.Config{})
	cli := NewCLI(t)
	cli.WriteConfig(ProviderBlock(proxy.URL(), 10))
	out, err := cli.Run("apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Apply complete!") {
		t.Errorf("unexpected apply output:\n%s", out)
	}
	run := cli.Start("plan", "-detailed-exitcode", "-input=false", "-no-color")
	if out, code, _ := run.Wait(); code != 0 {
		t.Errorf("plan exit %d, want 0 (no changes)\n%s", code, out)
	}
}

func TestAccCensus_seesUsersGroupsLoginProfilesAndPolicies(t *testing.T) {
	SkipUnlessAcc(t)
	client := IAM(t)
	ctx := context.Background()
	prefix := RandomName("census")
	group, withLogin, without := prefix+"-devs", prefix+"-ann", prefix+"-bob"
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(client.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(group)}))
	for _, u := range []string{withLogin, without} {
		must(client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u), Path: aws.String("/people/")}))
		t.Cleanup(func() {
			_, _ = client.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(u)})
			_, _ = client.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(u), GroupName: aws.String(group)})
			_, _ = client.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(u)})
		})
	}
	t.Cleanup(func() { _, _ = client.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(group)}) })
	must(client.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(withLogin), GroupName: aws.String(group)}))
	must(client.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(withLogin), Password: aws.String("Census-Passw0rd!x")}))

	// A customer managed policy: a census that does not list it would let "no policy left" pass.
	policy := prefix + "-policy"
	created, err := client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(policy),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = client.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: created.Policy.Arn}) })

	c := TakeCensus(t, client, prefix)
	if !reflect.DeepEqual(c.Policies, []string{policy}) {
		t.Errorf("policies: %v, want [%s]", c.Policies, policy)
	}
	if len(c.Users) != 2 || !c.Users[withLogin].LoginProfile || c.Users[without].LoginProfile {
		t.Errorf("users: %+v", c.Users)
	}
	if got := c.Users[withLogin].Groups; !reflect.DeepEqual(got, []string{group}) || c.Users[withLogin].Path != "/people/" {
		t.Errorf("%s: %+v", withLogin, c.Users[withLogin])
	}
	if got := c.Groups[group]; !reflect.DeepEqual(got, []string{withLogin}) {
		t.Errorf("members of %s = %v", group, got)
	}
}
