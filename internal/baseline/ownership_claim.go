package baseline

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Which resource instance a create marker belongs to. Two resource instances of one configuration
// that name the same entity can create it at the same moment: IAM refuses the second create, and
// the loser then finds the winner's entity still carrying the create marker (the winner removes it
// only as its last step). The marker therefore says who set it: a claim derived from what the
// instance configures (its resource type, the entity's name and what identifies it), the same on
// every plan of that instance, so that its own interrupted apply re-applied still adopts what it
// left, and different for another instance naming the same entity with other arguments. The
// provider is never told resource addresses, so the claim cannot be the address; two instances
// with identical arguments are caught at plan instead.

const markerClaimSeparator = " by "

// InstanceClaim is the claim of the resource instance whose identifying arguments are parts.
func InstanceClaim(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// CreateMarkerValue is the value of CreateMarkerTag: when the create started (RFC 3339, for the
// humans who find it) and, when known, the claim of the instance that started it.
func CreateMarkerValue(start time.Time, claim string) string {
	v := start.UTC().Format(time.RFC3339)
	if claim != "" {
		v += markerClaimSeparator + claim
	}
	return v
}

// CreateMarkerClaim is the claim a CreateMarkerTag value carries, "" for a marker without one
// (set by a release before claims, or by a create that did not know its instance).
func CreateMarkerClaim(value string) string {
	_, claim, ok := strings.Cut(value, markerClaimSeparator)
	if !ok {
		return ""
	}
	return claim
}

// markedByAnother tells whether the marker names a claim other than the claimant's.
func (e OwnershipEvidence) markedByAnother() bool {
	return e.Marked && e.MarkerClaim != "" && e.Claimant != "" && e.MarkerClaim != e.Claimant
}
