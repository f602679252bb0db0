package baseline

// IAM's quotas that decide whether a document or an attachment is accepted. They are written here
// once: the linter, the group catalogue, the provider's plan-time checks and the AWS layer's
// explanation of a LimitExceeded answer all read them from this file. Sizes count characters other
// than whitespace, which is how IAM measures a policy document.
const (
	// ManagedPolicyMaxChars is the size quota of a customer managed policy (not adjustable).
	ManagedPolicyMaxChars = 6144
	// GroupInlinePolicyMaxChars is the quota of all inline policies of one group together.
	GroupInlinePolicyMaxChars = 5120
	// RoleInlinePolicyMaxChars is the quota of all inline policies of one role together.
	RoleInlinePolicyMaxChars = 10240
	// UserInlinePolicyMaxChars is the quota of all inline policies of one user together.
	UserInlinePolicyMaxChars = 2048
	// TrustPolicyMaxChars is the default quota of a role trust policy (raisable to 4,096).
	TrustPolicyMaxChars = 2048

	// ManagedPoliciesPerGroup is how many managed policies one group may have attached (not adjustable).
	ManagedPoliciesPerGroup = 10
	// ManagedPoliciesPerRoleDefault and ManagedPoliciesPerUserDefault are the default quotas of
	// attached managed policies (raisable to 20 through Service Quotas).
	ManagedPoliciesPerRoleDefault = 10
	ManagedPoliciesPerUserDefault = 10
	// GroupsPerUser is how many groups one user may be in (not adjustable).
	GroupsPerUser = 10
	// PolicyVersionsMax is how many versions one managed policy keeps (not adjustable).
	PolicyVersionsMax = 5
	// UsersPerAccount is IAM's quota of users in one account (not adjustable).
	UsersPerAccount = 5000
)
