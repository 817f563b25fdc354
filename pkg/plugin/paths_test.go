package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
)

// pathTruthQueries filter on field paths; each count must equal the tenant's ground truth.
var pathTruthQueries = map[string]string{
	`type:fp AND details.error.message:"Wrong email or password."`: `{"queryType":"count","query":"type:fp AND details.error.message:\"Wrong email or password.\"","interval":"1h"}`,
	`user_agent.family:Chrome`:                                     `{"queryType":"count","query":"user_agent.family:Chrome","interval":"6h"}`,
	`type:s AND NOT location_info.country_code:US`:                 `{"queryType":"count","query":"type:s AND NOT location_info.country_code:US","interval":"1d"}`,
}

// TestFieldPathFiltersCountExactlyOnBothPaths: a filter on paths Auth0 cannot search gives the
// ground truth from the store at no Auth0 cost, and on demand, where the plugin reads the events
// of the searchable part and says what that cost.
func TestFieldPathFiltersCountExactlyOnBothPaths(t *testing.T) {
	st := newStoreTenant(t, relOptions{days: 2, perDay: 2000})
	tr := backend.TimeRange{From: testEnd.Add(-2*24*time.Hour + time.Hour), To: testEnd}
	stored, onDemand := st.bothWays(t, tr)
	for q, model := range pathTruthQueries {
		t.Run(q, func(t *testing.T) {
			want := st.truth(q, tr)
			require.Positive(t, want, "the tenant has events for %s", q)
			before := st.rec.searchRequests()
			got := st.query(context.Background(), t, stored, tr, model)
			require.NoError(t, got.Error)
			assert.Equal(t, want, total(t, got.Frames, "count"), "from the store")
			assert.Equal(t, before, st.rec.searchRequests(), "the store answers paths at no Auth0 cost")

			got = st.query(context.Background(), t, onDemand, tr, model)
			require.NoError(t, got.Error)
			assert.Equal(t, want, total(t, got.Frames, "count"), "on demand")
			assert.Positive(t, stat(got.Frames, "Auth0 requests"))
			assert.Equal(t, float64(want), stat(got.Frames, "Events the plugin's filter kept"))
			var said bool
			for _, n := range got.Frames[0].Meta.Notices {
				said = said || strings.Contains(n.Text, "so the plugin read the") && strings.Contains(n.Text, fmt.Sprintf("kept %d of them", want))
			}
			assert.True(t, said, "on demand the plugin says what filtering on a path cost")
			assert.Contains(t, got.Frames[0].Meta.ExecutedQueryString, "then kept by the plugin when:")
		})
	}
}

// TestAlertSeriesGroupedByPathCarrySafeLabels: a series grouped by a path carries the path as a
// label with dots made underscores, as alerting templates need.
func TestAlertSeriesGroupedByPathCarrySafeLabels(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{days: 1, perDay: 800})
	d := tn.datasource(t)
	tr := backend.TimeRange{From: testEnd.Add(-24 * time.Hour), To: testEnd}
	r := tn.query(t, d, tr, `{"queryType":"count","eventTypes":["s"],"groupBy":"user_agent.family","interval":"1d"}`)
	require.NoError(t, r.Error)
	require.NotEmpty(t, r.Frames)
	var sum int64
	for _, f := range r.Frames {
		family, ok := f.Fields[1].Labels["user_agent_family"]
		require.True(t, ok, "labels %v", f.Fields[1].Labels)
		assert.NotContains(t, family, "/")
		sum += sumField(t, f, f.Fields[1].Name)
	}
	assert.Equal(t, tn.count("type:s", tr), sum, "every event falls in one family")
}

// TestValidateSaysWhatAuth0SearchesAndWhatThePluginFilters: the editor's validate call splits the
// query and says what it will cost, before anything runs and at no Auth0 cost.
func TestValidateSaysWhatAuth0SearchesAndWhatThePluginFilters(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{days: 1, perDay: 200})
	d := tn.datasource(t)
	mux := d.newResourceMux()
	body := map[string]any{"query": "type:sapi AND details.request.body.enabled:false", "queryType": "count",
		"from": testEnd.Add(-time.Hour).UnixMilli(), "to": testEnd.UnixMilli()}
	raw, _ := json.Marshal(body)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/validate", strings.NewReader(string(raw))))
	require.Equal(t, http.StatusOK, rec.Code)
	var resp validateResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
	assert.True(t, resp.Valid)
	assert.Equal(t, `type:"sapi"`, resp.Searched)
	assert.Equal(t, `details.request.body.enabled:"false"`, resp.Filtered)
	assert.Contains(t, resp.Cost, "Auth0 is read on demand")
	assert.Contains(t, resp.Cost, "which the plugin then filters")

	// A month is valid with no interval (the panel picks one), and refused for too fine a one.
	month := func(interval string) validateResponse {
		raw, _ := json.Marshal(map[string]any{"query": "type:sapi AND details.request.path:*attack-protection*", "queryType": "count",
			"interval": interval, "from": testEnd.Add(-30 * 24 * time.Hour).UnixMilli(), "to": testEnd.UnixMilli()})
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/validate", strings.NewReader(string(raw))))
		var resp validateResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
		return resp
	}
	assert.True(t, month("").Valid)
	assert.False(t, month("1s").Valid)

	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/validate", strings.NewReader(`{"query":"details:x"}`)))
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
	require.NotNil(t, resp.Error)
	assert.Contains(t, resp.Error.Hint, "details.request.path")

	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/fields", nil))
	assert.Contains(t, rec.Body.String(), `"path":"security_context.ja4"`)
	assert.Zero(t, tn.emu.Stats().Requests[emulator.EndpointLogs], "the editor's calls cost no Auth0 request")
}
