#!/usr/bin/env bash
# The Identity Center demo, inside scripts/with-emulator.sh: apply examples/identity-center (four job
# functions as permission sets, four people) with the freshly built provider, show the outputs, prove a second plan
# has no changes, destroy. TERRAFORM is the CLI that `make demo-identity-center` chose.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
terraform=${TERRAFORM:-$root/bin/terraform}
[ -x "$terraform" ] || { echo "no Terraform CLI at $terraform: run make demo-identity-center, or set TERRAFORM" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dev_overrides_rc "$work/dev.tfrc" "$root/bin"
export TF_CLI_CONFIG_FILE="$work/dev.tfrc"
export TF_IN_AUTOMATION=1
cp "$root"/examples/identity-center/*.tf "$work/"
cd "$work"

step "apply (examples/identity-center: four permission sets and groups assigned in the caller's account, four people, one suspended)"
"$terraform" apply -auto-approve -input=false -compact-warnings
step "outputs"
"$terraform" output portal_url
"$terraform" output group_names
"$terraform" output assignments
"$terraform" output checklists
step "onboarding instructions of ada.lovelace (Developers, ReadOnly)"
"$terraform" output -raw ada_onboarding
step "instructions of alan.turing (suspended: no membership, record kept)"
"$terraform" output -raw alan_onboarding
step "second plan: no changes"
"$terraform" plan -detailed-exitcode -input=false >/dev/null && echo "No changes."
step "destroy"
"$terraform" destroy -auto-approve -input=false >/dev/null && echo "Destroyed."
