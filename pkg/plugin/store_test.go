package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// storeTenant is a relTenant whose instances may keep a tenant log store in a directory of the
// test's own, so tests never share a store with each other or with the process default.
type storeTenant struct {
	*relTenant
	rt *storeRuntime
}

func newStoreTenant(t *testing.T, o relOptions) *storeTenant {
	t.Helper()
	skipUnderRace(t)
	dir := t.TempDir()
	rt := &storeRuntime{load: func() (storeConfig, error) { return storeConfig{Engine: "sqlite", Dir: dir}, nil },
		clock: tenantClock(testEnd.Add(time.Hour))}
	t.Cleanup(rt.close)
	return &storeTenant{relTenant: newRelTenant(t, o), rt: rt}
}

// tenantClock runs at the wall clock's pace from now = at, the emulated tenant's present, so the
// tail's backfill window (the last 30 days) holds the tenant whatever day the tests run on, and
// the tail does not see the weeks between the tenant's end and today as weeks with no events.
func tenantClock(at time.Time) store.Clock { return offsetClock(time.Until(at)) }

type offsetClock time.Duration

func (c offsetClock) Now() time.Time                     { return time.Now().Add(time.Duration(c)) }
func (offsetClock) NewTimer(d time.Duration) store.Timer { return store.SystemClock().NewTimer(d) }

// skipUnderRace skips the end-to-end store runs in a -race build. The embedded engine is SQLite
// translated from C to Go, and the race detector instruments every line of it: a backfill of a few
// tens of thousands of events goes from seconds to over ten minutes. scripts/test.sh runs the
// package a second time without -race, so these still run on every check; the store's own
// concurrency is covered with -race in pkg/store and pkg/store/sqlite.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("end-to-end store run: too slow under -race (and the plugin processes it starts are not instrumented anyway); scripts/test.sh runs it without -race")
	}
}

// instance builds a data source on the tenant with the store on or off.
func (st *storeTenant) instance(t *testing.T, storeOn bool) *Datasource {
	t.Helper()
	s := st.settings()
	var js map[string]any
	require.NoError(t, json.Unmarshal(s.JSONData, &js))
	js["storeEnabled"] = storeOn
	js["storePollSeconds"] = 2
	s.JSONData, _ = json.Marshal(js)
	inst, err := newInstance(context.Background(), s, st.rt)
	require.NoError(t, err)
	d := inst.(*Datasource)
	t.Cleanup(d.Dispose)
	return d
}

// caughtUp waits until the tail holds the whole range the tenant's events span. It waits for a
// condition, not for a time: the ceiling only stops a broken tail from hanging the suite.
func (st *storeTenant) caughtUp(t *testing.T, d *Datasource, tr backend.TimeRange) {
	t.Helper()
	require.NotNil(t, d.store.tenant, "the store is in use: %v", d.store.err)
	deadline := time.Now().Add(5 * time.Minute)
	for {
		s, err := d.store.tenant.Engine.State(context.Background(), d.store.tenant.Key)
		require.NoError(t, err)
		if rt := d.store.tenant.Decide(s, tr.From, tr.To); rt.OnDemand == nil {
			return
		}
		if time.Now().After(deadline) {
			status, _ := d.store.handle.Status(context.Background())
			t.Fatalf("the tail did not cover %s–%s: segments %+v, status %+v", tr.From, tr.To, s.Segments, status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// bothWays is an instance with the store on, its tail holding tr, and one with the store off:
// the two ways a query is answered, to compare.
func (st *storeTenant) bothWays(t *testing.T, tr backend.TimeRange) (stored, onDemand *Datasource) {
	t.Helper()
	stored = st.instance(t, true)
	st.caughtUp(t, stored, tr)
	return stored, st.instance(t, false)
}

// frameData is a response's frames without their meta (stats and notices differ by source).
func frameData(t *testing.T, r backend.DataResponse) string {
	t.Helper()
	require.NoError(t, r.Error)
	var out []string
	for _, f := range r.Frames {
		c := f.EmptyCopy()
		c.Meta = nil
		for i := 0; i < f.Rows(); i++ {
			c.AppendRow(f.RowCopy(i)...)
		}
		c.Meta = nil
		b, err := json.Marshal(c)
		require.NoError(t, err)
		out = append(out, string(b))
	}
	return fmt.Sprint(out)
}

func stat(frames data.Frames, name string) float64 {
	for _, f := range frames {
		if f.Meta == nil {
			continue
		}
		for _, s := range f.Meta.Stats {
			if s.DisplayName == name {
				return s.Value
			}
		}
	}
	return -1
}

// storeParityQueries are the shapes every bundled dashboard and alert rule asks, one of each kind.
var storeParityQueries = []string{
	`{"queryType":"count","eventTypes":["fu"],"interval":"1h"}`,
	`{"queryType":"count","eventTypes":["f","fp","fu"],"groupBy":"type","interval":"1d"}`,
	`{"queryType":"count","categories":["login_failure"],"groupBy":"ip","interval":"1h","limit":5}`,
	`{"queryType":"count","groupBy":"category","interval":"6h"}`,
	`{"queryType":"distinct","eventTypes":["f","fp","fu"],"distinctField":"ip","interval":"1d"}`,
	`{"queryType":"distinct","groupBy":"type","distinctField":"user_name","interval":"1d","limit":3}`,
	`{"queryType":"top","eventTypes":["fu"],"groupBy":"ip","limit":10}`,
	`{"queryType":"top","groupBy":"country","limit":5}`,
	`{"queryType":"top","groupBy":"client_name"}`,
	`{"queryType":"values","groupBy":"connection"}`,
	`{"queryType":"logs","query":"type:f* AND NOT ip:10.*","limit":50}`,
	`{"queryType":"table","query":"description:*password*","limit":20}`,
	`{"queryType":"count","query":"user_name:*@example.com OR type:\"s\"","interval":"1h"}`,
	// Field paths: the store reads events for these instead of aggregating in SQL.
	`{"queryType":"count","query":"type:fp AND details.error.message:*password*","groupBy":"user_agent.family","interval":"1h"}`,
	`{"queryType":"distinct","eventTypes":["s"],"groupBy":"user_name.domain","distinctField":"user_name","interval":"1d"}`,
	`{"queryType":"top","query":"NOT location_info.country_code:US","groupBy":"location_info.country_code","limit":5}`,
	`{"queryType":"logs","query":"type:f* AND details.error.message:*password*","limit":30}`,
}

// TestStoreAnswersLikeOnDemandAtNoCost is the parity test: once the tail holds the range, every
// query gives the same frames from the store as on-demand search, and costs no Auth0 request.
func TestStoreAnswersLikeOnDemandAtNoCost(t *testing.T) {
	st := newStoreTenant(t, relOptions{days: 3, perDay: 3000})
	tr := backend.TimeRange{From: testEnd.Add(-3*24*time.Hour + time.Hour), To: testEnd}
	stored, onDemand := st.bothWays(t, tr)

	for _, q := range storeParityQueries {
		t.Run(q, func(t *testing.T) {
			want := st.query(context.Background(), t, onDemand, tr, q)
			before := st.rec.searchRequests()
			got := st.query(context.Background(), t, stored, tr, q)
			assert.Equal(t, frameData(t, want), frameData(t, got))
			assert.Equal(t, before, st.rec.searchRequests(), "a stored range costs no Auth0 search")
			assert.Zero(t, stat(got.Frames, "Auth0 requests"))
			assert.Positive(t, stat(got.Frames, "Events from the tenant log store"))
		})
	}
}

// TestStoreOffWorksAsBefore: a data source with the store off never opens a store.
func TestStoreOffOpensNoStore(t *testing.T) {
	st := newStoreTenant(t, relOptions{days: 1, perDay: 500})
	d := st.instance(t, false)
	assert.Nil(t, d.store.handle)
	assert.Nil(t, st.rt.engine, "no store file for a data source with the store off")
	r := st.query(context.Background(), t, d, backend.TimeRange{From: testEnd.Add(-24 * time.Hour), To: testEnd}, `{"queryType":"count","interval":"1h"}`)
	require.NoError(t, r.Error)
	assert.Positive(t, stat(r.Frames, "Auth0 requests"))
}

// shippedQueries are every query the bundled dashboards and provisioned alert rules send, with the
// dashboards' variables filled in as Grafana would.
func shippedQueries(t *testing.T, vars map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for file, dash := range loadDashboards(t) {
		for _, p := range dash.Panels {
			for i, target := range p.Targets {
				out[fmt.Sprintf("%s/%s/%d", file, p.Title, i)] = string(interpolate(target, vars))
			}
		}
	}
	files, err := filepath.Glob("../../provisioning/alerting/*.yml")
	require.NoError(t, err)
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		var rules alertRules
		require.NoError(t, yaml.Unmarshal(b, &rules))
		shippedRuleQueries(t, rules, out)
	}
	return out
}

// shippedRuleQueries adds each rule's data-source queries; the ingestion query reads the tail,
// not events, so it has no on-demand counterpart to compare with.
func shippedRuleQueries(t *testing.T, rules alertRules, out map[string]string) {
	t.Helper()
	for _, g := range rules.Groups {
		for _, rule := range g.Rules {
			for _, item := range rule.Data {
				if item.QueryType == "" || item.QueryType == string(models.QueryTypeIngestion) {
					continue // server-side expressions, and the tail's own numbers
				}
				model, err := json.Marshal(item.Model)
				require.NoError(t, err)
				out["alert/"+rule.UID+"/"+item.RefID] = string(model)
			}
		}
	}
}

// TestShippedQueriesAnswerAlikeFromTheStore runs every shipped query both ways over a caught-up
// store: same frames, and no Auth0 search for the stored range.
func TestShippedQueriesAnswerAlikeFromTheStore(t *testing.T) {
	st := newStoreTenant(t, relOptions{days: 3, perDay: 3000})
	tr := backend.TimeRange{From: testEnd.Add(-3*24*time.Hour + time.Hour), To: testEnd}
	stored, onDemand := st.bothWays(t, tr)
	ip := topOf(t, st, onDemand, tr, `{"queryType":"top","eventTypes":["fu"],"groupBy":"ip","limit":1}`, "ip")
	user := topOf(t, st, onDemand, tr, `{"queryType":"top","eventTypes":["s"],"groupBy":"user_id","limit":1}`, "user_id")
	queries := shippedQueries(t, map[string]string{"datasource": "auth0-rel", "ip": ip, "user_id": user})
	require.Greater(t, len(queries), 20)
	for name, q := range queries {
		if strings.Contains(q, `"baseline"`) {
			continue // its history differs by design (8 weeks stored, a week on demand): baseline_test.go
		}
		t.Run(name, func(t *testing.T) {
			want := st.query(context.Background(), t, onDemand, tr, q)
			before := st.rec.searchRequests()
			got := st.query(context.Background(), t, stored, tr, q)
			assert.Equal(t, frameData(t, want), frameData(t, got))
			assert.Equal(t, before, st.rec.searchRequests(), "a stored range costs no Auth0 search")
		})
	}
}

func topOf(t *testing.T, st *storeTenant, d *Datasource, tr backend.TimeRange, model, field string) string {
	t.Helper()
	r := st.query(context.Background(), t, d, tr, model)
	require.NoError(t, r.Error)
	f, _ := r.Frames[0].FieldByName(field)
	require.NotNil(t, f)
	require.Positive(t, f.Len())
	return f.At(0).(string)
}

// TestSaveAndTestReportsTheStore: Save & test says what the store holds once the tail has run,
// and says plainly when the store is on but cannot be used.
func TestSaveAndTestReportsTheStore(t *testing.T) {
	st := newStoreTenant(t, relOptions{days: 1, perDay: 500})
	d := st.instance(t, true)
	st.caughtUp(t, d, backend.TimeRange{From: testEnd.Add(-23 * time.Hour), To: testEnd})
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.Equal(t, backend.HealthStatusOk, res.Status, res.Message)
	assert.Regexp(t, `Tenant log store: \d+ events \(.+ on disk\) from 2026-11-\d\d \d\d:\d\d UTC to 2026-\d\d-\d\d \d\d:\d\d UTC, caught up`, res.Message)

	broken := &storeRuntime{load: func() (storeConfig, error) { return storeConfig{Engine: "sqlite", Dir: "/proc/no-store-here"}, nil }}
	s := st.settings()
	s.JSONData = []byte(strings.Replace(string(s.JSONData), `{`, `{"storeEnabled":true,`, 1))
	inst, err := newInstance(context.Background(), s, broken)
	require.NoError(t, err)
	bad := inst.(*Datasource)
	defer bad.Dispose()
	res, err = bad.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Contains(t, res.Message, "cannot create the tenant log store directory /proc/no-store-here")
	assert.Contains(t, res.Message, "store_path", "the message names the grafana.ini setting that fixes it")
	r := st.query(context.Background(), t, bad, backend.TimeRange{From: testEnd.Add(-time.Hour), To: testEnd}, `{"queryType":"count"}`)
	require.NoError(t, r.Error, "queries still work, on demand")
	assert.Contains(t, fmt.Sprint(warnings(r.Frames)), "The tenant log store is on but not in use")
}

// TestIngestionRuleStaysNormalWhileTheTailKeepsUp evaluates the shipped "ingestion stalled" rule's
// query as alerting sends it: a caught-up tail is far under the threshold; a store that cannot
// run is an error, which the rule treats as alerting.
func TestIngestionRuleStaysNormalWhileTheTailKeepsUp(t *testing.T) {
	b, err := os.ReadFile("../../provisioning/alerting/store-rules.yml")
	require.NoError(t, err)
	var rules alertRules
	require.NoError(t, yaml.Unmarshal(b, &rules))
	rule := rules.Groups[0].Rules[0]
	require.Equal(t, "auth0-ingestion-stalled", rule.UID)
	a := rule.Data[0]
	model, err := json.Marshal(a.Model)
	require.NoError(t, err)
	threshold := thresholdOf(t, rule.Data[2].Model)

	st := newStoreTenant(t, relOptions{days: 1, perDay: 500})
	d := st.instance(t, true)
	st.caughtUp(t, d, backend.TimeRange{From: testEnd.Add(-23 * time.Hour), To: testEnd})
	alertReq := func(d *Datasource) backend.DataResponse {
		resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{
			PluginContext: st.pluginContext(), Headers: map[string]string{"FromAlert": "true"},
			Queries: []backend.DataQuery{{RefID: a.RefID, QueryType: a.QueryType, JSON: model,
				TimeRange: backend.TimeRange{From: time.Now().Add(-time.Minute), To: time.Now()}}},
		})
		require.NoError(t, err)
		return resp.Responses[a.RefID]
	}
	r := alertReq(d)
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	require.Len(t, r.Frames[0].Fields, 2, "one number a frame, so alerting makes one series")
	lag := r.Frames[0].Fields[1].At(0).(float64)
	assert.Less(t, lag, threshold, "a tail polling every 2 s is not stalled")
	assert.Equal(t, testDomain, r.Frames[0].Fields[1].Labels["tenant"])

	off := st.instance(t, false)
	assert.ErrorContains(t, alertReq(off).Error, "the tenant log store is off")
}

// movableClock is an emulator clock a test moves forward, for Auth0's retention to drop events.
type movableClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *movableClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *movableClock) set(t time.Time) {
	c.mu.Lock()
	c.at = t
	c.mu.Unlock()
}

// TestRangeAuth0NoLongerHoldsIsAnsweredFromTheStore: once the store has read a day, Auth0 dropping
// it (retention) changes nothing for a query over it: the store answers, exactly, at no cost.
func TestRangeAuth0NoLongerHoldsIsAnsweredFromTheStore(t *testing.T) {
	clock := &movableClock{at: testEnd.Add(time.Hour)}
	st := newStoreTenant(t, relOptions{days: 2, perDay: 1500, now: clock.now, retention: 30 * 24 * time.Hour})
	d := st.instance(t, true)
	day := backend.TimeRange{From: testEnd.Add(-47 * time.Hour), To: testEnd.Add(-24 * time.Hour)}
	st.caughtUp(t, d, day)

	clock.set(testEnd.Add(30*24*time.Hour - 30*time.Hour)) // the day is now past the emulator's retention
	st.emu.Prune()
	q := `{"queryType":"count","eventTypes":["fu","f","s"],"groupBy":"type","interval":"1h"}`
	before := st.rec.searchRequests()
	r := st.query(context.Background(), t, d, day, q)
	require.NoError(t, r.Error)
	assert.Equal(t, before, st.rec.searchRequests(), "no Auth0 search")
	for _, code := range []string{"fu", "f", "s"} {
		assert.Equal(t, st.truth(`type:"`+code+`"`, day), sumField(t, seriesByLabel(t, r.Frames, "type", code), "count"), code)
	}
}

// TestRangeBeforeWhatAuth0HoldsIsAGapNotZero: the part of a range older than anything Auth0 still
// holds (the backfill found where it ends) and never stored is a gap with a notice, and is not
// asked of Auth0.
func TestRangeBeforeWhatAuth0HoldsIsAGapNotZero(t *testing.T) {
	st := newStoreTenant(t, relOptions{days: 2, perDay: 1500})
	d := st.instance(t, true)
	held := backend.TimeRange{From: testEnd.Add(-47 * time.Hour), To: testEnd}
	st.caughtUp(t, d, held)
	status, err := d.store.handle.Status(context.Background())
	require.NoError(t, err)
	require.False(t, status.Backfill.Auth0HoldsFrom.IsZero(), "the backfill found where Auth0's logs begin: %+v", status.Backfill)

	tr := backend.TimeRange{From: testEnd.Add(-72 * time.Hour), To: testEnd}
	before := st.rec.searchRequests()
	r := st.query(context.Background(), t, d, tr, `{"queryType":"count","interval":"1h"}`)
	require.NoError(t, r.Error)
	assert.Equal(t, before, st.rec.searchRequests(), "nothing Auth0 no longer holds is asked for")
	assert.Contains(t, fmt.Sprint(warnings(r.Frames)), "Auth0 no longer keeps them")
	values := r.Frames[0].Fields[1]
	first, ok := values.ConcreteAt(0)
	assert.False(t, ok, "the first hour, before Auth0's logs begin, is a gap, not %v", first)
	last, ok := values.ConcreteAt(values.Len() - 1)
	require.True(t, ok)
	assert.Equal(t, float64(st.truth("", backend.TimeRange{From: testEnd.Add(-time.Hour), To: testEnd})), last)
}
