# Service roles are imported by role name. The instance profile of the same name, the attached
# managed policies and the inline policies are read with it.
terraform import iambaseline_service_role.app_server app-server
