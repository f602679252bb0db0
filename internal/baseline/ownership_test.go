package baseline

import (
	"strings"
	"testing"
)

func TestAdoptionRefusal(t *testing.T) {
	for _, tc := range []struct {
		name  string
		e     OwnershipEvidence
		adopt bool
		says  []string
	}{
		{"left by an interrupted create", OwnershipEvidence{Kind: "IAM user", Name: "ada", Marked: true}, true, nil},
		{"identical but unmarked (another state, a re-keyed for_each)", OwnershipEvidence{Kind: "IAM user", Name: "ada"}, false,
			[]string{"IAM user (ada)", CreateMarkerTag, "`moved` block", "terraform import iambaseline_onboarded_user.<name> ada"}},
		{"marked but signed in since", OwnershipEvidence{Kind: "IAM user", Name: "ada", Marked: true, PasswordUsed: true}, false, []string{"password has been used"}},
		{"marked but MFA set up", OwnershipEvidence{Kind: "IAM user", Name: "ada", Marked: true, MFADevices: 1}, false, []string{"1 MFA device"}},
		{"marked but with a key", OwnershipEvidence{Kind: "IAM user", Name: "ada", Marked: true, AccessKeys: 2}, false, []string{"2 access key"}},
		{"marked but used otherwise", OwnershipEvidence{Kind: "IAM role", Name: "app", Marked: true, Uses: []string{"it holds policies this resource does not attach"}}, false, []string{"holds policies"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := AdoptionRefusal("iambaseline_onboarded_user", tc.e)
			if tc.adopt != (err == nil) {
				t.Fatalf("AdoptionRefusal = %v, want adoptable=%v", err, tc.adopt)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("refusal does not say %q:\n%s", s, err)
				}
			}
		})
	}
}
