// Package acctest holds what the acceptance tests share: the emulator endpoint, provider factories,
// an SDK client for checks that bypass Terraform, and random names so tests run in parallel.
package acctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/provider"
)

// ProviderName is the provider's type name in configurations.
const ProviderName = "iambaseline"

// ProtoV6ProviderFactories starts an in-process provider for each Terraform command of a test.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	ProviderName: providerserver.NewProtocol6WithError(provider.New("test")()),
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
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatalf("loading AWS config: %v", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return iam.NewFromConfig(cfg)
}

// STS returns an SDK STS client built from the environment.
func STS(t testing.TB) *sts.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatalf("loading AWS config: %v", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return sts.NewFromConfig(cfg)
}

// RandomName returns prefix followed by a dash and 10 random lowercase hex characters.
func RandomName(prefix string) string {
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(prefix, "-") + "-" + hex.EncodeToString(b)
}

// EmulatorEndpoint is the emulator's base URL, or "" against real AWS.
func EmulatorEndpoint() string {
	if v := os.Getenv("AWS_ENDPOINT_URL_IAM"); v != "" {
		return v
	}
	return os.Getenv("AWS_ENDPOINT_URL")
}
