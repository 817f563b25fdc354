package plan

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/models"
)

var (
	from = time.Date(2026, 11, 18, 9, 30, 0, 0, time.UTC)
	to   = from.Add(48 * time.Hour)
	in   = Input{From: from, To: to, Interval: time.Hour}
)

func build(t *testing.T, q models.Query) Plan {
	t.Helper()
	q.ApplyDefaults()
	require.NoError(t, q.Validate())
	p, err := Build(q, in)
	require.NoError(t, err)
	return p
}

func TestEventTypesAndCategoriesAreORedAndANDedWithTheQuery(t *testing.T) {
	p := build(t, models.Query{QueryType: models.QueryTypeLogs, Query: `ip:"1.2.3.4"`, EventTypes: []string{"fu", "fp"}, Categories: []string{"anomaly_detection"}})
	for _, e := range []struct {
		ev   event.Event
		want bool
	}{
		{event.Event{Type: "fu", IP: "1.2.3.4"}, true},
		{event.Event{Type: "limit_wc", IP: "1.2.3.4"}, true},
		{event.Event{Type: "s", IP: "1.2.3.4"}, false},
		{event.Event{Type: "fu", IP: "9.9.9.9"}, false},
	} {
		assert.Equal(t, e.want, p.Matcher.Match(&e.ev), "%+v", e.ev)
	}
	assert.Contains(t, p.ExecutedQuery(), `ip:"1.2.3.4"`)
	assert.Contains(t, p.ExecutedQuery(), "date:[")
	reqs := p.Requests()
	require.Len(t, reqs, 1, "logs are not split: each part would fetch up to the limit")
	assert.Equal(t, fetch.Latest, reqs[0].Mode)
	assert.Equal(t, models.DefaultLogsLimit, reqs[0].Limit)
}

func TestAggregationsOverAFewTypesFetchEachTypeOnItsOwn(t *testing.T) {
	p := build(t, models.Query{QueryType: models.QueryTypeCount, EventTypes: []string{"s", "fu", "fp", "fu"}})
	require.Len(t, p.Parts, 3)
	assert.Equal(t, []string{`type:"fp"`, `type:"fu"`, `type:"s"`}, p.Parts)
	for _, r := range p.Requests() {
		assert.Equal(t, fetch.All, r.Mode)
	}
	// The same type asked for by another panel is the same fetch key.
	other := build(t, models.Query{QueryType: models.QueryTypeDistinct, EventTypes: []string{"fu"}})
	assert.Equal(t, []string{`type:"fu"`}, other.Parts)

	wide := build(t, models.Query{QueryType: models.QueryTypeCount, Categories: []string{"login_failure"}})
	assert.Len(t, wide.Parts, 1, "a whole category is one filter: splitting it would cost a request a code")

	mixed := build(t, models.Query{QueryType: models.QueryTypeCount, EventTypes: []string{"fu", "limit_wc"}, Categories: []string{"anomaly_detection"}})
	require.Len(t, mixed.Parts, 3, "fu, limit_wc, then the rest of the category as one")
	assert.Equal(t, []string{`type:"fu"`, `type:"limit_wc"`}, mixed.Parts[:2])
	assert.NotContains(t, mixed.Parts[2], `"limit_wc"`, "parts are disjoint")
}

func TestDailyBucketsStartAtMidnightUTC(t *testing.T) {
	p := build(t, models.Query{QueryType: models.QueryTypeCount, Interval: "1d", GroupBy: "type"})
	assert.Equal(t, time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC), p.Buckets.Start)
	assert.Equal(t, 3, p.Buckets.N)
	assert.NotNil(t, p.Group)

	p = build(t, models.Query{QueryType: models.QueryTypeCount})
	assert.Equal(t, time.Hour, p.Buckets.Step, "no interval in the query: Grafana's")
}

func TestBuildErrors(t *testing.T) {
	cases := map[string]models.Query{
		"this ( is never closed":      {QueryType: models.QueryTypeLogs, Query: `type:"fu" AND (ip:1`},
		`unknown field "user_email"`:  {QueryType: models.QueryTypeLogs, Query: `user_email:"a@b.c"`},
		"not an Auth0 event code":     {QueryType: models.QueryTypeLogs, EventTypes: []string{"Fu Login"}},
		"use an interval of at least": {QueryType: models.QueryTypeCount, Interval: "1s"},
	}
	for want, q := range cases {
		q.ApplyDefaults()
		_, err := Build(q, Input{From: from, To: from.Add(30 * 24 * time.Hour), Interval: time.Hour})
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
	}
	_, err := Build(models.Query{QueryType: models.QueryTypeLogs}, Input{From: to, To: from})
	require.ErrorContains(t, err, "time range is empty")
}

func TestUnknownCodeIsSearchedWithANotice(t *testing.T) {
	p := build(t, models.Query{QueryType: models.QueryTypeCount, EventTypes: []string{"brand_new_code"}})
	require.Len(t, p.Notices, 1)
	assert.Contains(t, p.Notices[0], "brand_new_code")
	assert.Equal(t, `type:"brand_new_code"`, p.FilterText)
}

// TestAlertKeepsEveryGroup: an alert rule's grouped count keeps one series per group whatever its
// limit, and a panel's keeps its limit unless it asks for every group.
func TestAlertKeepsEveryGroup(t *testing.T) {
	q := models.Query{QueryType: models.QueryTypeCount, GroupBy: "ip", EventTypes: []string{"fu"}}
	q.ApplyDefaults()
	panel, err := Build(q, in)
	require.NoError(t, err)
	assert.False(t, panel.Alert)
	assert.Equal(t, models.DefaultSeriesLimit, panel.Query.SeriesLimit())

	alertIn := in
	alertIn.Alert = true
	alert, err := Build(q, alertIn)
	require.NoError(t, err)
	assert.True(t, alert.Alert)
	assert.Zero(t, alert.Query.SeriesLimit(), "an alert rule never folds groups into (other)")
	assert.Equal(t, q.Limit, alert.Query.Limit, "the limit a rule wrote stays readable")

	q.KeepAllGroups = true
	kept, err := Build(q, in)
	require.NoError(t, err)
	assert.Zero(t, kept.Query.SeriesLimit())
}

func TestABaselineWidensTheIntervalToDivideADayAndSaysSo(t *testing.T) {
	q := models.Query{QueryType: models.QueryTypeCount, Interval: "7m", Baseline: models.BaselineBand}
	p := build(t, q)
	assert.Equal(t, 10*time.Minute, p.Buckets.Step)
	require.Len(t, p.Notices, 1)
	assert.Contains(t, p.Notices[0], "The interval is 10m0s rather than 7m0s")

	q.Interval = "15m"
	p = build(t, q)
	assert.Equal(t, 15*time.Minute, p.Buckets.Step)
	assert.Empty(t, p.Notices, "a width that divides a day is kept")

	q.Baseline = ""
	q.Interval = "7m"
	assert.Equal(t, 7*time.Minute, build(t, q).Buckets.Step, "without a baseline the interval is the user's")
}

func TestHistoryEndsWhereTheRangeBucketsStartOnTheSameGrid(t *testing.T) {
	p := build(t, models.Query{QueryType: models.QueryTypeCount, EventTypes: []string{"fu"}, Baseline: models.BaselineScore})
	h := p.History(7 * 24 * time.Hour)
	assert.Equal(t, p.Buckets.Start, h.To)
	assert.Equal(t, p.Buckets.Start.Add(-7*24*time.Hour), h.Buckets.Start)
	assert.Equal(t, 7*24, h.Buckets.N)
	assert.Equal(t, p.Parts, h.Parts)
	assert.Equal(t, h.Buckets.End(), p.Buckets.Start, "history and range buckets join without a gap")
}
