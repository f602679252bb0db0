package awssso

// BaselineSpec is what iambaseline_identity_center_baseline wants to exist.
type BaselineSpec struct {
	InstanceARN     string
	IdentityStoreID string
	// Sets are the job functions, each one identity-store group and one permission set of the same
	// name, in apply order.
	Sets []SetSpec
	// AccountIDs are the accounts every set is provisioned to and its group assigned in.
	AccountIDs []string
	// ForceDestroy lets Destroy remove assignments of other principals to the baseline's sets.
	ForceDestroy bool
	// ReadTags says the read lists each set's tags: the baseline has tags, or had them. A baseline
	// that never had tags sends no tag request (an out-of-band tag on its sets goes unseen).
	ReadTags bool
}

// SetSpec is one job function.
type SetSpec struct {
	Key               string // role key or additional group name: the key of the outputs
	Name              string // the permission set's name and the group's display name
	Description       string
	SessionDuration   string // ISO 8601, always sent
	RelayState        string
	InlinePolicy      string // "" for none
	ManagedPolicyARNs []string
	// Tags are the permission set's tags (identity-store groups carry none).
	Tags map[string]string
	// Additional says the set is one of additional_groups, not a job function.
	Additional bool
}

// BaselineState is what exists of a baseline's sets, keyed by set name.
type BaselineState struct {
	Sets map[string]*SetState
	// OtherSets are the instance's permission sets that spec does not name (without their
	// policies), by name: what an import looks through for additional groups.
	OtherSets map[string]SetState
}

// Exists says whether any part of the set exists: its permission set or its group.
func (s *SetState) Exists() bool { return s != nil && (s.ARN != "" || s.GroupID != "") }

// Exists says whether any set of the baseline exists in part.
func (b *BaselineState) Exists() bool {
	for _, st := range b.Sets {
		if st.Exists() {
			return true
		}
	}
	return false
}

// SetState is what exists of one job function. A nil ARN or GroupID says that part is missing.
type SetState struct {
	Name              string
	ARN               string
	GroupID           string
	Description       string
	SessionDuration   string
	RelayState        string
	InlinePolicy      string
	ManagedPolicyARNs []string
	// Tags are the set's tags, nil when not read (BaselineSpec.ReadTags).
	Tags map[string]string
	// ProvisionedAccounts are the accounts AWS lists the set as provisioned to.
	ProvisionedAccounts []string
	// AssignedAccounts are the accounts (of the spec) where the group is assigned the set.
	AssignedAccounts []string
	// OtherAssignments are assignments of the set to other principals in the spec's accounts.
	OtherAssignments []Assignment
}

// Assignment is one account assignment.
type Assignment struct {
	AccountID     string
	PrincipalType string // GROUP or USER
	PrincipalID   string
}
