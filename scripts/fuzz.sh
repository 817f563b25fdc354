#!/usr/bin/env bash
# Runs every Go fuzz target for the given time or count each (default 10m; "20000x" is a count).
# CI calls it with a count: see scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-10m}"
# package  target
targets=(
  "./pkg/logquery FuzzParse"
  "./pkg/logquery FuzzParsePaths"
  "./pkg/event FuzzDecode"
  "./pkg/event FuzzDecodeListFastPath"
  "./pkg/models FuzzLoadSettings"
  "./pkg/models FuzzParseQuery"
)
# A fuzz target added to pkg/ but not listed above would never run: refuse that.
listed=" ${targets[*]} "
while IFS= read -r name; do
  case "$listed" in
    *" $name "*) ;;
    *) echo "fuzz target $name is not listed in scripts/fuzz.sh"; exit 1 ;;
  esac
done < <(grep -rhoE '^func Fuzz[A-Za-z0-9_]+' pkg | sed 's/^func //' | sort -u)

for t in "${targets[@]}"; do
  # shellcheck disable=SC2086 # "package target" is split on purpose
  set -- $t
  if ! grep -rqs "func $2(" "${1#./}"; then
    echo "fuzz target $2 not found in $1"; exit 1
  fi
  echo "-- $2 in $1 for $fuzztime"
  go test -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" "$1"
done
