package provider

import (
	"strings"
	"testing"
)

func TestOffboardingBlocked(t *testing.T) {
	summary, detail := offboardingBlocked("ada", "1 access key(s)")
	expectSays(t, "detail", detail,
		"IAM user (ada) cannot be deleted while it has 1 access key(s)",
		"set force_destroy = true, apply, then destroy",
		"put the entry back as it was with force_destroy = true, apply",
		"then remove the entry again and apply",
		"aws iam list-access-keys --user-name ada",
		"`terraform state rm <address>` only makes Terraform forget the person",
	)
	if !strings.Contains(summary, "made outside Terraform") {
		t.Errorf("summary %q", summary)
	}
}
