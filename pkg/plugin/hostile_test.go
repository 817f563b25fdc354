package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/event"
)

// apiCalls is every request the emulator has answered, the token endpoint included.
func apiCalls(rt *relTenant) int {
	n := 0
	for _, c := range rt.emu.Stats().Requests {
		n += c
	}
	return n
}

// TestBadSettingsAreRefusedBeforeAnyCall saves settings a user might paste: each is refused by the
// factory (what "Save & test" shows) with a message naming the fix, as the user's error, without a
// request. The domain cases keep a working API base URL, so a missed check would reach the emulator.
func TestBadSettingsAreRefusedBeforeAnyCall(t *testing.T) {
	rt := newRelTenant(t, relOptions{})
	cases := []struct {
		name     string
		settings map[string]any
		says     string
	}{
		{"domain with a scheme", map[string]any{"domain": "https://acme.eu.auth0.com"}, "has a scheme"},
		{"domain with a path", map[string]any{"domain": "acme.eu.auth0.com/api/v2"}, "has a path"},
		{"domain with a port", map[string]any{"domain": "acme.eu.auth0.com:443"}, "has a port"},
		{"domain with user info", map[string]any{"domain": "admin:hunter2@acme.eu.auth0.com"}, "user info"},
		{"domain with inner whitespace", map[string]any{"domain": "acme .eu.auth0.com"}, "whitespace"},
		{"domain with a line break", map[string]any{"domain": "acme.eu\n.auth0.com"}, "whitespace"},
		{"domain with a query", map[string]any{"domain": "acme.eu.auth0.com?x=1"}, "has a path"},
		{"domain of 300 characters", map[string]any{"domain": strings.Repeat("a.", 150) + "com"}, "at most 253"},
		{"base URL over ftp", map[string]any{"apiBaseUrl": "ftp://127.0.0.1:21"}, "http:// or https://"},
		{"base URL of a file", map[string]any{"apiBaseUrl": "file:///etc/passwd"}, "http:// or https://"},
		{"base URL of javascript", map[string]any{"apiBaseUrl": "javascript:alert(1)"}, "http:// or https://"},
		{"base URL without a scheme", map[string]any{"apiBaseUrl": "127.0.0.1:8787"}, "http:// or https://"},
		{"base URL without a host", map[string]any{"apiBaseUrl": "http://"}, "http:// or https://"},
		{"base URL with user info", map[string]any{"apiBaseUrl": "http://admin:hunter2@127.0.0.1:8787"}, "user info"},
		{"base URL with a path", map[string]any{"apiBaseUrl": "http://127.0.0.1:8787/api/v2"}, "path"},
		{"audience over http", map[string]any{"audience": "http://acme.eu.auth0.com/api/v2/"}, "not an https URL"},
		{"requests per minute too high", map[string]any{"requestsPerMinute": 1_000_000}, "requests per minute"},
		{"settings that are not JSON", nil, "not valid JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			js := json.RawMessage(`{"domain": 7`)
			if c.settings != nil {
				m := map[string]any{"domain": testDomain, "clientId": testClientID, "apiBaseUrl": rt.url}
				for k, v := range c.settings {
					m[k] = v
				}
				js, _ = json.Marshal(m)
			}
			s := rt.settings()
			s.JSONData = js
			msg := settingsErrorOf(t, s)
			assert.Contains(t, msg, c.says)
			assert.NotContains(t, msg, testSecret)
		})
	}
	assert.Zero(t, apiCalls(rt), "no request for settings that cannot work")
}

// TestHostileQueriesAreRefusedWithoutACall sends queries no editor would: huge, deeply nested,
// malformed or out of range. Each gets a clear error as the user's, none costs a request, and
// nothing panics (a panic would end the test binary).
func TestHostileQueriesAreRefusedWithoutACall(t *testing.T) {
	rt := newRelTenant(t, relOptions{})
	d := rt.datasource(t)
	huge := strings.Repeat("a", 100_000)
	parens := func(n int) string { return strings.Repeat("(", n) + `type:"fu"` + strings.Repeat(")", n) }
	nestedJSON := strings.Repeat(`{"a":`, 10_000) + "1" + strings.Repeat("}", 10_000)
	cases := []struct{ name, model, says string }{
		{"100 KB query", `{"queryType":"count","query":"` + huge + `"}`, "characters long"},
		{"10,000 parentheses", `{"queryType":"count","query":"` + escapeJSON(parens(10_000)) + `"}`, "characters long"},
		{"2,000 parentheses within the length limit", `{"queryType":"count","query":"` + escapeJSON(parens(2_000)) + `"}`, "nest"},
		{"unbalanced parentheses", `{"queryType":"count","query":"` + strings.Repeat("(", 3000) + `"}`, "character"},
		{"10,000 levels of JSON", `{"queryType":"logs","query":` + nestedJSON + `}`, "not valid JSON"},
		{"query that is not a string", `{"queryType":"logs","query":["type:fu"]}`, "not valid JSON"},
		{"model that is not JSON", `{"queryType":"logs",`, "not valid JSON"},
		{"NUL and invalid UTF-8", `{"queryType":"logs","query":"type:\u0000\ufffd(("}`, "character"},
		{"100,000 event types", `{"queryType":"count","eventTypes":[` + strings.Repeat(`"fu!",`, 100_000) + `"fu"]}`, "not an Auth0 event code"},
		{"unknown query type", `{"queryType":"drop_tables"}`, "unknown query type"},
		{"negative limit", `{"queryType":"logs","limit":-1}`, "out of range"},
		{"enormous limit", `{"queryType":"logs","limit":1000000000}`, "out of range"},
		{"nanosecond interval", `{"queryType":"count","interval":"1ns"}`, "too short"},
		{"interval that is not a duration", `{"queryType":"count","interval":"soon"}`, "interval"},
		{"group by a field no event has", `{"queryType":"top","groupBy":"credentials.password"}`, "cannot group by"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rt.query(t.Context(), t, d, lastDay(&testTenant{end: testEnd}), c.model)
			require.Error(t, r.Error)
			assert.Contains(t, r.Error.Error(), c.says)
			assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
			assert.Less(t, len(r.Error.Error()), 2000, "the error does not echo a huge query back")
		})
	}
	assert.Zero(t, apiCalls(rt), "no hostile query reached Auth0")
}

func escapeJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// TestHostileInputToTheValidateResource sends the editor's validate resource the same shapes: it
// answers each with a clear verdict, never a crash, and never calls Auth0.
func TestHostileInputToTheValidateResource(t *testing.T) {
	rt := newRelTenant(t, relOptions{})
	d := rt.datasource(t)
	validate := func(body string) (int, map[string]any) {
		var got *backend.CallResourceResponse
		err := d.CallResource(t.Context(), &backend.CallResourceRequest{PluginContext: rt.pluginContext(),
			Method: "POST", Path: "validate", URL: "validate", Body: []byte(body)},
			backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error { got = r; return nil }))
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(got.Body, &m))
		return got.Status, m
	}
	status, m := validate(`{"query":"` + strings.Repeat("a", 100_000) + `"}`)
	assert.Equal(t, 413, status)
	assert.Contains(t, m["error"], "at most 4096 characters")

	for name, q := range map[string]string{
		"10,000 parentheses": strings.Repeat("(", 10_000) + "a" + strings.Repeat(")", 10_000),
		"5,000 characters":   strings.Repeat("a ", 2_500),
		"2,000 parentheses":  strings.Repeat("(", 2_000) + "a" + strings.Repeat(")", 2_000),
		"3,000 NOTs":         strings.Repeat("NOT ", 1_000) + "a",
	} {
		status, m = validate(`{"query":"` + q + `"}`)
		assert.Equal(t, 200, status, name)
		assert.Equal(t, false, m["valid"], name)
		require.NotNil(t, m["error"], name)
		assert.NotEmpty(t, m["error"].(map[string]any)["message"], name)
	}
	assert.Zero(t, apiCalls(rt))
}

// TestHugeFieldValues serves an event whose description, user agent and details are 1 MB each.
// Every query type handles it: the logs and table show it whole, the counts count it.
func TestHugeFieldValues(t *testing.T) {
	at := testEnd.Add(-2 * time.Hour)
	big := strings.Repeat("x", 1<<20)
	details, _ := json.Marshal(map[string]string{"blob": big})
	ev := slices.Clone(quietEvents(3, 1000))
	ev = append(ev, event.Event{LogID: "900huge", Date: at, Type: "fu", Description: big, UserAgent: big, Details: details, IP: "2001:db8::1"})
	rt := newRelTenant(t, relOptions{events: ev})
	d := rt.datasource(t)
	tr := backend.TimeRange{From: at.Add(-time.Hour), To: at.Add(time.Hour)}
	for _, model := range []string{
		`{"queryType":"logs","eventTypes":["fu"],"limit":10}`,
		`{"queryType":"table","eventTypes":["fu"],"limit":10}`,
		`{"queryType":"top","groupBy":"ip","eventTypes":["fu"]}`,
	} {
		r := rt.query(t.Context(), t, d, tr, model)
		require.NoError(t, r.Error, model)
		b, err := r.MarshalJSON()
		require.NoError(t, err)
		assert.Contains(t, string(b), "2001:db8::1", model)
		if !strings.Contains(model, "top") {
			assert.Contains(t, string(b), big, "%s shows the 1 MB description whole", model)
		}
	}
	r := rt.query(t.Context(), t, d, tr, `{"queryType":"count","interval":"1h"}`)
	require.NoError(t, r.Error)
	assert.Equal(t, rt.truth("", tr), total(t, r.Frames, "count"))
}

// TestPageOverTheSizeCapIsAClearError is long-only (AUTH0LOGS_LONG=1): 40 events of 1 MB make a
// page over the client's 32 MiB cap, which must be a clear error, not an out-of-memory crash.
func TestPageOverTheSizeCapIsAClearError(t *testing.T) {
	if !longRuns() {
		t.Skip("long run: set AUTH0LOGS_LONG=1")
	}
	at := testEnd.Add(-2 * time.Hour)
	big := strings.Repeat("y", 1<<20)
	var ev []event.Event
	for i := range 40 {
		ev = append(ev, event.Event{LogID: fmt.Sprintf("900big%03d", i), Date: at.Add(time.Duration(i) * time.Second), Type: "fu", Description: big})
	}
	rt := newRelTenant(t, relOptions{events: ev})
	d := rt.datasource(t)
	r := rt.query(t.Context(), t, d, backend.TimeRange{From: at.Add(-time.Hour), To: at.Add(time.Hour)}, `{"queryType":"count","interval":"1h"}`)
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), "larger than 32 MiB")
	assert.Equal(t, 1, rt.emu.Stats().Requests[emulator.EndpointLogs], "not retried: it would not get smaller")
	t.Logf("%v", r.Error)
}

// settingsErrorOf builds an instance from settings that cannot work and returns the message it
// gives: Save & test and every query of a request say the same, as the user's to fix.
func settingsErrorOf(t *testing.T, s backend.DataSourceInstanceSettings) string {
	t.Helper()
	inst, err := NewDatasource(context.Background(), s)
	require.NoError(t, err, "bad settings give an instance that explains them, not a factory error")
	bad, ok := inst.(*settingsErrorDatasource)
	require.True(t, ok, "got %T", inst)
	health, err := bad.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.Equal(t, backend.HealthStatusError, health.Status)
	resp, err := bad.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A"}, {RefID: "B"}}})
	require.NoError(t, err)
	for _, ref := range []string{"A", "B"} {
		r := resp.Responses[ref]
		require.Error(t, r.Error, "every query carries the error")
		assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
		assert.Equal(t, health.Message, r.Error.Error())
	}
	return health.Message
}
