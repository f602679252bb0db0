package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

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
