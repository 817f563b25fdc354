package plugin

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/baseline"
	"github.com/seed/auth0logs-datasource/pkg/framer"
)

// The credential-stuffing surge of tenant.DefaultAttacks(testEnd): 01:40 to 07:40 two days
// before testEnd. Its day is the range; the days before it are the history.
var (
	surgeDay   = testEnd.Add(-2 * baseline.Day)
	surgeFrom  = surgeDay.Add(time.Hour + 40*time.Minute)
	surgeUntil = surgeFrom.Add(6 * time.Hour)
)

const failuresWithBaseline = `{"queryType":"count","eventTypes":["fu","fp"],"interval":"1h","baseline":"band"}`

// bandOf reads the baseline frame of a response: the count and score per bucket start.
func bandOf(t *testing.T, r backend.DataResponse) (count, score map[time.Time]*float64, notice string) {
	t.Helper()
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	f := r.Frames[0]
	count, score = map[time.Time]*float64{}, map[time.Time]*float64{}
	field := func(name string) *data.Field {
		for _, fl := range f.Fields {
			if fl.Name == name {
				return fl
			}
		}
		t.Fatalf("no field %q in %v", name, f.Fields)
		return nil
	}
	times, c, s := field("time"), field("count"), field(framer.BaselineScore)
	for i := range f.Rows() {
		at := times.At(i).(time.Time)
		count[at], score[at] = c.At(i).(*float64), s.At(i).(*float64)
	}
	for _, n := range f.Meta.Notices {
		if strings.HasPrefix(n.Text, "Baseline: ") {
			notice = n.Text
		}
	}
	require.NotEmpty(t, notice, "the response says how the baseline was formed")
	return count, score, notice
}

// outside lists the buckets whose score is beyond the band, as "hh:mm".
func outside(score map[time.Time]*float64, surgeFrom, surgeUntil time.Time) (in, out []string) {
	for at, s := range score {
		if s == nil || *s <= baseline.K {
			continue
		}
		if at.Add(time.Hour).After(surgeFrom) && at.Before(surgeUntil) {
			in = append(in, at.Format("15:04"))
		} else {
			out = append(out, at.Format("15:04"))
		}
	}
	return in, out
}

// TestBaselineFromTheStoreUsesEarlierWeeksAtNoCost: with two weeks held, every hour of the surge
// day is compared with the same hour of the week, the surge leaves the band and no other hour
// does, and the history costs no Auth0 request.
func TestBaselineFromTheStoreUsesEarlierWeeksAtNoCost(t *testing.T) {
	st := newStoreTenant(t, relOptions{days: 17, perDay: 1500})
	d := st.instance(t, true)
	st.caughtUp(t, d, backend.TimeRange{From: testEnd.Add(-16 * baseline.Day), To: testEnd})
	before := st.rec.searchRequests()
	r := st.query(context.Background(), t, d, backend.TimeRange{From: surgeDay, To: surgeDay.Add(baseline.Day)}, failuresWithBaseline)
	assert.Equal(t, before, st.rec.searchRequests(), "range and history come from the store")
	assert.Zero(t, stat(r.Frames, "Auth0 requests"))

	count, score, notice := bandOf(t, r)
	assert.Len(t, count, 24)
	assert.Contains(t, notice, "24 buckets against the same time on up to 8 earlier weeks")
	in, out := outside(score, surgeFrom, surgeUntil)
	assert.GreaterOrEqual(t, len(in), 5, "the surge's hours leave the band: %v", in)
	assert.Empty(t, out, "no quiet hour leaves the band")

	// A range ending now: the hour in progress, whose newest seconds the tail has yet to read, is
	// scored against its elapsed share, not left out.
	now := st.rt.clock.Now()
	r = st.query(context.Background(), t, d, backend.TimeRange{From: now.Add(-baseline.Day), To: now}, failuresWithBaseline)
	_, score, _ = bandOf(t, r)
	last := now.UTC().Truncate(time.Hour)
	require.Contains(t, score, last)
	assert.NotNil(t, score[last], "the hour in progress has a score")

	// The shipped baseline rule, evaluated as Grafana's alerting sends it: it fires two hours
	// into the surge, stays normal in the afternoon, and costs no Auth0 request either way.
	rule := baselineRule(t)
	for _, tc := range []struct {
		at   time.Time
		fire bool
	}{{surgeFrom.Add(2 * time.Hour), true}, {surgeDay.Add(15 * time.Hour), false}} {
		b := ruleMaxScore(t, st, d, rule, tc.at)
		assert.Equal(t, tc.fire, b > 4, "rule at %s: B = %.1f", tc.at.Format("15:04"), b)
	}
	assert.Equal(t, before, st.rec.searchRequests())
}

// baselineRule is query A of the shipped "failures outside their baseline" rule.
func baselineRule(t *testing.T) alertRule {
	t.Helper()
	for _, g := range loadRuleFile(t, "store-rules.yml").Groups {
		for _, r := range g.Rules {
			if r.UID == "auth0-failures-outside-baseline" {
				return r
			}
		}
	}
	t.Fatal("store-rules.yml has no auth0-failures-outside-baseline rule")
	return alertRule{}
}

// ruleMaxScore runs the rule's query A at `at` as alerting does and reduces it as B does: the
// highest score, null buckets dropped. The frame holds the score alone, labelled with the tenant.
func ruleMaxScore(t *testing.T, st *storeTenant, d *Datasource, rule alertRule, at time.Time) float64 {
	t.Helper()
	r := alertQueryA(t, d, st.pluginContext(), rule, at)
	require.Len(t, r.Frames, 1)
	f := r.Frames[0]
	require.Len(t, f.Fields, 2, "time and score alone")
	require.Equal(t, testDomain, f.Fields[1].Labels[framer.TenantLabel])
	best := math.Inf(-1)
	for i := range f.Rows() {
		if v := f.Fields[1].At(i).(*float64); v != nil {
			best = math.Max(best, *v)
		}
	}
	return best
}

// TestBaselineOnDemandUsesAWeekOfDays: with the store off the history is a week read from Auth0,
// which gives the same hour of the day; the notice says what it cost.
func TestBaselineOnDemandUsesAWeekOfDays(t *testing.T) {
	rt := newRelTenant(t, relOptions{days: 10, perDay: 1500})
	d := rt.datasource(t)
	r := rt.query(context.Background(), t, d, backend.TimeRange{From: surgeDay, To: surgeDay.Add(baseline.Day)}, failuresWithBaseline)
	_, score, notice := bandOf(t, r)
	assert.Contains(t, notice, fmt.Sprintf("24 against the same time on up to %d earlier days", baseline.MaxDays))
	assert.Contains(t, notice, "Reading the history cost")
	assert.Positive(t, stat(r.Frames, "Auth0 requests"))
	in, out := outside(score, surgeFrom, surgeUntil)
	assert.GreaterOrEqual(t, len(in), 5, "the surge's hours leave the band: %v", in)
	assert.Empty(t, out, "no quiet hour leaves the band")
}

// TestBaselineWithTooLittleHistorySaysSoAndDrawsNoBand: a tenant that began the day before the
// range has one earlier day, which is too few: no band, a warning, and still the count.
func TestBaselineWithTooLittleHistorySaysSoAndDrawsNoBand(t *testing.T) {
	rt := newRelTenant(t, relOptions{days: 3, perDay: 1500})
	d := rt.datasource(t)
	from := testEnd.Add(-2 * baseline.Day)
	r := rt.query(context.Background(), t, d, backend.TimeRange{From: from, To: from.Add(baseline.Day)}, failuresWithBaseline)
	count, score, notice := bandOf(t, r)
	assert.Contains(t, notice, "24 with no baseline: too little history")
	for at, s := range score {
		assert.Nil(t, s, "no score at %s", at)
		assert.NotNil(t, count[at], "the count is still there at %s", at)
	}
	assert.Equal(t, data.NoticeSeverityWarning, r.Frames[0].Meta.Notices[0].Severity)
}
