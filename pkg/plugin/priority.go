package plugin

import (
	"context"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
)

// queryPriority is the place in the tenant's request queue for every Auth0 request req makes: an
// alert rule's evaluation goes before the dashboards, which have people watching but no deadline
// that fires an alert.
func queryPriority(req *backend.QueryDataRequest) auth0.Priority {
	if fromAlert(req) {
		return auth0.PriorityAlert
	}
	return auth0.PriorityInteractive
}

// fromAlert reports whether Grafana's alerting engine sent req. Grafana's rule evaluator puts
// "FromAlert": "true" among the request's headers (with "X-Cache-Skip", "X-Rule-Uid" and
// "X-Grafana-Org-Id"), and the SDK hands it over in req.Headers under that same key,
// backend.FromAlertHeaderName, not under the "http_" prefix of forwarded browser headers. The key
// is matched without regard to case because it is canonicalised to "Fromalert" wherever it
// crosses HTTP. A forwarded browser header ("http_FromAlert") is not believed: a dashboard user
// could send it to jump the queue.
func fromAlert(req *backend.QueryDataRequest) bool {
	if req == nil {
		return false
	}
	for k, v := range req.Headers {
		if strings.EqualFold(k, backend.FromAlertHeaderName) {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			return err == nil && b
		}
	}
	return false
}

// flightClass keeps alert reads apart from dashboard reads in flight: a shared read runs at its
// leader's priority, so an alert that joined a dashboard's read would wait in the dashboard's line.
func flightClass(ctx context.Context) string {
	if auth0.PriorityFrom(ctx) == auth0.PriorityAlert {
		return "alert"
	}
	return ""
}
