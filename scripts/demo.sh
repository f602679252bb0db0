#!/usr/bin/env bash
# The newcomer's first run, inside scripts/with-emulator.sh (AWS_ENDPOINT_URL is the emulator):
# apply examples/startup with the freshly built provider, show the outputs, prove a second plan has no
# changes, show the audit, destroy. TERRAFORM is the CLI that `make demo` chose (scripts/terraform.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
terraform=${TERRAFORM:-$root/bin/terraform}
[ -x "$terraform" ] || { echo "no Terraform CLI at $terraform: run make demo, or set TERRAFORM" >&2; exit 1; }
tf=$(basename "$terraform")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# dev_overrides: Terraform uses the provider in ./bin instead of the registry, no `terraform init`.
dev_overrides_rc "$work/dev.tfrc" "$root/bin"
export TF_CLI_CONFIG_FILE="$work/dev.tfrc"
export TF_IN_AUTOMATION=1
cp "$root"/examples/startup/*.tf "$work/"
cd "$work"


step "$tf apply (examples/startup: password policy, 5 groups, 3 people, an EC2 role, the audit)"
"$terraform" apply -auto-approve -input=false -compact-warnings

step "outputs"
"$terraform" output group_names
"$terraform" output instance_profile_arn
"$terraform" output activity_trail
"$terraform" output activity_alarms
"$terraform" output -json onboarding_checklist
echo
"$terraform" output -raw onboarding_instructions

step "second plan: must have no changes"
set +e
"$terraform" plan -detailed-exitcode -input=false -compact-warnings
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "second plan was not empty (exit $rc)" >&2
  exit 1
fi
echo "No changes: the baseline is converged."

step "audit"
"$terraform" output -raw audit_summary
echo
"$terraform" output audit_findings

step "$tf destroy"
"$terraform" destroy -auto-approve -input=false -compact-warnings
echo
echo "Demo complete."
