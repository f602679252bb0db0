package provider

import (
	"os"
	"strings"
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
	b, err := os.ReadFile("../../templates/data-sources/audit.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, c := range baseline.AuditChecks {
		row := "| `" + c.ID + "` | " + c.CISControl + " | " + c.Severity + " |"
		if !strings.Contains(doc, row) {
			t.Errorf("templates/data-sources/audit.md.tmpl lacks the row %q", row)
		}
	}
}
