package acctest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
)

// SSOAdmin and IdentityStore return SDK clients built from the environment, for Exists and
// CheckDestroy checks and out-of-band changes of IAM Identity Center.
func SSOAdmin(t testing.TB) *ssoadmin.Client {
	t.Helper()
	return ssoadmin.NewFromConfig(loadConfig(t))
}

func IdentityStore(t testing.TB) *identitystore.Client {
	t.Helper()
	return identitystore.NewFromConfig(loadConfig(t))
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
