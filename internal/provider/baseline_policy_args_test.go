package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// TestPlannedPolicyDocuments: the rule both baselines (IAM groups, Identity Center permission sets)
// plan their documents by. Without a prior state the documents are unknown (one plan line) and the
// summaries known; with one, a document it holds is planned known (its change shows as a diff, no
// change shows nothing) and a document it lacks is unknown.
func TestPlannedPolicyDocuments(t *testing.T) {
	docs := map[string]string{
		"Developers": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`,
		"mfa":        `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:ChangePassword","Resource":"*"}]}`,
	}
	documents, summaries := plannedPolicyDocuments(docs, types.MapNull(types.StringType))
	if !documents.IsUnknown() {
		t.Errorf("without a prior state the documents are planned %v, want unknown", documents)
	}
	if !summaries.Equal(stringMapValue(baseline.PolicySummaries(docs))) {
		t.Errorf("summaries = %v", summaries)
	}

	prior := stringMapValue(map[string]string{"mfa": `{"old":true}`})
	documents, _ = plannedPolicyDocuments(docs, prior)
	elems := documents.Elements()
	if len(elems) != 2 || !elems["Developers"].IsUnknown() {
		t.Errorf("a document the state lacks is planned %v, want unknown", elems["Developers"])
	}
	if !elems["mfa"].Equal(types.StringValue(docs["mfa"])) {
		t.Errorf("a document the state holds is planned %v, want the rendered one (a diff of its change)", elems["mfa"])
	}

	documents, _ = plannedPolicyDocuments(docs, stringMapValue(docs))
	if !documents.Equal(stringMapValue(docs)) {
		t.Errorf("unchanged documents are planned %v, want them as they are (no difference)", documents)
	}
}
