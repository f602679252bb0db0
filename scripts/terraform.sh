#!/usr/bin/env bash
# Chooses the Terraform CLI that make demo, make test and the other targets run, builds it into ./bin
# only when it must, and prints its path on stdout; everything it says goes to stderr
# (`scripts/terraform.sh --acc-env BINARY` prints the environment the acceptance tests need for it). In order:
#
#   TERRAFORM=path  exactly this binary (a terraform or a tofu; a bare name is looked up on PATH)
#   CI=true         a terraform >= 1.11 on PATH (write-only arguments run end to end), else the pinned
#                   build in ./bin: Terraform 1.8.5 (OpenTofu 1.6.3 with TF=tofu), built once
#   TF=tofu         OpenTofu: a tofu on PATH, else ./bin/tofu, else OpenTofu 1.6.3 built into ./bin
#   otherwise       a terraform >= 1.8 on PATH (its `version -json`), else ./bin/terraform, else
#                   Terraform 1.8.5 built into ./bin
#
# 1.8.5 and 1.6.3 are the newest releases `go install` can build (later ones have replace directives).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"
tf_pinned=1.8.5
tofu_pinned=1.6.3
min_minor=8 # Terraform >= 1.8: provider-defined functions, and examples/startup's required_version

say() { echo "$*" >&2; }
die() { say "terraform.sh: $*"; exit 1; }

# version BINARY: "1.11.4" from `BINARY version -json`, empty when it does not answer with one.
version() {
  CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null |
    sed -n 's/^[[:space:]]*"terraform_version":[[:space:]]*"\([^"]*\)".*/\1/p' | head -n 1
}

# product BINARY: "Terraform" or "OpenTofu", from the first word of `BINARY version`.
product() {
  local first
  first=$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null | head -n 1 | cut -d' ' -f1)
  echo "${first:-unknown}"
}

# recent VERSION: true when VERSION is 1.8 or newer.
recent() {
  local major minor
  IFS=. read -r major minor _ <<<"$1"
  major=${major//[!0-9]/} minor=${minor//[!0-9]/}
  [ -n "$major" ] && [ -n "$minor" ] || return 1
  [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge "$min_minor" ]; }
}

rel() { case "$1" in "$root"/*) echo "./${1#"$root"/}" ;; *) echo "$1" ;; esac; }

# choose BINARY WHY: print the choice and its path.
choose() {
  local v
  v=$(version "$1")
  say "== using $(product "$1") ${v:-(unknown version)} at $(rel "$1") ($2)"
  echo "$1"
}

# build NAME VERSION MODULE DEVFLAG: go install a pinned release into ./bin.
build() {
  local name=$1 ver=$2 module=$3 devflag=$4 start
  command -v go >/dev/null || die "Go is needed to build $name $ver into ./bin"
  say "== building $name $ver from source into $(rel "$bin") (go install), once: a few minutes"
  say "   (Terraform 1.8.5 takes about 9 minutes of CPU time, so longer on a busy machine; later runs reuse it)"
  start=$(date +%s)
  mkdir -p "$bin"
  GOBIN="$bin" go install -ldflags "-X $devflag=no" "$module@v$ver" >&2 ||
    die "go install $module@v$ver failed"
  say "== built $name $ver in $(($(date +%s) - start))s"
}

# pinned NAME: ./bin/NAME at the pinned version, built when missing or different.
pinned() {
  local name=$1 ver module devflag product_name
  if [ "$name" = tofu ]; then
    ver=$tofu_pinned product_name=OpenTofu
    module=github.com/opentofu/opentofu/cmd/tofu devflag=github.com/opentofu/opentofu/version.dev
  else
    ver=$tf_pinned product_name=Terraform
    module=github.com/hashicorp/terraform devflag=github.com/hashicorp/terraform/version.dev
  fi
  if [ ! -x "$bin/$name" ] || [ "$(version "$bin/$name")" != "$ver" ]; then
    build "$product_name" "$ver" "$module" "$devflag"
  fi
  [ "$(version "$bin/$name")" = "$ver" ] || die "$(rel "$bin/$name") does not report version $ver"
}

# on_path NAME: every NAME on PATH outside ./bin, in PATH order.
on_path() {
  local dir
  local IFS=:
  for dir in $PATH; do
    [ -n "$dir" ] || continue
    [ "$(cd "$dir" 2>/dev/null && pwd -P)" = "$(cd "$bin" 2>/dev/null && pwd -P)" ] && continue
    [ -x "$dir/$1" ] && [ ! -d "$dir/$1" ] && echo "$dir/$1"
  done
  return 0
}

# --acc-env BINARY: the environment terraform-plugin-testing needs to drive BINARY. OpenTofu refuses the
# provider address it reattaches by default (registry.terraform.io/-/NAME: "The legacy provider
# namespace "-" can be used only with hostname registry.opentofu.org"); these make it one OpenTofu takes.
if [ "${1:-}" = --acc-env ]; then
  [ "$(product "$2")" = OpenTofu ] && echo "TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=hashicorp"
  exit 0
fi

tf=${TF:-terraform}
case "$tf" in
terraform | tofu) ;;
*) die "TF=$tf: use TF=terraform (the default) or TF=tofu, or TERRAFORM=/path/to/binary" ;;
esac

# 1. An explicit binary.
if [ -n "${TERRAFORM:-}" ]; then
  path=$TERRAFORM
  case "$path" in
  */*) ;;
  *) path=$(command -v "$path") || die "TERRAFORM=$TERRAFORM is not on PATH" ;;
  esac
  [ -x "$path" ] && [ ! -d "$path" ] || die "TERRAFORM=$TERRAFORM is not an executable file"
  path=$(cd "$(dirname "$path")" && pwd)/$(basename "$path")
  v=$(version "$path")
  [ -n "$v" ] || die "TERRAFORM=$TERRAFORM does not answer \`version -json\`: is it Terraform or OpenTofu?"
  recent "$v" || say "   warning: $(rel "$path") is $v; provider functions and examples/startup need >= 1.$min_minor"
  choose "$path" "TERRAFORM"
  exit 0
fi

# ci_recent VERSION: true when VERSION is 1.11 or newer (write-only arguments, what CI must cover).
ci_recent() {
  local major minor
  IFS=. read -r major minor _ <<<"$1"
  major=${major//[!0-9]/} minor=${minor//[!0-9]/}
  [ -n "$major" ] && [ -n "$minor" ] || return 1
  [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 11 ]; }
}

# 2. CI: a current Terraform on PATH (building one takes longer than the whole suite), else the pinned build.
case "${CI:-}" in
"" | false | 0) ;;
*)
  if [ "$tf" = terraform ]; then
    while IFS= read -r found; do
      [ -n "$found" ] || continue
      v=$(version "$found")
      if [ -n "$v" ] && [ "$(product "$found")" = Terraform ] && ci_recent "$v"; then
        choose "$found" "CI=$CI: found on PATH, >= 1.11"
        exit 0
      fi
    done < <(on_path terraform)
  fi
  pinned "$tf"
  choose "$bin/$tf" "CI=$CI: no Terraform >= 1.11 on PATH, the pinned build"
  exit 0
  ;;
esac

# 3. OpenTofu when asked.
if [ "$tf" = tofu ]; then
  found=$(on_path tofu | head -n 1)
  if [ -n "$found" ] && [ -n "$(version "$found")" ]; then
    v=$(version "$found")
    recent "$v" || say "   note: OpenTofu $v: examples/startup (make demo) requires >= 1.$min_minor (see README)"
    choose "$found" "TF=tofu, found on PATH"
    exit 0
  fi
  if [ -x "$bin/tofu" ] && v=$(version "$bin/tofu") && [ -n "$v" ]; then
    recent "$v" || say "   note: OpenTofu $v: examples/startup (make demo) requires >= 1.$min_minor (see README)"
    choose "$bin/tofu" "TF=tofu, built earlier"
    exit 0
  fi
  say "== TF=tofu and no tofu on PATH"
  pinned tofu
  say "   note: OpenTofu $tofu_pinned: examples/startup (make demo) requires >= 1.$min_minor (see README)"
  choose "$bin/tofu" "TF=tofu, built now"
  exit 0
fi

# 4. A recent terraform on PATH, else the one built earlier, else build it.
while IFS= read -r found; do
  [ -n "$found" ] || continue
  v=$(version "$found")
  if [ -n "$v" ] && recent "$v"; then
    choose "$found" "found on PATH; TERRAFORM=path or TF=tofu picks another"
    exit 0
  fi
  say "   skipping $found: ${v:-no version -json}, older than 1.$min_minor"
done < <(on_path terraform)
if [ -x "$bin/terraform" ] && v=$(version "$bin/terraform") && [ -n "$v" ] && recent "$v"; then
  choose "$bin/terraform" "built earlier"
  exit 0
fi
say "== no Terraform >= 1.$min_minor on PATH"
pinned terraform
choose "$bin/terraform" "built now"
