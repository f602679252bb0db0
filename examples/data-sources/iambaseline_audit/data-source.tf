# The regular IAM review, e.g. in a scheduled CI job: `terraform plan` shows the findings.
data "iambaseline_audit" "this" {
  unused_credential_days  = 45 # CIS 1.11
  access_key_max_age_days = 90 # CIS 1.13

  # Principals that are administrators on purpose: "*" on "*" attached to them is not a finding.
  admin_principals = ["BreakGlassAdmins", "arn:aws:iam::123456789012:role/OrganizationAccountAccessRole"]
}

output "audit_summary" {
  value = data.iambaseline_audit.this.summary
}

# Only what needs attention today.
output "audit_urgent" {
  value = [
    for f in data.iambaseline_audit.this.findings : "${f.cis_control} ${f.resource}: ${f.message}"
    if contains(["critical", "high"], f.severity)
  ]
}

# Fail the run when a critical finding appears (Terraform >= 1.5).
check "no_critical_iam_findings" {
  assert {
    condition     = alltrue([for f in data.iambaseline_audit.this.findings : f.severity != "critical"])
    error_message = "Critical IAM findings: ${data.iambaseline_audit.this.summary}"
  }
}
