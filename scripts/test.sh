#!/usr/bin/env bash
# Runs every check the project has: Go formatting, vet, race-enabled tests (including the gRPC test
# of the built binary and short fuzz runs), the frontend typecheck, lint and jest tests, and both
# builds. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$(go env GOPATH)/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l pkg Magefile.go)
if [ -n "$unformatted" ]; then
  echo "these files need gofmt -w:"; echo "$unformatted"; exit 1
fi

step "go vet"
go vet ./...

step "frontend: typecheck, lint, jest"
npm run typecheck
npx tsc -p tests/tsconfig.json   # the Playwright specs (they need a Grafana to run)
npm run lint
npm run test:ci

step "build: frontend (webpack) and backend (mage build:linux)"
npm run build
mage -v build:linux

step "go test -race (unit, emulator, gRPC test of dist/gpx_auth0logs_linux_amd64)"
AUTH0LOGS_PLUGIN_BINARY="$PWD/dist/gpx_auth0logs_linux_$(go env GOARCH)" go test -race -count=1 ./...

step "fuzz targets, briefly"
bash scripts/fuzz.sh 10s

step "dist/ is complete"
for f in plugin.json module.js "gpx_auth0logs_linux_$(go env GOARCH)"; do
  test -s "dist/$f" || { echo "dist/$f is missing"; exit 1; }
done
ls dist/dashboards/*.json >/dev/null

echo
echo "all checks passed"
