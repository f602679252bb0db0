# The groups of the baseline (see iambaseline_startup_group_baseline).
resource "iambaseline_startup_group_baseline" "this" {
  name_prefix = "acme-"
}

# Recommended: the temporary password is generated and stored only encrypted with the person's
# PGP key (`gpg --export ada@example.com | base64 -w0`).
resource "iambaseline_onboarded_user" "ada" {
  user_name = "ada"
  full_name = "Ada Lovelace"
  email     = "ada@example.com"
  job_title = "Founding Engineer"
  groups = [
    iambaseline_startup_group_baseline.this.group_names["Developers"],
    iambaseline_startup_group_baseline.this.group_names["ReadOnly"],
  ]
  pgp_key = file("${path.module}/keys/ada.pub.b64")

  tags = {
    Team = "platform"
  }
}

# Terraform >= 1.11: you supply the temporary password (e.g. from an ephemeral resource or a
# variable marked ephemeral); it never lands in the plan or state. Bump the version to set a new one.
variable "grace_temporary_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "iambaseline_onboarded_user" "grace" {
  user_name                     = "grace"
  full_name                     = "Grace Hopper"
  email                         = "grace@example.com"
  groups                        = [iambaseline_startup_group_baseline.this.group_names["SysAdmins"]]
  temporary_password_wo         = var.grace_temporary_password
  temporary_password_wo_version = 1
}

# Explicit opt-in: the generated password is kept in the state (sensitive). Anyone who can read the
# state can read it.
resource "iambaseline_onboarded_user" "alan" {
  user_name               = "alan"
  full_name               = "Alan Turing"
  email                   = "alan@example.com"
  groups                  = [iambaseline_startup_group_baseline.this.group_names["DatabaseAdmins"]]
  store_password_in_state = true
  password_length         = 24
}

# Someone leaving for a while: console access removed and access keys deactivated; the user, its
# record and its groups stay. Back to "active", a new temporary password is delivered.
resource "iambaseline_onboarded_user" "ken" {
  user_name               = "ken"
  full_name               = "Ken Thompson"
  email                   = "ken@example.com"
  groups                  = [iambaseline_startup_group_baseline.this.group_names["ReadOnly"]]
  store_password_in_state = true
  status                  = "suspended"
}

output "ada_onboarding" {
  value = iambaseline_onboarded_user.ada.onboarding_instructions
}

output "ada_encrypted_password" {
  value = iambaseline_onboarded_user.ada.encrypted_temporary_password
}
