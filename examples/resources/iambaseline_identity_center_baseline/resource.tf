# The four job functions as permission sets carrying the IAM baseline's documents, provisioned to two
# accounts, each group assigned its set in both.
resource "iambaseline_identity_center_baseline" "this" {
  name_prefix     = "acme-"
  account_ids     = ["111111111111", "222222222222"]
  allowed_regions = ["eu-west-1", "us-east-1"]

  session_durations = {
    Developers = "PT10H"
    Billing    = "PT2H"
  }
  relay_state = "https://console.aws.amazon.com/console/home"

  # The checklist's "Other": one more group and permission set, acme-Billing, with its own policies.
  additional_groups = {
    Billing = {
      policy_arns = ["arn:aws:iam::aws:policy/job-function/Billing"]
      inline_policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Action = ["ce:GetCostAndUsage"], Resource = "*" }]
      })
    }
  }

  tags = { team = "platform" }
}

output "group_names" {
  value = iambaseline_identity_center_baseline.this.group_names
}
