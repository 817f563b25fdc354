package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
)

const setupDocs = "https://auth0.com/docs/get-started/auth0-overview/create-applications/machine-to-machine-apps"

// CheckHealth proves the whole chain "Save & test" cares about: a token for the Management API and
// one log read with read:logs. It spends one request (two when the store has not learned the
// retention), says how old the newest and oldest logs are, the rate headroom Auth0 reports, and how
// the tenant log store stands (coverage, lag, backfill, gaps, what is wrong when it is stuck).
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if err := d.client.Token(ctx); err != nil {
		return healthError("Cannot get a Management API token: "+err.Error(), err), nil
	}
	newest, err := d.client.SearchLogs(ctx, auth0.SearchParams{PerPage: 1, Sort: "date:-1"})
	if err != nil {
		return healthError("Got a token, but cannot read logs: "+err.Error(), err), nil
	}
	msg := fmt.Sprintf("Connected to %s: the application can read logs.", d.settings.Domain) + routeNote(d.settings)
	if len(newest) == 0 {
		msg += " The tenant has no logs in its retention window yet."
	} else {
		e := newest[0]
		msg += fmt.Sprintf(" Newest log: %s (%s), %s.", eventtypes.Lookup(e.Type).Name, e.Type, humanAge(time.Since(e.Date)))
	}
	limits := d.limits() // read before any other request replaces what Auth0 said
	ret := d.retention(ctx)
	if s := ret.sentence(time.Now()); s != "" {
		msg += " " + s
	}
	msg += " " + limits.sentence()
	rep := d.storeReport(ctx)
	msg += " " + rep.sentence(time.Now())
	details, _ := json.Marshal(map[string]any{"verboseMessage": rep.sentence(time.Now()), "store": rep, "retention": ret, "rateLimit": limits})
	status := backend.HealthStatusOk
	if rep.Enabled && rep.Status == nil {
		// The admin turned the store on and it cannot run: queries still work, on demand, but
		// Save & test must not look fine.
		status = backend.HealthStatusError
	}
	return &backend.CheckHealthResult{Status: status, Message: msg, JSONDetails: details}, nil
}

func healthError(msg string, err error) *backend.CheckHealthResult {
	details := map[string]string{"verboseMessage": err.Error()}
	if auth0.IsAuth(err) {
		details["errorLink"] = setupDocs
	}
	b, _ := json.Marshal(details)
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: msg, JSONDetails: b}
}
