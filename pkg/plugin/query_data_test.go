package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/models"
)

func lastDay(tn *testTenant) backend.TimeRange {
	return backend.TimeRange{From: tn.end.Add(-24 * time.Hour), To: tn.end}
}

func TestEveryQueryTypeEndToEnd(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{})
	d := tn.datasource(t)
	tr := backend.TimeRange{From: tn.end.Add(-48 * time.Hour), To: tn.end} // the attack is on the first day
	cases := []struct {
		name, model string
		check       func(t *testing.T, frames data.Frames)
	}{
		{"logs", `{"queryType":"logs","query":"type:\"fu\"","limit":50}`, func(t *testing.T, f data.Frames) {
			require.Len(t, f, 1)
			assert.Equal(t, data.FrameTypeLogLines, f[0].Meta.Type)
			assert.Equal(t, 50, f[0].Rows())
		}},
		{"table", `{"queryType":"table","eventTypes":["s"],"limit":20}`, func(t *testing.T, f data.Frames) {
			require.Len(t, f, 1)
			assert.Equal(t, 20, f[0].Rows())
			typ, _ := f[0].FieldByName("type")
			require.NotNil(t, typ)
			assert.Equal(t, "s", typ.At(0))
		}},
		{"count by type", `{"queryType":"count","eventTypes":["fu","fp","s"],"groupBy":"type","interval":"1h"}`, func(t *testing.T, f data.Frames) {
			assert.Len(t, f, 3)
			var total int64
			for _, fr := range f {
				assert.Equal(t, 48, fr.Rows())
				total += sumField(t, fr, "count")
			}
			assert.Equal(t, tn.count(`type:"fu" OR type:"fp" OR type:"s"`, tr), total)
		}},
		{"distinct ips", `{"queryType":"distinct","eventTypes":["fu"],"distinctField":"ip","interval":"1d"}`, func(t *testing.T, f data.Frames) {
			require.Len(t, f, 1)
			assert.Positive(t, sumField(t, f[0], "distinct"))
		}},
		{"top ips", `{"queryType":"top","eventTypes":["fu"],"groupBy":"ip","limit":5}`, func(t *testing.T, f data.Frames) {
			require.Len(t, f, 1)
			assert.Equal(t, 5, f[0].Rows())
			lat, _ := f[0].FieldByName("latitude")
			assert.NotNil(t, lat, "top by ip carries location for a Geomap")
		}},
		{"values", `{"queryType":"values","groupBy":"connection"}`, func(t *testing.T, f data.Frames) {
			require.Len(t, f, 1)
			assert.Positive(t, f[0].Rows())
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := tn.query(t, d, tr, c.model)
			require.NoError(t, r.Error)
			c.check(t, r.Frames)
			require.NotNil(t, r.Frames[0].Meta)
			assert.NotEmpty(t, r.Frames[0].Meta.ExecutedQueryString)
			assert.NotEmpty(t, r.Frames[0].Meta.Stats, "the cost is in the query inspector")
		})
	}
}

func TestSevenDayCountPastTheCapMatchesGroundTruth(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{days: 7, perDay: 3000})
	d := tn.datasource(t)
	tr := backend.TimeRange{From: tn.end.Add(-7 * 24 * time.Hour), To: tn.end}
	want := tn.count(`type:"fu" OR type:"s"`, tr)
	require.Greater(t, want, int64(10_000), "the test needs more than 10,000 matching events")

	r := tn.query(t, d, tr, `{"queryType":"count","eventTypes":["fu","s"],"groupBy":"type","interval":"1d"}`)
	require.NoError(t, r.Error)
	var got int64
	for _, f := range r.Frames {
		assert.Equal(t, 7, f.Rows(), "daily buckets start at midnight UTC")
		got += sumField(t, f, "count")
	}
	assert.Equal(t, want, got)
	for _, f := range r.Frames {
		assert.Empty(t, f.Meta.Notices, "a complete answer carries no notice")
	}
}

func TestAlertStyleQueryWithOnlyTypeAndQuery(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{})
	d := tn.datasource(t)
	tr := backend.TimeRange{From: tn.end.Add(-6 * time.Hour), To: tn.end}
	r := tn.query(t, d, tr, `{"queryType":"count","query":"type:\"fu\""}`)
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1, "ungrouped count is one series: what an alert condition reduces")
	assert.Equal(t, tn.count(`type:"fu"`, tr), sumField(t, r.Frames[0], "count"))
}

func TestConcurrentIdenticalQueriesCostOne(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{})
	tr := lastDay(tn)
	model := `{"queryType":"count","eventTypes":["s"],"interval":"1h"}`

	alone := tn.datasource(t)
	tn.query(t, alone, tr, model)
	one := logRequests(tn)
	tn.emu.ResetStats()

	d := tn.datasource(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := tn.query(t, d, tr, model)
			assert.NoError(t, r.Error)
		}()
	}
	wg.Wait()
	assert.Equal(t, one, logRequests(tn))
}

func TestBadQueriesCostNoRequest(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{})
	d := tn.datasource(t)
	for model, want := range map[string]string{
		`{"queryType":"logs","query":"user_email:\"a@b.c\""}`: `did you mean "user_name"`,
		`{"queryType":"logs","query":"type:(fu"}`:             "character 6",
		`{"queryType":"count","groupBy":"email"}`:             `cannot group by "email"`,
		`{"queryType":"logs","eventTypes":["FU!"]}`:           "not an Auth0 event code",
		`{"queryType":"logs","categories":["nope"]}`:          "nope",
	} {
		r := tn.query(t, d, lastDay(tn), model)
		require.Error(t, r.Error, model)
		assert.Contains(t, r.Error.Error(), want)
		assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
	}
	assert.Zero(t, logRequests(tn)+tn.emu.Stats().Requests[emulator.EndpointToken])
}

func TestBudgetGivesPartialDataWithANotice(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{requestsPerQuery: 3})
	d := tn.datasource(t)
	r := tn.query(t, d, lastDay(tn), `{"queryType":"count","interval":"1h"}`)
	require.NoError(t, r.Error)
	require.NotEmpty(t, r.Frames)
	notices := r.Frames[0].Meta.Notices
	require.Len(t, notices, 1)
	assert.Equal(t, data.NoticeSeverityWarning, notices[0].Severity)
	assert.Contains(t, notices[0].Text, "budget of 3 Auth0 requests")
	assert.Contains(t, notices[0].Text, "missing")
}

func TestResources(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{})
	d := tn.datasource(t)
	call := func(method, path, body string) (int, map[string]any) {
		var got *backend.CallResourceResponse
		err := d.CallResource(context.Background(), &backend.CallResourceRequest{
			PluginContext: tn.pluginContext(), Method: method, Path: path, URL: path, Body: []byte(body),
		}, backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error { got = r; return nil }))
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(got.Body, &m), string(got.Body))
		assert.Equal(t, []string{"application/json"}, got.Headers["Content-Type"])
		return got.Status, m
	}
	status, m := call("GET", "event-types", "")
	assert.Equal(t, 200, status)
	assert.NotEmpty(t, m["types"])
	assert.NotEmpty(t, m["presets"])

	_, m = call("POST", "validate", `{"query":"type:\"fu\" AND ip:\"1.2.3.4\""}`)
	assert.Equal(t, true, m["valid"])

	_, m = call("POST", "validate", `{"query":"user_email:x"}`)
	assert.Equal(t, false, m["valid"])
	e := m["error"].(map[string]any)
	assert.Equal(t, float64(0), e["position"])
	assert.Equal(t, float64(1), e["character"], "characters count from 1, as editors do")
	assert.Contains(t, e["message"].(string)+" "+e["hint"].(string), "user_name")

	status, _ = call("POST", "validate", `not json`)
	assert.Equal(t, 400, status)
	_, m = call("GET", "fields", "")
	assert.Contains(t, m["searchable"], "user_name")
	assert.Zero(t, logRequests(tn), "resources never call Auth0")
}

func TestCheckHealth(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{})
	res, err := tn.datasource(t).CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: tn.pluginContext()})
	require.NoError(t, err)
	assert.Equal(t, backend.HealthStatusOk, res.Status, res.Message)

	s := tn.settings()
	s.DecryptedSecureJSONData = map[string]string{"clientSecret": "wrong-secret"}
	bad := instanceFor(t, s)
	res, err = bad.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: tn.pluginContext()})
	require.NoError(t, err)
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Contains(t, res.Message, "client")
	assert.NotContains(t, res.Message, "wrong-secret")
}

func TestFactoryRejectsBadSettingsWithoutACall(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{})
	s := tn.settings()
	s.JSONData = json.RawMessage(`{"domain":"https://acme.auth0.com/","clientId":"x"}`)
	assert.Contains(t, settingsErrorOf(t, s), "has a scheme")
	assert.Zero(t, tn.emu.Stats().Requests[emulator.EndpointToken])
}

func logRequests(tn *testTenant) int {
	return tn.emu.Stats().Requests[emulator.EndpointLogs]
}

func TestGroupedCountsFoldTheTailIntoOther(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{})
	d := tn.datasource(t)
	tr := backend.TimeRange{From: tn.end.Add(-48 * time.Hour), To: tn.end}
	r := tn.query(t, d, tr, `{"queryType":"count","eventTypes":["fu"],"groupBy":"ip","interval":"1h","limit":5}`)
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 6, "five IPs and (other)")
	var total int64
	other := false
	for _, f := range r.Frames {
		total += sumField(t, f, "count")
		other = other || f.Fields[1].Labels["ip"] == "(other)"
	}
	assert.True(t, other)
	assert.Equal(t, tn.count(`type:"fu"`, tr), total, "folding keeps every event")
}

// TestNoticesNameTheLimitThatStoppedTheFetch checks that a partial result blames the limit that
// really stopped it, with the fix that matches: the data source's requests-per-minute setting,
// Auth0's 429, the per-query budget, or a slow Auth0 near the query's deadline.
func TestNoticesNameTheLimitThatStoppedTheFetch(t *testing.T) {
	d := &Datasource{settings: models.Settings{RequestsPerQuery: 40, RequestsPerMinute: 30}}
	from := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	read := fetch.Result{Events: make([]event.Event, 120), Missing: &fetch.Interval{From: from, To: from.Add(5 * time.Hour)}}
	cases := []struct {
		name      string
		err       error
		says, not []string
	}{
		{"per-query budget", fmt.Errorf("%w after 40 requests", fetch.ErrBudget),
			[]string{"budget of 40 Auth0 requests", `raise "Requests per query"`}, []string{"429", "Requests per minute"}},
		{"data source limit", &auth0.LimitError{Kind: auth0.LimitDataSource, RequestsPerMinute: 30},
			[]string{"limit of 30 requests a minute", `"Requests per minute"`, "Auth0 was not asked"}, []string{"429"}},
		{"Auth0's 429", &auth0.Error{Status: http.StatusTooManyRequests, Downstream: true, Message: "Global limit has been reached"},
			[]string{"rate limit", "429"}, []string{"Requests per query"}},
		{"slow Auth0", fetch.ErrSlow,
			[]string{"Auth0 answered slowly: read back to 2026-11-20T05:00:00Z", "timed out"}, []string{"cancel"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			notices, err := d.partial(read, c.err, false)
			require.NoError(t, err, "events were read: a warning, not an error")
			require.Len(t, notices, 1)
			text := notices[0].Text
			assert.Contains(t, text, "events from 2026-11-20T00:00:00Z to 2026-11-20T05:00:00Z are missing")
			assert.Contains(t, text, "gaps")
			for _, s := range c.says {
				assert.Contains(t, text, s)
			}
			for _, s := range c.not {
				assert.NotContains(t, text, s)
			}
		})
	}
}

// A slow Auth0 with nothing read is an error that says the query timed out (not that it was
// cancelled), with Grafana's timeout status, so the panel shows more than DeadlineExceeded.
func TestNothingReadBeforeTheDeadlineSaysTimedOut(t *testing.T) {
	d := &Datasource{settings: models.Settings{RequestsPerQuery: 40}}
	_, err := d.partial(fetch.Result{}, fetch.ErrSlow, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Auth0 answered slowly: nothing was read")
	assert.Contains(t, err.Error(), "timed out")
	r := errorResponse(err)
	assert.Equal(t, backend.StatusTimeout, r.Status)
	assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
	assert.NotContains(t, r.Error.Error(), "cancel")
}

func TestReadNoticesSayWhatCouldNotBeCountedExactly(t *testing.T) {
	at := time.Date(2026, 11, 20, 3, 0, 0, 7e6, time.UTC)
	notices := readNotices(fetch.Result{Crowded: []fetch.Crowded{{At: at, Read: 1000}}, Cost: fetch.Cost{Conflicting: 47}})
	require.Len(t, notices, 2)
	assert.Contains(t, notices[0].Text, "2026-11-20T03:00:00.007Z")
	assert.Contains(t, notices[0].Text, "1000 of them were read")
	assert.Contains(t, notices[1].Text, "47 log events share their log_id")
	assert.Empty(t, readNotices(fetch.Result{}), "a clean read says nothing")
}
