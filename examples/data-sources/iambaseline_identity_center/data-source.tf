# The organization instance of IAM Identity Center and its access portal.
data "iambaseline_identity_center" "this" {}

output "portal_url" {
  value = data.iambaseline_identity_center.this.portal_url
}
