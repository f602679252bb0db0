# The activity alerts are imported by trail name. The bucket, log group, delivery role, topic,
# subscriptions, filters and alarms named after the trail are read with it; alerts whose filter or alarm
# is missing come back switched off, and filters that are not in the catalogue come back as custom_alerts.
terraform import iambaseline_activity_alerts.this acme-audit
