# The baseline's policy documents without creating anything, for modules that attach them with
# other providers (e.g. hashicorp/aws).
data "iambaseline_policy_documents" "this" {
  groups                   = ["Developers", "ReadOnly"]
  allowed_regions          = ["eu-west-1"]
  developer_s3_bucket_arns = ["arn:aws:s3:::acme-dev-*"]
}

resource "aws_iam_policy" "developers" {
  name   = "DevelopersPolicy"
  policy = data.iambaseline_policy_documents.this.documents["Developers"]
}

resource "aws_iam_policy" "mfa" {
  name   = "EnforceMFA"
  policy = data.iambaseline_policy_documents.this.documents["mfa"]
}
