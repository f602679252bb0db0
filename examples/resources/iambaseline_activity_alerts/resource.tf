# Log all account activity and hear about what matters: a multi-region CloudTrail trail, its bucket and
# log group, the CIS section-4 alerts plus the startup's IAM alerts, and a topic that emails security.
resource "iambaseline_activity_alerts" "this" {
  trail_name      = "acme-audit"
  email_addresses = ["security@example.com"]
  https_endpoints = ["https://hooks.example.com/aws-alerts"]

  # Every alert is on by default; switch off the ones you do not want.
  alerts = {
    organizations_changes = false # no AWS Organizations in this account
  }

  # Your own alerts: a CloudWatch Logs filter pattern over CloudTrail records.
  custom_alerts = {
    kms_key_deletion = {
      pattern     = "{ ($.eventSource = \"kms.amazonaws.com\") && (($.eventName = \"DisableKey\") || ($.eventName = \"ScheduleKeyDeletion\")) }"
      description = "A KMS key was disabled or scheduled for deletion."
    }
  }

  log_retention_days = 365
  tags = {
    Team = "security"
  }
}
