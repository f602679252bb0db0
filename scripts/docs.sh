#!/usr/bin/env bash
# The body of `make docs`: format examples/ and generate docs/ with tfplugindocs from templates/,
# examples/ and the provider's schema. The schema is what `TERRAFORM providers schema -json` reports
# for the provider in ./bin (dev_overrides, no registry), made the same whichever Terraform reports it:
# the `write_only` flags that Terraform >= 1.11 adds (1.8 has none; the descriptions say it) are
# dropped, so docs/ does not depend on the Terraform version that made it.
# Usage: scripts/docs.sh TERRAFORM_PATH TFPLUGINDOCS_PATH
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
cd "$root"
terraform=$1
tfplugindocs=$2
[ -x "$root/bin/terraform-provider-iambaseline" ] || { echo "bin/terraform-provider-iambaseline is missing: run make build" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dev_overrides_rc "$work/dev.tfrc" "$root/bin"
cat >"$work/main.tf" <<'TF'
terraform {
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}
TF

"$terraform" fmt -recursive examples
(cd "$work" && CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$work/dev.tfrc" "$terraform" providers schema -json >"$work/raw.json")

python3 - "$work/raw.json" "$work/schema.json" "$terraform" <<'PY'
import json, sys

raw, out, cli = sys.argv[1:]
with open(raw) as f:
    doc = json.load(f)
schemas = doc.get("provider_schemas", {})
keys = [k for k in schemas if k.endswith("/iambaseline")]
if len(keys) != 1:
    sys.exit(f"{cli} providers schema -json reported no iambaseline provider (found: {sorted(schemas)})")
schema = schemas[keys[0]]
if not schema.get("functions"):
    sys.exit(f"{cli} does not report provider functions (they need Terraform >= 1.8): "
             "make docs with a Terraform >= 1.8 (TF=terraform, or TERRAFORM=path)")

def drop_write_only(node):
    if isinstance(node, dict):
        node.pop("write_only", None)
        for value in node.values():
            drop_write_only(value)
    elif isinstance(node, list):
        for value in node:
            drop_write_only(value)

drop_write_only(schema)
doc["provider_schemas"] = {"iambaseline": schema}
with open(out, "w") as f:
    json.dump(doc, f)
PY

"$tfplugindocs" generate --provider-name iambaseline --rendered-provider-name iambaseline \
  --providers-schema "$work/schema.json"
