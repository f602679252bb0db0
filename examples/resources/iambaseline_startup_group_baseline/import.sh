# The import ID is <name_prefix>|<path>. Groups named <name_prefix><role key> are found, and the
# policy style, MFA settings, allowed regions, developer buckets, extra policies and tags are read back.
terraform import iambaseline_startup_group_baseline.this 'acme-|/'

# Without a prefix, under a path:
terraform import iambaseline_startup_group_baseline.this '|/people/'
