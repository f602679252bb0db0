#!/usr/bin/env bash
# A short run of every fuzz target (the seed corpus always runs in `go test`).
set -euo pipefail
cd "$(dirname "$0")/.."
# A count, not a duration: with a duration Go 1.26's fuzz coordinator can report a bare
# "context deadline exceeded" when its window closes while a starved worker is mid-call
# (golang/go#75804, fixed in Go 1.27), failing the gate with no failing input. A count has no
# deadline to race; on a loaded two-core machine 60000 runs take about as long as 10s did.
fuzztime=${FUZZTIME:-60000x}
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "fuzz $pkg $target ($fuzztime)"
    go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$pkg"
  done
done
