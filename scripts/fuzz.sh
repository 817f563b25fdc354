#!/usr/bin/env bash
# Runs every Go fuzz target for the given time each (default 10m). CI calls it with a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-10m}"
# package  target
targets=(
  "./pkg/logquery FuzzParse"
  "./pkg/event FuzzDecode"
  "./pkg/event FuzzDecodeListFastPath"
)
for t in "${targets[@]}"; do
  set -- $t
  if ! grep -rqs "func $2(" "${1#./}"; then
    echo "fuzz target $2 not found in $1"; exit 1
  fi
  echo "-- $2 in $1 for $fuzztime"
  go test -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" "$1"
done
