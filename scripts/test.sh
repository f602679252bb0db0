#!/usr/bin/env bash
# The body of `make test`: the lint (`make lint`: go vet, golangci-lint, gofmt), unit and acceptance tests against a fresh emulator, short fuzz runs,
# the proof cases through an independent IAM simulator (make proof-independent), docs freshness; ends with one line "N passed, N failed, N skipped" counted from go test -v.
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

# OpenTofu's tests (TestAccOpenTofu_*) run with a tofu on PATH, else ./bin/tofu; TOFU_TESTS=0 leaves
# them out, TOFU_TESTS=1 (or TF=tofu) requires them (make test builds ./bin/tofu then).
tofu_env=() tofu_skip=()
tofu=""
case "${TOFU_TESTS:-auto}" in
0 | no | false) ;;
*)
  tofu=${TF_ACC_TOFU_PATH:-$(command -v tofu || true)}
  [ -n "$tofu" ] || { [ -x bin/tofu ] && tofu=$root/bin/tofu; }
  ;;
esac
if [ -n "$tofu" ]; then
  echo "== OpenTofu tests with $tofu"
  tofu_env=(TF_ACC_TOFU_PATH="$tofu")
else
  case "${TOFU_TESTS:-auto}${TF:-}" in
  1* | *tofu) echo "== TOFU_TESTS=${TOFU_TESTS:-} / TF=${TF:-}: OpenTofu tests wanted but no tofu found" && status=1 ;;
  esac
  echo "== OpenTofu tests (TestAccOpenTofu_*) not run: no tofu on PATH or in ./bin (TOFU_TESTS=1 builds OpenTofu 1.6.3 and runs them)"
  tofu_skip=(-skip '^TestAccOpenTofu_')
fi

# make lint builds the pinned golangci-lint into ./bin on first use (a fresh clone has none).
run make --no-print-directory lint
echo "== go test (unit + acceptance, log: $log)"
# shellcheck disable=SC2046 # --acc-env prints NAME=value words (for OpenTofu) or nothing
scripts/with-emulator.sh env TF_ACC=1 TF_ACC_TERRAFORM_PATH="$terraform" "${tofu_env[@]}" $(scripts/terraform.sh --acc-env "$terraform") \
  go test -v -count=1 "${tofu_skip[@]}" "$@" ./... >"$log" 2>&1
rc=$?
grep -E '^(ok|FAIL|panic:|\?)|^--- (FAIL|SKIP)|^\s+--- FAIL' "$log"
if [ "$rc" -ne 0 ]; then
  status=1
  echo "== go test failed (exit $rc); the failing tests' output:"
  awk '/^=== RUN/{buf=""} {buf=buf $0 "\n"} /^\s*--- FAIL/{printf "%s", buf; buf=""}' "$log" | tail -n 300
fi
run scripts/fuzz.sh
# Every can/cannot case of internal/baseline again through an independent IAM simulator (npm, into
# .tools/node; see internal/baseline/testdata/proof/README.md).
run make --no-print-directory proof-independent
run make --no-print-directory docs-check

passed=$(grep -cE '^\s*--- PASS:' "$log")
failed=$(grep -cE '^\s*--- FAIL:' "$log")
skipped=$(grep -cE '^\s*--- SKIP:' "$log")
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "test: $passed passed, $failed failed, $skipped skipped"
exit "$status"
