#!/usr/bin/env bash
# The body of `make test`: go vet, unit and acceptance tests against a fresh emulator, short fuzz runs,
# docs freshness; ends with one line "N passed, N failed, N skipped" counted from go test -v.
# Usage: scripts/test.sh TERRAFORM_PATH [go test flags...]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
terraform=$1
shift
mkdir -p .tmp
log=.tmp/test-output.log
: >"$log"

status=0
run() {
  echo "== $*"
  "$@" || status=1
}

run go vet ./...
echo "== go test (unit + acceptance, log: $log)"
# shellcheck disable=SC2046 # --acc-env prints NAME=value words (for OpenTofu) or nothing
scripts/with-emulator.sh env TF_ACC=1 TF_ACC_TERRAFORM_PATH="$terraform" $(scripts/terraform.sh --acc-env "$terraform") \
  go test -v -count=1 "$@" ./... >"$log" 2>&1
rc=$?
grep -E '^(ok|FAIL|panic:|\?)|^--- (FAIL|SKIP)|^\s+--- FAIL' "$log"
if [ "$rc" -ne 0 ]; then
  status=1
  echo "== go test failed (exit $rc); the failing tests' output:"
  awk '/^=== RUN/{buf=""} {buf=buf $0 "\n"} /^\s*--- FAIL/{printf "%s", buf; buf=""}' "$log" | tail -n 300
fi
run scripts/fuzz.sh
run make --no-print-directory docs-check

passed=$(grep -cE '^\s*--- PASS:' "$log")
failed=$(grep -cE '^\s*--- FAIL:' "$log")
skipped=$(grep -cE '^\s*--- SKIP:' "$log")
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "test: $passed passed, $failed failed, $skipped skipped"
exit "$status"
