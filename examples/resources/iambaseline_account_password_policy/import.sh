# The password policy is an account-wide singleton with a fixed import ID.
terraform import iambaseline_account_password_policy.this iam-account-password-policy
