package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// TestActivityAlertsTemplateListsEveryAlert keeps the documented alerts (key, CIS number, meaning, what
// to do, pattern) in step with the catalogue.
func TestActivityAlertsTemplateListsEveryAlert(t *testing.T) {
	b, err := os.ReadFile("../../templates/resources/activity_alerts.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, a := range baseline.ActivityAlerts {
		cis := "—"
		if a.CISControl != "" {
			cis = a.CISControl
		}
		row := "| `" + a.Key + "` | " + cis + " | " + a.Description + " | " + a.WhenItFires + " |"
		if !strings.Contains(doc, row) {
			t.Errorf("templates/resources/activity_alerts.md.tmpl lacks the row %q", row)
		}
		if !strings.Contains(doc, "- `"+a.Key+"`: `"+a.Pattern+"`") {
			t.Errorf("templates/resources/activity_alerts.md.tmpl lacks the pattern of %s", a.Key)
		}
	}
}
