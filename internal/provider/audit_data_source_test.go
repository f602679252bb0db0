package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

func TestCredentialSourceNote(t *testing.T) {
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	if got := credentialSourceNote(&awsiam.AccountAudit{CredentialSource: awsiam.CredentialSourceReport, ReportGeneratedAt: at}); got != "credentials from the IAM credential report generated 2026-06-01T10:00:00Z" {
		t.Errorf("report note %q", got)
	}
	got := credentialSourceNote(&awsiam.AccountAudit{CredentialSource: awsiam.CredentialSourcePerUser, CredentialReportError: "AccessDenied: iam:GenerateCredentialReport"})
	if got != "the IAM credential report was unavailable (AccessDenied: iam:GenerateCredentialReport), so credentials were read user by user" {
		t.Errorf("fallback note %q", got)
	}
}

// TestAuditTemplateListsEveryCheck keeps the documentation's check table in step with the checks.
func TestAuditTemplateListsEveryCheck(t *testing.T) {
	lacks := templateLacks(t, "templates/data-sources/audit.md.tmpl")
	for _, c := range baseline.AuditChecks {
		row := "| `" + c.ID + "` | " + c.CISControl + " | " + c.Severity + " |"
		lacks(row, fmt.Sprintf("the row %q", row))
	}
}
