# Shell functions the scripts of this folder share; source it: . "$(dirname "$0")/lib.sh"

# dev_overrides_rc FILE PROVIDER_DIR: writes a Terraform CLI configuration to FILE that takes
# iambaseline/iambaseline from PROVIDER_DIR (the freshly built bin/) instead of the registry, so
# that no `terraform init` is needed.
dev_overrides_rc() {
  cat >"$1" <<TFRC
provider_installation {
  dev_overrides {
    "iambaseline/iambaseline" = "$2"
  }
  direct {}
}
TFRC
}

# step TEXT...: a bold heading between the steps of a demo.
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
