# A developer who also reads production, and a colleague on leave: suspended, every membership and
# assignment removed, the record kept.
resource "iambaseline_identity_center_user" "ada" {
  user_name   = "ada.lovelace"
  given_name  = "Ada"
  family_name = "Lovelace"
  email       = "ada@example.com"
  job_title   = "Backend engineer"
  groups = [
    iambaseline_identity_center_baseline.this.group_names["Developers"],
    iambaseline_identity_center_baseline.this.group_names["ReadOnly"],
  ]
}

resource "iambaseline_identity_center_user" "grace" {
  user_name   = "grace.hopper"
  given_name  = "Grace"
  family_name = "Hopper"
  email       = "grace@example.com"
  groups      = [iambaseline_identity_center_baseline.this.group_names["SysAdmins"]]
  status      = "suspended"
}

# Send it to the person (e.g. by email); it holds no secret.
output "ada_onboarding" {
  value = iambaseline_identity_center_user.ada.onboarding_instructions
}
