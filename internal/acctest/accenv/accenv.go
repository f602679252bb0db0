// Package accenv is the environment of an acceptance run, with no dependency on the rest of the
// project nor on package testing: whether acceptance tests run (TF_ACC), the emulator's endpoint,
// random names. internal/acctest builds its test helpers on it; the packages acctest itself imports
// (awsiam) and commands (the benchmark) use it directly.
package accenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// SkipReason is what a test that needs the emulator says when it is skipped.
const SkipReason = "acceptance test: set TF_ACC=1 (make test does)"

// Enabled tells whether acceptance tests run: TF_ACC is set, as terraform-plugin-testing reads it.
func Enabled() bool { return os.Getenv("TF_ACC") != "" }

// EmulatorEndpoint is the emulator's base URL, or "" against real AWS.
func EmulatorEndpoint() string {
	if v := os.Getenv("AWS_ENDPOINT_URL_IAM"); v != "" {
		return v
	}
	return os.Getenv("AWS_ENDPOINT_URL")
}

// RandomName returns prefix followed by a dash and 10 random lowercase hex characters, so that tests
// run in parallel without meeting each other's entities.
func RandomName(prefix string) string {
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(prefix, "-") + "-" + hex.EncodeToString(b)
}

// IAMClient is a plain SDK client of IAM built from the environment (endpoint, credentials; region
// us-east-1 when none is set), for checks that must not go through the provider. Tests use
// acctest.IAM, which adds the retry healing of lost answers; packages acctest cannot serve
// (awsiam, provider's internal tests) use this one.
func IAMClient(ctx context.Context) (*iam.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading AWS config: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return iam.NewFromConfig(cfg), nil
}

// Problem says why an acceptance test cannot run against the emulator, or "": TF_ACC set without
// an emulator endpoint.
func Problem() string {
	if EmulatorEndpoint() == "" {
		return "TF_ACC is set but AWS_ENDPOINT_URL is not: run through scripts/with-emulator.sh"
	}
	return ""
}
