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
}

// BaselineState is what exists of a baseline's sets, keyed by set name.
type BaselineState struct {
	Sets map[string]*SetState
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
