package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// TestActivityAlertsTemplateListsEveryAlert keeps the documented alerts (key, CIS number, meaning, what
// to do, pattern) in step with the catalogue.
func TestActivityAlertsTemplateListsEveryAlert(t *testing.T) {
	lacks := templateLacks(t, "templates/resources/activity_alerts.md.tmpl")
	for _, a := range baseline.ActivityAlerts {
		cis := "—"
		if a.CISControl != "" {
			cis = a.CISControl
		}
		row := "| `" + a.Key + "` | " + cis + " | " + a.Description + " | " + a.WhenItFires + " |"
		lacks(row, fmt.Sprintf("the row %q", row))
		lacks("- `"+a.Key+"`: `"+a.Pattern+"`", "the pattern of "+a.Key)
	}
}

// templateLacks reads the documentation template at path (from the repository root) and returns a
// check that reports, as "PATH lacks WHAT", each text the template does not contain.
func templateLacks(t *testing.T, path string) func(text, what string) {
	t.Helper()
	b, err := os.ReadFile("../../" + path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	return func(text, what string) {
		t.Helper()
		if !strings.Contains(doc, text) {
			t.Errorf("%s lacks %s", path, what)
		}
	}
}
