# A whole startup's IAM baseline: password policy, the four groups with MFA enforced, three people
# onboarded into them, an EC2 instance role, CloudTrail with alerts on what matters, and the regular review.
#
# Credentials and endpoints come from the environment (AWS_PROFILE, AWS_ENDPOINT_URL for LocalStack or
# moto, ...). `make demo` runs this configuration against a local emulator.

terraform {
  # Terraform >= 1.6 or OpenTofu >= 1.6 (this configuration calls no provider functions, which need
  # Terraform >= 1.8 or OpenTofu >= 1.7).
  required_version = ">= 1.6"
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}

provider "iambaseline" {
  default_tags {
    tags = {
      ManagedBy = "terraform"
    }
  }
}

resource "iambaseline_account_password_policy" "cis" {
  # CIS defaults: 14 characters, all character classes, 90 days, 24 remembered.
}

resource "iambaseline_startup_group_baseline" "this" {
  name_prefix              = var.name_prefix
  developer_s3_bucket_arns = ["arn:aws:s3:::${var.name_prefix}app-*"]
  allowed_regions          = var.allowed_regions

  additional_groups = {
    Billing = {
      policy_arns = ["arn:aws:iam::aws:policy/job-function/Billing"]
    }
  }

  tags = {
    Team = "platform"
  }
}

resource "iambaseline_onboarded_user" "people" {
  for_each = var.people

  user_name = each.key
  full_name = each.value.full_name
  email     = each.value.email
  job_title = each.value.job_title
  groups    = [for g in each.value.groups : iambaseline_startup_group_baseline.this.group_names[g]]

  # The demo keeps the temporary password in state so it can be shown. In a real repository give each
  # person's PGP public key instead (pgp_key = file("keys/alice.asc")), or pass it write-only.
  store_password_in_state = true

  # The generated password must satisfy the account policy, so create that first.
  depends_on = [iambaseline_account_password_policy.cis]
}

resource "iambaseline_service_role" "app" {
  name                = "${var.name_prefix}app-instance"
  path                = "/app/"
  description         = "Role of the application's EC2 instances"
  trusted_services    = ["ec2.amazonaws.com"]
  managed_policy_arns = ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]
}

# Log all activity with CloudTrail and email security when something that matters happens (CIS
# section 4 alerts plus the startup's IAM alerts). AWS sends the address a confirmation email first.
resource "iambaseline_activity_alerts" "audit" {
  trail_name      = "${var.name_prefix}audit"
  email_addresses = [var.security_email]

  # The demo empties the trail's bucket on destroy; keep the default (false) for real audit logs.
  force_destroy = true
}

data "iambaseline_audit" "review" {
  unused_credential_days  = 45
  access_key_max_age_days = 90

  depends_on = [iambaseline_onboarded_user.people, iambaseline_startup_group_baseline.this, iambaseline_activity_alerts.audit]
}
