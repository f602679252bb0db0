package baseline

import (
	"strings"
	"testing"
	"time"
)

func TestCreateMarkerClaim(t *testing.T) {
	start := time.Date(2026, 12, 7, 1, 20, 0, 0, time.UTC)
	claim := InstanceClaim("iambaseline_onboarded_user", "ada", "Ada Lovelace")
	v := CreateMarkerValue(start, claim)
	if v != "2026-12-07T01:20:00Z by "+claim || CreateMarkerClaim(v) != claim {
		t.Fatalf("marker %q, claim %q", v, CreateMarkerClaim(v))
	}
	if got := CreateMarkerClaim("2026-12-07T01:20:00Z"); got != "" {
		t.Fatalf("a marker of an older release has claim %q", got)
	}
	if CreateMarkerValue(start, "") != "2026-12-07T01:20:00Z" {
		t.Fatal("a marker without claim")
	}
	if first, again := InstanceClaim("x"), InstanceClaim("x"); InstanceClaim("a", "bc") == InstanceClaim("ab", "c") || first != again {
		t.Fatal("claims are not a function of the parts")
	}
}

func TestAdoptionRefusal_markerOfAnotherInstance(t *testing.T) {
	mine := InstanceClaim("iambaseline_onboarded_user", "ada", "Ada Lovelace")
	theirs := InstanceClaim("iambaseline_onboarded_user", "ada", "Ada Byron")
	cases := []struct {
		name    string
		ev      OwnershipEvidence
		refused string // "" = adoptable
	}{
		{"own interrupted create", OwnershipEvidence{Kind: "IAM user", Name: "ada", Marked: true, MarkerClaim: mine, Claimant: mine}, ""},
		{"another instance's create", OwnershipEvidence{Kind: "IAM user", Name: "ada", Marked: true, MarkerClaim: theirs, Claimant: mine}, "set by another resource instance (claim " + theirs},
		{"marker of an older release", OwnershipEvidence{Kind: "IAM user", Name: "ada", Marked: true, Claimant: mine}, ""},
		{"unmarked", OwnershipEvidence{Kind: "IAM user", Name: "ada", MarkerClaim: mine, Claimant: mine}, "does not carry"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := AdoptionRefusal("iambaseline_onboarded_user", tc.ev)
			switch {
			case tc.refused == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.refused != "" && (err == nil || !strings.Contains(err.Error(), tc.refused)):
				t.Fatalf("want a refusal mentioning %q, got %v", tc.refused, err)
			}
		})
	}
}
