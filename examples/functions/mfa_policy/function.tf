# The baseline's MFA-enforcement policy, to attach with another provider (Terraform >= 1.8).
resource "aws_iam_policy" "require_mfa" {
  name   = "RequireMFA"
  policy = provider::iambaseline::mfa_policy(true) # true: allow the first-login password change without MFA
}
