# The demo of `make demo-identity-center`: the four job functions in IAM Identity Center.
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

output "portal_url" {
  value = data.iambaseline_identity_center.this.portal_url
}

output "group_names" {
  value = iambaseline_identity_center_baseline.this.group_names
}

output "assignments" {
  value = iambaseline_identity_center_baseline.this.assignments
}
