# The four standard groups with least-privilege policies and MFA enforced.
resource "iambaseline_startup_group_baseline" "this" {
  name_prefix = "acme-"

  # Regional actions outside these regions are denied for every group.
  allowed_regions = ["eu-west-1", "us-east-1"]

  # What Developers own: defaults derived from name_prefix (shown in the plan):
  # names acme-app-*, EC2 tag iambaseline:app-scope = acme-app, roles under /app/.
  app_scope = {
    name_prefix = "acme-app-"
    role_path   = "/app/"
  }

  # Buckets Developers may manage (objects included); none = no S3 write.
  developer_s3_bucket_arns = [
    "arn:aws:s3:::acme-dev-*",
    "arn:aws:s3:::acme-artifacts",
  ]

  # More managed policies for a standard group (at most 10 per group in total). Read-only
  # policies are safe; policies known to allow escalation (AWSLambda_FullAccess, PowerUserAccess,
  # ...) make the plan warn.
  extra_policy_arns = {
    Developers = ["arn:aws:iam::aws:policy/AWSLambda_ReadOnlyAccess"]
  }

  # The checklist's "Other": groups of your own, MFA enforced unless turned off.
  additional_groups = {
    Finance = {
      policy_arns = ["arn:aws:iam::aws:policy/job-function/Billing"]
      inline_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Sid      = "CostReports"
          Effect   = "Allow"
          Action   = ["ce:GetCostAndUsage", "ce:GetCostForecast"]
          Resource = "*"
        }]
      })
    }
  }

  tags = {
    Team = "platform"
  }
}

# Onboarded users join the groups by name.
output "developers_group" {
  value = iambaseline_startup_group_baseline.this.group_names["Developers"]
}

# A smaller baseline using the AWS job-function policies instead.
resource "iambaseline_startup_group_baseline" "aws_managed" {
  name_prefix  = "lab-"
  path         = "/lab/"
  groups       = ["Developers", "ReadOnly"]
  policy_style = "aws_managed"
}
