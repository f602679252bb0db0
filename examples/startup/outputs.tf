output "group_names" {
  description = "Role key => IAM group name."
  value       = iambaseline_startup_group_baseline.this.group_names
}

output "onboarding_instructions" {
  description = "What to send each new person (never contains the password), one after another."
  value       = join("\n\n---\n\n", [for k, u in iambaseline_onboarded_user.people : u.onboarding_instructions])
}

output "onboarding_checklist" {
  description = "Each person's live checklist."
  value       = { for k, u in iambaseline_onboarded_user.people : k => u.onboarding_checklist }
}

output "instance_profile_arn" {
  description = "Instance profile for the application's EC2 instances."
  value       = iambaseline_service_role.app.instance_profile_arn
}

output "activity_alarms" {
  description = "Alert key => CloudWatch alarm name (each one emails security_email)."
  value       = iambaseline_activity_alerts.audit.alarm_names
}

output "activity_trail" {
  description = "The CloudTrail trail, its bucket and log group."
  value = {
    trail     = iambaseline_activity_alerts.audit.trail_arn
    bucket    = iambaseline_activity_alerts.audit.s3_bucket_name
    log_group = iambaseline_activity_alerts.audit.log_group_name
    topic     = iambaseline_activity_alerts.audit.topic_arn
  }
}

output "audit_summary" {
  description = "The regular review."
  value       = data.iambaseline_audit.review.summary
}

output "audit_findings" {
  description = "What the review found, mapped to CIS controls."
  value = [for f in data.iambaseline_audit.review.findings :
  "${f.severity} [CIS ${f.cis_control}] ${f.check_id} ${f.resource}: ${f.message}"]
}
