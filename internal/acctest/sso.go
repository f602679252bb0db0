package acctest

import (
	"testing"

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
