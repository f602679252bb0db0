// Package acctest holds what the acceptance tests share: the emulator endpoint, provider factories,
// an SDK client for checks that bypass Terraform, and random names so tests run in parallel.
package acctest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest/accenv"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/server"
)

// ProviderName is the provider's type name in configurations.
const ProviderName = "iambaseline"

// ProtoV6ProviderFactories starts an in-process provider for each Terraform command of a test: the
// server main.go serves (internal/server), so tests run the stack production runs.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	ProviderName: server.Factory("test"),
}

// Case is the test case of steps that the provider runs against the emulator (or AWS), checking
// with checkDestroy (when not nil) that the destroy removed what they made.
func Case(t *testing.T, checkDestroy resource.TestCheckFunc, steps []resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { PreCheck(t) },
		ProtoV6ProviderFactories: ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroy,
		Steps:                    steps,
	}
}

// PreCheck stops a test early when the environment cannot run acceptance tests.
func PreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("AWS_ENDPOINT_URL") == "" && os.Getenv("AWS_ENDPOINT_URL_IAM") == "" && os.Getenv("AWS_ACCESS_KEY_ID") == "" && os.Getenv("AWS_PROFILE") == "" {
		t.Fatal("acceptance tests need an AWS endpoint: run them through `make testacc` (starts the emulator) or set AWS credentials")
	}
}

// IAM returns an SDK client built from the environment, for checks that must not go through Terraform.
func IAM(t testing.TB) *iam.Client {
	t.Helper()
	cfg := loadConfig(t)
	plain := iam.NewFromConfig(cfg)
	return iam.NewFromConfig(cfg, func(o *iam.Options) {
		o.APIOptions = append(o.APIOptions, awscore.CountAttempts, retriedCreateMetItsEntity(t, plain))
	})
}

// retriedCreateMetItsEntity makes the test client's creates (test setup made out of band) survive a
// lost answer the way the provider does: the SDK retries a create whose answer was lost after the
// emulator executed it, and the retry meets the entity the first attempt made. A create that failed
// with EntityAlreadyExists after more than one attempt returns the existing entity as its result
// (tests use random names, so after a retry it is the test's own). A first attempt that fails with
// EntityAlreadyExists is still an error.
func retriedCreateMetItsEntity(t testing.TB, plain *iam.Client) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("acctestRetriedCreate",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				cctx, attempts := awscore.WithAttemptCount(ctx)
				out, md, err := next.HandleInitialize(cctx, in)
				if err == nil || !awsiam.HasCode(err, "EntityAlreadyExists") || attempts.Load() < 2 {
					return out, md, err
				}
				result, ok := existingEntity(ctx, plain, in.Parameters)
				if !ok {
					return out, md, err
				}
				t.Logf("acctest: %T was retried after a lost answer and met what its first attempt made; taken as created", in.Parameters)
				out.Result = result
				return out, md, nil
			}), middleware.After)
	}
}

// existingEntity reads what a create input names and returns it as that create's output.
func existingEntity(ctx context.Context, c *iam.Client, params any) (any, bool) {
	switch in := params.(type) {
	case *iam.CreateUserInput:
		if got, err := c.GetUser(ctx, &iam.GetUserInput{UserName: in.UserName}); err == nil {
			return &iam.CreateUserOutput{User: got.User}, true
		}
	case *iam.CreateGroupInput:
		if got, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: in.GroupName}); err == nil {
			return &iam.CreateGroupOutput{Group: got.Group}, true
		}
	case *iam.CreateRoleInput:
		if got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: in.RoleName}); err == nil {
			return &iam.CreateRoleOutput{Role: got.Role}, true
		}
	case *iam.CreateLoginProfileInput:
		if got, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: in.UserName}); err == nil {
			return &iam.CreateLoginProfileOutput{LoginProfile: got.LoginProfile}, true
		}
	case *iam.CreateInstanceProfileInput:
		if got, err := c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: in.InstanceProfileName}); err == nil {
			return &iam.CreateInstanceProfileOutput{InstanceProfile: got.InstanceProfile}, true
		}
	case *iam.CreateVirtualMFADeviceInput:
		path := aws.ToString(in.Path)
		if path == "" {
			path = "/"
		}
		pages := iam.NewListVirtualMFADevicesPaginator(c, &iam.ListVirtualMFADevicesInput{})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return nil, false
			}
			for _, d := range page.VirtualMFADevices {
				if strings.HasSuffix(aws.ToString(d.SerialNumber), ":mfa"+path+aws.ToString(in.VirtualMFADeviceName)) {
					return &iam.CreateVirtualMFADeviceOutput{VirtualMFADevice: &d}, true
				}
			}
		}
	case *iam.CreatePolicyInput:
		prefix := aws.ToString(in.Path)
		if prefix == "" {
			prefix = "/"
		}
		pages := iam.NewListPoliciesPaginator(c, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, PathPrefix: aws.String(prefix)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return nil, false
			}
			for _, p := range page.Policies {
				if aws.ToString(p.PolicyName) == aws.ToString(in.PolicyName) {
					return &iam.CreatePolicyOutput{Policy: &p}, true
				}
			}
		}
	}
	return nil, false
}

// loadConfig is the SDK configuration of the environment (the emulator's endpoint, or AWS), in
// us-east-1 unless it names a region: what every SDK client of the checks is built from.
func loadConfig(t testing.TB) aws.Config {
	t.Helper()
	c, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatalf("loading AWS config: %v", err)
	}
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	return c
}

// STS returns an SDK STS client built from the environment.
func STS(t testing.TB) *sts.Client {
	t.Helper()
	return sts.NewFromConfig(loadConfig(t))
}

// RandomName returns prefix followed by a dash and 10 random lowercase hex characters.
func RandomName(prefix string) string { return accenv.RandomName(prefix) }

// EmulatorEndpoint is the emulator's base URL, or "" against real AWS.
func EmulatorEndpoint() string { return accenv.EmulatorEndpoint() }

// SkipUnlessAcc skips a test that needs the emulator (or AWS) unless TF_ACC is set, as
// resource.Test does, then runs PreCheck. Every TestAcc test that does not go through resource.Test
// starts with it.
func SkipUnlessAcc(t *testing.T) {
	t.Helper()
	if !accenv.Enabled() {
		t.Skip(accenv.SkipReason)
	}
	PreCheck(t)
}

// EmulatorIAM is SkipUnlessAcc plus an SDK client of the emulator, for tests that drive the
// emulator directly (fault proxies, protocol-level tests); it fails without an emulator endpoint.
func EmulatorIAM(t *testing.T) *iam.Client {
	t.Helper()
	SkipUnlessAcc(t)
	if msg := accenv.Problem(); msg != "" {
		t.Fatal(msg)
	}
	return IAM(t)
}
