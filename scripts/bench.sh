#!/usr/bin/env bash
# make bench: for each N in BENCH_NS (default "0 10 100 1000 5000"), start a fresh moto, apply and then plan a
# baseline plus N onboarded users with the provider in bin/ (dev_overrides, no registry), and append
# the measured figures to .tmp/bench/results.jsonl; then draw BENCHMARKS.md and benchmarks.png from the
# lines of this run with tools/benchplot.
#
#   BENCH_NS="10 100"     the N to measure (N = 0 measures the baseline alone)
#   BENCH_SMOKE=1         provider only, no resources: checks the harness itself
#   BENCH_PARALLELISM=10  terraform -parallelism
#   BENCH_KEEP=1          keep each run's working directory (Terraform logs, state, calls file)
#   TERRAFORM=path        Terraform CLI (default bin/terraform, built by `make tools`)
#   BENCH_MARKDOWN, BENCH_PNG  where to write the report (default BENCHMARKS.md, benchmarks.png)
#   IAMBASELINE_PPROF_DIR=dir  the provider writes Go heap profiles and memory statistics there
#                          (internal/server/profile.go); read them with go tool pprof -top -sample_index=alloc_space
#
# Each N runs inside scripts/with-emulator.sh, which always stops its moto; the Go program always
# deletes its temporary directory (unless BENCH_KEEP=1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

ns=${BENCH_NS:-0 10 100 1000 5000}
terraform=${TERRAFORM:-$root/bin/terraform}
parallelism=${BENCH_PARALLELISM:-10}
results_dir="$root/.tmp/bench"
run_file="$results_dir/run-$(date +%Y%m%dT%H%M%S).jsonl"
mkdir -p "$results_dir"

[ -x "$root/bin/terraform-provider-iambaseline" ] || { echo "bin/terraform-provider-iambaseline is missing: run make build" >&2; exit 1; }
[ -x "$terraform" ] || { echo "Terraform not found at $terraform: run make tools or set TERRAFORM" >&2; exit 1; }

go build -o "$results_dir/bench" ./internal/bench/cmd/bench

flags=(-terraform "$terraform" -provider-dir "$root/bin" -out "$run_file" -parallelism "$parallelism")
[ "${BENCH_SMOKE:-}" = 1 ] && flags+=(-smoke)
[ "${BENCH_KEEP:-}" = 1 ] && flags+=(-keep)

for n in $ns; do
  echo "== N=$n" >&2
  scripts/with-emulator.sh "$results_dir/bench" -n "$n" "${flags[@]}"
done
cat "$run_file" >>"$results_dir/results.jsonl"

abspath() { case "$1" in /*) echo "$1" ;; *) echo "$root/$1" ;; esac; }
out_md=$(abspath "${BENCH_MARKDOWN:-BENCHMARKS.md}")
out_png=$(abspath "${BENCH_PNG:-benchmarks.png}")
commit=$(git rev-parse --short HEAD 2>/dev/null || true)
[ -n "$commit" ] && [ -n "$(git status --porcelain -- ':!BENCHMARKS.md' ':!benchmarks.png' 2>/dev/null)" ] && commit="$commit (with uncommitted changes)"
# The IAM Identity Center section (make bench-identity-center) is measured separately: keep it.
ic_section=$(sed -n '/^<!-- identity-center -->$/,/^<!-- \/identity-center -->$/p' "$out_md" 2>/dev/null || true)
(cd tools && go run ./benchplot -in "$run_file" -md "$out_md" -png "$out_png" -commit "$commit")
[ -n "$ic_section" ] && printf '\n%s\n' "$ic_section" >>"$out_md"
echo "wrote $out_md and $out_png (raw lines: $run_file)" >&2
