package baseline

import (
	"fmt"
	"strings"
)

// The ownership rule. A create that finds its name taken adopts the existing entity only when it is
// provably what an interrupted create of the same resource left behind: the entity carries
// CreateMarkerTag, which a create sends in the create request itself and removes as its very last
// step, and nobody has used it since (no password sign-in, no MFA device, no access key). Anything
// else belongs to another resource instance, another state or a person, and the create fails:
// an identical configuration (same FullName and Email, same path, same documents) is no proof,
// because two states or a re-keyed for_each declare exactly that.

// CreateMarkerTag marks an entity whose create has not finished. Its value is the time the create
// started and the claim of the resource instance that started it (CreateMarkerValue).
const CreateMarkerTag = "iambaseline:create-pending"

// OwnershipEvidence is what an existing entity shows about where it comes from and whether it was
// used. Kind is "IAM user", "IAM role", ...; Uses lists signs of use the rule does not know by name
// ("member of groups a, b", "managed policies attached") and that refuse adoption too.
type OwnershipEvidence struct {
	Kind, Name   string
	Marked       bool   // carries CreateMarkerTag
	MarkerClaim  string // the claim in the marker (CreateMarkerClaim), "" when none
	Claimant     string // the claim of the create that asks to adopt (InstanceClaim), "" when unknown
	PasswordUsed bool
	MFADevices   int
	AccessKeys   int
	Uses         []string
}

// AdoptionRefusal returns nil when the entity may be adopted by the create of resourceType (e.g.
// "iambaseline_onboarded_user"), and otherwise an error that says why not and how to bring the
// entity under this resource: a `moved` block when another address of the same configuration
// manages it, import when it lives outside this state, or another name.
func AdoptionRefusal(resourceType string, e OwnershipEvidence) error {
	var why []string
	if !e.Marked {
		why = append(why, "it does not carry the "+CreateMarkerTag+" tag that an interrupted create of this resource leaves, so another resource, another Terraform state or a person made it")
	}
	if e.markedByAnother() {
		why = append(why, "its "+CreateMarkerTag+" tag was set by another resource instance (claim "+e.MarkerClaim+", this one is "+e.Claimant+"): "+
			"another resource of this configuration names the same entity and is creating it now or was interrupted creating it, so it is that one's")
	}
	if e.PasswordUsed {
		why = append(why, "its password has been used to sign in")
	}
	if e.MFADevices > 0 {
		why = append(why, fmt.Sprintf("it has %d MFA device(s)", e.MFADevices))
	}
	if e.AccessKeys > 0 {
		why = append(why, fmt.Sprintf("it has %d access key(s)", e.AccessKeys))
	}
	why = append(why, e.Uses...)
	if len(why) == 0 {
		return nil
	}
	return fmt.Errorf("%s (%s) already exists and this resource cannot prove it made it: %s. Nothing was changed.\n\n%s",
		e.Kind, e.Name, strings.Join(why, "; "), OwnershipRemedy(resourceType, e.Name))
}

// OwnershipRemedy says how to bring an existing entity under a resource of resourceType.
func OwnershipRemedy(resourceType, name string) string {
	return fmt.Sprintf("If another address of this configuration manages it (a renamed resource, or a changed count or for_each key), "+
		"declare the move with a `moved` block (moved { from = %[1]s.<old> to = %[1]s.<new> }) so that Terraform updates it in place "+
		"instead of destroying it. If it exists outside this state, import it (terraform import %[1]s.<name> %[2]s, or an `import` block) "+
		"after making sure no other state manages it. Otherwise choose another name.", resourceType, name)
}
