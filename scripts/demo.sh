#!/usr/bin/env bash
# Builds the plugin and runs it in Grafana against the Auth0 emulator's demo tenant.
#   1. Docker engine available: docker compose up (Grafana + emulator containers).
#   2. Otherwise a `grafana` server binary on PATH: starts the emulator and that Grafana with the
#      plugin, the provisioning and the dashboards, all from this checkout.
#   3. Neither: says so, and how to get one, before spending minutes on the build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="/usr/local/go/bin:$PATH"
gopath=$(go env GOPATH)
export PATH="$gopath/bin:$PATH"
port="${GRAFANA_PORT:-3000}"
emu_port="${EMULATOR_PORT:-8787}"

# Find what will run Grafana before the build, which takes minutes on a fresh clone.
runner=""
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  runner=docker
fi
grafana_bin=$(command -v grafana || command -v grafana-server || true)
if [ -z "$runner" ] && [ -z "$grafana_bin" ]; then
  cat <<MSG
Cannot start Grafana: there is no Docker engine here and no 'grafana' server binary on PATH, so
nothing was built. To see the plugin run, either
  - install Docker (with its engine running) and run this script again (it uses docker-compose.yaml), or
  - install Grafana 12.3 or newer from a package (so 'grafana' is on PATH) and run this script again.
To build the plugin anyway: bash scripts/test.sh --setup && npm run build && mage -v build:linux
The emulator alone can be started with: go run ./pkg/cmd/auth0-emulator
MSG
  exit 1
fi

echo "== building the plugin"
[ -d node_modules ] || npm ci --no-audit --no-fund
command -v mage >/dev/null || go install github.com/magefile/mage@v1.17.2
npm run build
mage -v build:linux
mkdir -p .demo/bin
CGO_ENABLED=0 go build -o .demo/bin/auth0-emulator ./pkg/cmd/auth0-emulator

if [ "$runner" = docker ]; then
  echo "== starting Grafana and the emulator with Docker on http://localhost:$port"
  exec docker compose up --build
fi

homepath=/usr/share/grafana
[ -d "$homepath" ] || homepath=$(dirname "$(dirname "$(readlink -f "$grafana_bin")")")
state="$root/.demo/grafana"
mkdir -p "$state/plugins" "$state/data" "$state/logs"
ln -sfn "$root/dist" "$state/plugins/seed-auth0logs-datasource"

echo "== starting the emulator on 127.0.0.1:$emu_port"
.demo/bin/auth0-emulator -addr "127.0.0.1:$emu_port" &
emu_pid=$!
trap 'kill $emu_pid 2>/dev/null || true' EXIT

# The provisioned data source reads these (Grafana's provisioning has no defaults of its own).
export AUTH0_DOMAIN="${AUTH0_DOMAIN:-demo.auth0logs.local}"
export AUTH0_CLIENT_ID="${AUTH0_CLIENT_ID:-demo-client-id}"
export AUTH0_CLIENT_SECRET="${AUTH0_CLIENT_SECRET:-demo-client-secret}"
export AUTH0_API_BASE_URL="${AUTH0_API_BASE_URL-http://127.0.0.1:$emu_port}"
# The emulator has no real budget; a real tenant keeps the plugin's defaults (leave these unset).
export AUTH0_REQUESTS_PER_MINUTE="${AUTH0_REQUESTS_PER_MINUTE-1200}"
export AUTH0_REQUESTS_PER_QUERY="${AUTH0_REQUESTS_PER_QUERY-1000}"
export GF_SERVER_HTTP_PORT="$port"
export GF_PATHS_DATA="$state/data" GF_PATHS_LOGS="$state/logs" GF_PATHS_PLUGINS="$state/plugins"
# The shipped provisioning names the standard plugins path; this Grafana reads dist/ instead.
rm -rf "$state/provisioning" && cp -r "$root/provisioning" "$state/provisioning"
sed -i "s#/var/lib/grafana/plugins/seed-auth0logs-datasource#$root/dist#" "$state/provisioning/dashboards/dashboards.yml"
export GF_PATHS_PROVISIONING="$state/provisioning"
export GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=seed-auth0logs-datasource
export GF_AUTH_ANONYMOUS_ENABLED=true GF_AUTH_ANONYMOUS_ORG_ROLE=Admin

# The tenant log store lives where the plugin's grafana.ini section says (Grafana hands the section
# to the plugin, not its own environment): here, beside the demo's Grafana data.
cat >"$state/grafana.ini" <<INI
[plugin.seed-auth0logs-datasource]
store_path = $state/auth0logs-store
INI

echo "== starting Grafana ($grafana_bin) on http://localhost:$port"
if [ "$(basename "$grafana_bin")" = grafana ]; then
  "$grafana_bin" server --homepath "$homepath" --config "$state/grafana.ini"
else
  "$grafana_bin" --homepath "$homepath" --config "$state/grafana.ini"
fi
