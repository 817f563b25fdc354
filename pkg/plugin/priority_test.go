package plugin

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
)

func TestQueryPriorityFromGrafanaHeaders(t *testing.T) {
	cases := []struct {
		name    string
		headers map[string]string
		alert   bool
	}{
		// What Grafana 12.4's rule evaluator sends (pkg/services/ngalert/eval buildDatasourceHeaders).
		{"alert rule evaluation", map[string]string{"FromAlert": "true", "X-Cache-Skip": "true", "X-Rule-Uid": "cred-stuffing", "X-Grafana-Org-Id": "1"}, true},
		{"canonicalised key", map[string]string{"Fromalert": "true"}, true},
		{"dashboard panel", map[string]string{"http_X-Dashboard-Uid": "anomaly-7d", "http_X-Panel-Id": "4", "http_Content-Type": "application/json"}, false},
		{"forwarded browser header is not believed", map[string]string{"http_FromAlert": "true"}, false},
		{"explicit false", map[string]string{"FromAlert": "false"}, false},
		{"not a boolean", map[string]string{"FromAlert": "yes please"}, false},
		{"no headers", nil, false},
	}
	for _, tc := range cases {
		req := &backend.QueryDataRequest{Headers: tc.headers}
		assert.Equal(t, tc.alert, fromAlert(req), tc.name)
		want := auth0.PriorityInteractive
		if tc.alert {
			want = auth0.PriorityAlert
		}
		assert.Equal(t, want, queryPriority(req), tc.name)
	}
	assert.False(t, fromAlert(nil))
	assert.Equal(t, "FromAlert", backend.FromAlertHeaderName, "the SDK's key is the one Grafana sends")
}

// TestSDKDeliversFromAlertUnprefixed checks the SDK's own view of the header: it is not one of the
// forwarded HTTP headers, so GetHTTPHeader cannot find it and req.Headers must be read directly.
func TestSDKDeliversFromAlertUnprefixed(t *testing.T) {
	req := &backend.QueryDataRequest{Headers: map[string]string{backend.FromAlertHeaderName: "true"}}
	assert.Empty(t, req.GetHTTPHeader(backend.FromAlertHeaderName))
	assert.True(t, fromAlert(req))
}
