# The demo of `make demo-identity-center`: the four job functions in IAM Identity Center and a few
# people, one of them suspended.
terraform {
  required_providers {
    iambaseline = { source = "iambaseline/iambaseline" }
  }
}

provider "iambaseline" {}

data "iambaseline_identity_center" "this" {}

resource "iambaseline_identity_center_baseline" "this" {
  name_prefix     = "acme-"
  instance_arn    = data.iambaseline_identity_center.this.instance_arn
  allowed_regions = ["eu-west-1", "us-east-1"]
}

locals {
  people = {
    "ada.lovelace" = { given = "Ada", family = "Lovelace", groups = ["Developers", "ReadOnly"], status = "active" }
    "grace.hopper" = { given = "Grace", family = "Hopper", groups = ["SysAdmins"], status = "active" }
    "edgar.codd"   = { given = "Edgar", family = "Codd", groups = ["DatabaseAdmins", "ReadOnly"], status = "active" }
    "alan.turing"  = { given = "Alan", family = "Turing", groups = ["Developers"], status = "suspended" }
  }
}

resource "iambaseline_identity_center_user" "people" {
  for_each     = local.people
  instance_arn = data.iambaseline_identity_center.this.instance_arn
  user_name    = each.key
  given_name   = each.value.given
  family_name  = each.value.family
  email        = "${each.key}@example.com"
  groups       = [for g in each.value.groups : iambaseline_identity_center_baseline.this.group_names[g]]
  status       = each.value.status
}

output "portal_url" {
  value = data.iambaseline_identity_center.this.portal_url
}

output "group_names" {
  value = iambaseline_identity_center_baseline.this.group_names
}

output "assignments" {
  value = iambaseline_identity_center_baseline.this.assignments
}

output "checklists" {
  value = { for k, u in iambaseline_identity_center_user.people : k => u.onboarding_checklist }
}

output "ada_onboarding" {
  value = iambaseline_identity_center_user.people["ada.lovelace"].onboarding_instructions
}

output "alan_onboarding" {
  value = iambaseline_identity_center_user.people["alan.turing"].onboarding_instructions
}
