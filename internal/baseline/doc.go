// Package baseline holds the opinions of the provider: what a startup's IAM
// baseline should look like, written as plain Go values with no AWS SDK and no
// Terraform types.
//
// It answers "what should exist": the four standard groups and the
// least-privilege policy each one gets (groups.go), the MFA-enforcement policy
// every human works under (mfa.go), and a typed IAM policy-document model that
// renders deterministic JSON, parses what IAM returns (URL-encoded, reordered,
// string-or-list) and compares documents semantically so that a reordered
// document never shows up as a diff (policy.go). It also holds the rules the
// resources apply: the trust policy of a service role and how to read it back
// (trust.go), the startup group baseline's names, attachments and what it may
// adopt (group_baseline.go), the onboarding record, text and user adoption
// (onboarding.go), password rules and CIS defaults (password.go,
// password_rules.go), partition-aware ARNs and console URLs (partition.go).
//
// Read this package to know the product. The provider layer turns Terraform
// configuration into calls here; the AWS layer makes reality match the result.
package baseline
