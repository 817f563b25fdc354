#!/usr/bin/env bash
# Runs every check the project has: Go formatting, vet, race-enabled tests (including the gRPC test
# of the built binary, the PostgreSQL replica tests and short fuzz runs), the frontend typecheck,
# lint and jest tests, and both builds. Exits non-zero on the first failure.
#
# It sets itself up first, so it is the one command to run in a fresh clone: Go modules, mage,
# node_modules (npm ci when missing or older than package-lock.json) and PostgreSQL's server
# binaries (the Debian package postgresql, installed with apt-get when running as root). A part it
# cannot set up is skipped with a note saying how to get it; with CI=true nothing is skipped, and a
# part that cannot be set up fails the run.
#
#   bash scripts/test.sh            # set up, then every check
#   bash scripts/test.sh --setup    # set up only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "test.sh: Go is missing: install Go 1.26 (https://go.dev/doc/install)" >&2; exit 1; }
gopath=$(go env GOPATH)
export PATH="$gopath/bin:$PATH"

MAGE_VERSION=v1.17.2
ci=false
[ "${CI:-}" = true ] && ci=true
skipped=()

step() { printf '\n== %s\n' "$*"; }
fail() { echo "test.sh: $*" >&2; exit 1; }
# skip records a part that could not be set up; under CI it is a failure instead.
skip() {
  if $ci; then fail "CI=true and $1 cannot be set up: $2"; fi
  echo "SKIPPED: $1. $2"
  skipped+=("$1: $2")
}

have_node_modules() {
  local stamp=node_modules/.lock-sha256
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(sha256sum package-lock.json | cut -d' ' -f1)" ]
}

# postgres_bin prints the directory the replica tests take initdb and postgres from (as pgtest
# looks for them: PGTEST_BIN, else /usr/lib/postgresql/*/bin), or nothing.
postgres_bin() {
  local d dirs=(/usr/lib/postgresql/*/bin)
  [ -n "${PGTEST_BIN:-}" ] && dirs=("$PGTEST_BIN")
  for d in "${dirs[@]}"; do
    if [ -x "$d/initdb" ] && [ -x "$d/postgres" ]; then echo "$d"; return 0; fi
  done
  return 0
}

is_root() { [ "$(id -u)" = 0 ]; }

setup_postgres() {
  step "setup: PostgreSQL server binaries (for the replica tests)"
  if [ -n "${PGTEST_BIN:-}" ] && [ -z "$(postgres_bin)" ]; then
    skip "the PostgreSQL replica tests" "PGTEST_BIN=$PGTEST_BIN has no initdb and postgres; point it at PostgreSQL's bin directory or unset it"
    return 0
  fi
  if [ -z "$(postgres_bin)" ] && is_root && command -v apt-get >/dev/null; then
    # A failed apt-get is reported below, as a skip or (CI=true) a failure that says what to do.
    DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql ||
      echo "apt-get could not install postgresql (exit $?)"
  fi
  if [ -n "$(postgres_bin)" ]; then
    echo "PostgreSQL binaries in $(postgres_bin)"
  elif is_root; then
    skip "the PostgreSQL replica tests" "the Debian package postgresql could not be installed (is apt-get here?); install it, or set PGTEST_BIN to a directory with initdb and postgres"
  else
    skip "the PostgreSQL replica tests" "not root, so the Debian package postgresql was not installed; get it with: sudo apt-get install -y postgresql (or set PGTEST_BIN to a directory with initdb and postgres)"
  fi
}

setup() {
  step "setup: toolchain"
  go version
  local node_version major minor
  node_version=$(node --version 2>/dev/null) || fail "Node.js is missing: install Node.js 20.19 or newer with npm (.nvmrc names the version CI runs)"
  echo "node $node_version"
  major=${node_version#v}; major=${major%%.*}
  minor=${node_version#v*.}; minor=${minor%%.*}
  if [ "$major" -lt 20 ] || { [ "$major" = 20 ] && [ "$minor" -lt 19 ]; }; then
    fail "Node.js $node_version is too old: install 20.19 or newer (.nvmrc names the version CI runs)"
  fi
  npm --version >/dev/null || fail "npm is missing: install it with Node.js"
  echo "npm $(npm --version)"

  step "setup: Go modules and mage $MAGE_VERSION"
  go mod download
  if ! mage -version 2>/dev/null | grep -q "$MAGE_VERSION"; then
    go install "github.com/magefile/mage@$MAGE_VERSION"
  fi

  step "setup: node_modules"
  if have_node_modules; then
    echo "node_modules matches package-lock.json"
  else
    npm ci --no-audit --no-fund
    # npm ci replaced node_modules whole: stamp it with the lock it was built from.
    sha256sum package-lock.json | cut -d' ' -f1 >node_modules/.lock-sha256
  fi

  setup_postgres
}

checks() {
  step "gofmt"
  unformatted=$(gofmt -l pkg Magefile.go)
  if [ -n "$unformatted" ]; then
    echo "these files need gofmt -w:"; echo "$unformatted"; exit 1
  fi

  step "go vet (./pkg/...: node_modules holds Go files of its own)"
  if go list ./... 2>/dev/null | grep -q /node_modules/; then
    fail "go ./... reaches into node_modules: go.mod needs the line 'ignore ./node_modules'"
  fi
  go vet ./pkg/...

  step "frontend: typecheck, lint, jest"
  npm run typecheck
  npx tsc -p tests/tsconfig.json # the Playwright specs (they need a Grafana to run)
  npm run lint
  npm run test:ci

  step "build: frontend (webpack) and backend for every platform Grafana runs on (mage -v: buildAll)"
  npm run build
  mage -v

  step "go test -race (unit, emulator, PostgreSQL, gRPC test of dist/gpx_auth0logs_linux_amd64)"
  AUTH0LOGS_PLUGIN_BINARY="$PWD/dist/gpx_auth0logs_linux_$(go env GOARCH)" go test -race -count=1 -timeout 25m ./pkg/...

  step "go test pkg/plugin without -race (the end-to-end tenant log store runs, too slow under -race)"
  AUTH0LOGS_PLUGIN_BINARY="$PWD/dist/gpx_auth0logs_linux_$(go env GOARCH)" go test -count=1 -timeout 25m ./pkg/plugin/

  step "fuzz targets, briefly"
  # A count, not a duration: with -fuzztime 10s, Go 1.26's fuzz coordinator can fail a target
  # with a bare "context deadline exceeded" at the deadline on a loaded machine, without any
  # failing input (golang/go#75804, fixed in Go 1.27). A count has no deadline to race.
  bash scripts/fuzz.sh 20000x

  step "dist/ is complete"
  for f in plugin.json module.js "gpx_auth0logs_linux_$(go env GOARCH)"; do
    test -s "dist/$f" || fail "dist/$f is missing"
  done
  ls dist/dashboards/*.json >/dev/null
}

main() {
  setup
  if [ "${1:-}" = --setup ]; then echo; echo "setup done"; return 0; fi
  checks
  echo
  if [ ${#skipped[@]} -gt 0 ]; then
    echo "all checks passed, but some were skipped:"
    printf '  - %s\n' "${skipped[@]}"
  else
    echo "all checks passed"
  fi
}

# Sourced (to check one function of it), it only defines; run, it runs.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
