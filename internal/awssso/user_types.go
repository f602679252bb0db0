package awssso

// UserSpec is what iambaseline_identity_center_user wants to exist: one identity-store user and
// exactly its group memberships.
type UserSpec struct {
	InstanceARN     string
	IdentityStoreID string
	UserRecord
	// Groups are display names of identity-store groups; the user is a member of exactly these.
	Groups []string
	// Suspended removes every membership and every assignment of the user (to any account and
	// permission set) while keeping the user record.
	Suspended bool
}

// UserRecord is the identity-store record of a person: wanted in a UserSpec, read in a UserState.
type UserRecord struct {
	UserName    string
	GivenName   string
	FamilyName  string
	DisplayName string
	Email       string
	JobTitle    string
}

// UserState is what exists of a user. An empty UserID says the user does not exist.
type UserState struct {
	UserID string
	UserRecord
	// Status is AWS's UserStatus (ENABLED, DISABLED) when the endpoint reports it, else "".
	Status string
	// Memberships are the user's group memberships, every group of the identity store.
	Memberships []Membership
	// DirectAssignments are account assignments made to the user itself (not through a group).
	DirectAssignments []UserAssignment
	// PortalGroups counts the user's groups that are assigned a permission set in some account: with
	// DirectAssignments, what the access portal shows the user.
	PortalGroups int
}

// Membership is one group membership.
type Membership struct {
	MembershipID string
	GroupID      string
	GroupName    string
}

// UserAssignment is an account assignment of a permission set to a user.
type UserAssignment struct {
	AccountID        string
	PermissionSetARN string
}

// GroupNames are the display names of the user's groups.
func (s *UserState) GroupNames() []string {
	out := make([]string, 0, len(s.Memberships))
	for _, m := range s.Memberships {
		out = append(out, m.GroupName)
	}
	return out
}
