# Onboarded users are imported by IAM user name. Secrets are not importable: the state gets
# console_access from whether a login profile exists, and no password. To deliver a new temporary
# password afterwards, set (or increase) temporary_password_wo_version.
terraform import iambaseline_onboarded_user.ada ada
