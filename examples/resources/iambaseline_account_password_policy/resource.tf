# CIS-aligned defaults: 14 characters, all four character classes, 90-day rotation,
# the last 24 passwords remembered, users may change their own password.
resource "iambaseline_account_password_policy" "this" {}

# Or tune it:
# resource "iambaseline_account_password_policy" "this" {
#   minimum_password_length   = 16
#   max_password_age          = 0 # passwords never expire (NIST 800-63B style, with MFA everywhere)
#   password_reuse_prevention = 24
#   hard_expiry               = false
# }
