package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
)

// testEnd is a fixed end so the generated tenants, and so every count, are the same on every run.
var testEnd = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

const (
	testSecret   = "test-secret-7f3a9c"
	testClientID = "test-client"
	testDomain   = "tenant.test.auth0logs.local"
)

type testTenantOptions struct {
	days, perDay     int
	requestsPerQuery int
	rateLimit        emulator.RateLimit
}

type testTenant struct {
	emu     *emulator.Server
	url     string
	events  []event.Event
	end     time.Time
	options testTenantOptions
}

var (
	tenantsMu sync.Mutex
	tenants   = map[[2]int][]event.Event{}
)

// generated caches tenants by size: generating one takes longer than most tests.
func generated(days, perDay int) []event.Event {
	tenantsMu.Lock()
	defer tenantsMu.Unlock()
	key := [2]int{days, perDay}
	if ev, ok := tenants[key]; ok {
		return ev
	}
	ev := tenant.Generate(tenant.Config{Seed: 7, End: testEnd, Days: days, EventsPerDay: perDay, Attacks: tenant.DefaultAttacks(testEnd)}).Events
	tenants[key] = ev
	return ev
}

func newTestTenant(t *testing.T, o testTenantOptions) *testTenant {
	t.Helper()
	if o.days == 0 {
		o.days = 2
	}
	if o.perDay == 0 {
		o.perDay = 1500
	}
	if o.requestsPerQuery == 0 {
		o.requestsPerQuery = 2000
	}
	events := generated(o.days, o.perDay)
	emu := emulator.New(emulator.Options{
		Domain: testDomain, ClientID: testClientID, ClientSecret: testSecret,
		RateLimit: o.rateLimit, Now: func() time.Time { return testEnd.Add(time.Hour) },
	}, events)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &testTenant{emu: emu, url: srv.URL, events: events, end: testEnd, options: o}
}

func (tn *testTenant) settings() backend.DataSourceInstanceSettings {
	js, _ := json.Marshal(map[string]any{
		"domain": testDomain, "clientId": testClientID, "apiBaseUrl": tn.url,
		"requestsPerMinute": 6000, "requestsPerQuery": tn.options.requestsPerQuery,
	})
	return backend.DataSourceInstanceSettings{
		UID: "auth0-test", Name: "Auth0 test", Type: "seed-auth0logs-datasource", JSONData: js, Updated: time.Unix(1, 0),
		DecryptedSecureJSONData: map[string]string{"clientSecret": testSecret},
	}
}

func (tn *testTenant) pluginContext() backend.PluginContext { return pluginContextFor(tn.settings()) }

func (tn *testTenant) datasource(t *testing.T) *Datasource { return instanceFor(t, tn.settings()) }

// pluginContextFor is what Grafana sends with every call for a data source with these settings.
func pluginContextFor(s backend.DataSourceInstanceSettings) backend.PluginContext {
	return backend.PluginContext{PluginID: "seed-auth0logs-datasource", OrgID: 1, DataSourceInstanceSettings: &s}
}

// instanceFor builds the instance the way Grafana's instance manager would, and disposes of it
// when the test ends.
func instanceFor(t *testing.T, s backend.DataSourceInstanceSettings) *Datasource {
	t.Helper()
	inst, err := NewDatasource(context.Background(), s)
	require.NoError(t, err)
	d := inst.(*Datasource)
	t.Cleanup(d.Dispose)
	return d
}

// count is the ground truth: the events of the tenant matching q in the range.
func (tn *testTenant) count(q string, tr backend.TimeRange) int64 {
	n, err := logquery.ParsePaths(q)
	if err != nil {
		panic(err)
	}
	m, err := logquery.CompilePaths(n)
	if err != nil {
		panic(err)
	}
	var c int64
	for i := range tn.events {
		e := &tn.events[i]
		if !e.Date.Before(tr.From) && e.Date.Before(tr.To) && m.Match(e) {
			c++
		}
	}
	return c
}

func (tn *testTenant) query(t *testing.T, d *Datasource, tr backend.TimeRange, model string) backend.DataResponse {
	t.Helper()
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: tn.pluginContext(),
		Queries:       []backend.DataQuery{{RefID: "A", TimeRange: tr, Interval: time.Hour, MaxDataPoints: 1000, JSON: json.RawMessage(model)}},
	})
	require.NoError(t, err)
	return resp.Responses["A"]
}

// sumField adds up a numeric field of a frame.
func sumField(t *testing.T, f *data.Frame, name string) int64 {
	t.Helper()
	field, _ := f.FieldByName(name)
	require.NotNil(t, field, "frame %q has no field %q:\n%s", f.Name, name, fmt.Sprint(f.Fields))
	var sum int64
	for i := 0; i < field.Len(); i++ {
		v, ok := field.ConcreteAt(i)
		if !ok {
			continue // a gap: a bucket not read
		}
		switch x := v.(type) {
		case int64:
			sum += x
		case float64:
			sum += int64(x)
		default:
			t.Fatalf("field %q holds %T", name, v)
		}
	}
	return sum
}
