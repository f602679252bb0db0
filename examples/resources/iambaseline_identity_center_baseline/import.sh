# The import ID is <instance_arn>|<name_prefix>. Permission sets named <name_prefix><role key> are found;
# the groups, policy style, session durations, relay state, allowed regions and developer buckets are
# read back.
terraform import iambaseline_identity_center_baseline.this 'arn:aws:sso:::instance/ssoins-1234567890abcdef|acme-'
