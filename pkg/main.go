// Command gpx_auth0logs is the backend of the Auth0 Logs data source. Grafana starts it and talks
// to it over gRPC; it serves nothing else.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/seed/auth0logs-datasource/pkg/plugin"
)

// pluginID must match src/plugin.json.
const pluginID = "seed-auth0logs-datasource"

func main() {
	// Manage already sets up the plugin environment and tracing.
	err := datasource.Manage(pluginID, plugin.NewDatasource, datasource.ManageOpts{})
	// Stop the tenant log tails and hand their leases over before the process ends.
	plugin.Shutdown()
	if err != nil {
		log.DefaultLogger.Error("plugin stopped", "error", err)
		os.Exit(1)
	}
}
