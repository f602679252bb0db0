# The import ID is <identity_store_id>/<user_name>. The record and the memberships are read back
# (groups = the user's current groups).
terraform import iambaseline_identity_center_user.ada 'd-1234567890/ada.lovelace'
