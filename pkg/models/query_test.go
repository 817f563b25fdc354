package models

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func TestAlertStyleQueryGetsDefaults(t *testing.T) {
	q, err := ParseQuery(json.RawMessage(`{"queryType":"count","query":"type:\"fu\""}`), "")
	require.NoError(t, err)
	assert.Equal(t, QueryTypeCount, q.QueryType)
	assert.Equal(t, `type:"fu"`, q.Query)
	assert.Empty(t, q.GroupBy)

	q, err = ParseQuery(json.RawMessage(`{"refId":"A"}`), "")
	require.NoError(t, err)
	assert.Equal(t, QueryTypeLogs, q.QueryType)
	assert.Equal(t, DefaultLogsLimit, q.Limit)

	q, err = ParseQuery(json.RawMessage(`{"query":"type:fu"}`), "count")
	require.NoError(t, err)
	assert.Equal(t, QueryTypeCount, q.QueryType, "the data item's queryType fills a model without one")

	q, err = ParseQuery(json.RawMessage(`{"queryType":"top"}`), "")
	require.NoError(t, err)
	assert.Equal(t, "ip", q.GroupBy)
	assert.Equal(t, DefaultTopLimit, q.Limit)

	q, err = ParseQuery(json.RawMessage(`{"queryType":"distinct"}`), "")
	require.NoError(t, err)
	assert.Equal(t, "ip", q.DistinctField)
	assert.Zero(t, q.Limit, "an ungrouped series has nothing to limit")

	q, err = ParseQuery(json.RawMessage(`{"queryType":"count","groupBy":"ip"}`), "")
	require.NoError(t, err)
	assert.Equal(t, DefaultSeriesLimit, q.Limit)
}

func TestQueryValidation(t *testing.T) {
	cases := map[string]string{
		`{"queryType":"histogram"}`:                          `unknown query type "histogram"`,
		`{"queryType":"count","groupBy":"email"}`:            `cannot group by "email"`,
		`{"queryType":"distinct","distinctField":"x"}`:       `cannot count distinct "x"`,
		`{"queryType":"logs","limit":5000}`:                  "limit 5000 is out of range",
		`{"queryType":"count","interval":"soon"}`:            `interval "soon" is not valid`,
		`{"queryType":"count","interval":"10ms"}`:            "too short",
		`{"queryType":1}`:                                    "not valid JSON",
		`{"queryType":"count","groupBy":"ip","minCount":-1}`: "minCount -1 is out of range",
		`{"queryType":"count","minCount":5}`:                 "set groupBy",
		`{"queryType":"top","groupBy":"ip","minCount":5}`:    "set groupBy",
		`{"queryType":"count","keepAllGroups":"yes"}`:        "keepAllGroups: \"yes\" is not true or false",
	}
	for in, want := range cases {
		_, err := ParseQuery(json.RawMessage(in), "")
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
	long := `{"query":"` + string(make([]byte, 0)) + repeat("a", MaxQueryLength+1) + `"}`
	_, err := ParseQuery(json.RawMessage(long), "")
	require.ErrorContains(t, err, "characters long")
}

func TestParseInterval(t *testing.T) {
	for in, want := range map[string]time.Duration{"1d": 24 * time.Hour, "2w": 14 * 24 * time.Hour, "1h": time.Hour, "90s": 90 * time.Second, " 5m ": 5 * time.Minute} {
		got, err := ParseInterval(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"d", "1.5d", "-1d", "x1d", "", "1y", "99999999999d", "999999w", "9000000h"} {
		_, err := ParseInterval(bad)
		assert.Error(t, err, bad)
	}
}

func repeat(s string, n int) string {
	b := make([]byte, 0, n)
	for len(b) < n {
		b = append(b, s...)
	}
	return string(b)
}

// TestGroupOptions: keepAllGroups lifts the series limit (the fold into "(other)") and minCount is
// read as a whole number, so an alert rule's model means what it says.
func TestGroupOptions(t *testing.T) {
	q, err := ParseQueryStrict(json.RawMessage(`{"queryType":"count","groupBy":"ip","keepAllGroups":true,"minCount":20}`), "")
	require.NoError(t, err)
	assert.True(t, q.KeepAllGroups)
	assert.Equal(t, int64(20), q.MinCount)
	assert.Zero(t, q.SeriesLimit(), "keepAllGroups keeps every group")
	q.KeepAllGroups = false
	assert.Equal(t, DefaultSeriesLimit, q.SeriesLimit())
}

// TestBaselineOption: a baseline is asked of one count series, with one of two outputs; anything
// else is refused before a request, with the fix.
func TestBaselineOption(t *testing.T) {
	for _, ok := range []string{`{"queryType":"count","baseline":"band"}`, `{"queryType":"count","baseline":"score","eventTypes":["fu"]}`} {
		q, err := ParseQueryStrict(json.RawMessage(ok), "")
		require.NoError(t, err, ok)
		assert.NotEmpty(t, q.Baseline)
	}
	for model, want := range map[string]string{
		`{"queryType":"count","baseline":"yes"}`:                  `baseline "yes" is not an option: use "band"`,
		`{"queryType":"distinct","baseline":"band"}`:              "baseline is an option of count queries, not distinct",
		`{"queryType":"count","groupBy":"ip","baseline":"score"}`: "baseline works on one series, and this count is grouped by ip: remove groupBy",
		`{"queryType":"count","baseline":true}`:                   "baseline: true is not text",
	} {
		_, err := ParseQuery(json.RawMessage(model), "")
		require.Error(t, err, model)
		assert.Contains(t, err.Error(), want, model)
	}
}

// TestGroupByPathsAreTrimmedAndChecked: a field path groups like a named field; a space typed
// around it is not part of it, and a name that is neither is refused with examples.
func TestGroupByPathsAreTrimmedAndChecked(t *testing.T) {
	q, err := ParseQuery([]byte(`{"queryType":"distinct","groupBy":" details.request.path ","distinctField":"user_agent.family "}`), "")
	require.NoError(t, err)
	assert.Equal(t, "details.request.path", q.GroupBy)
	assert.Equal(t, "user_agent.family", q.DistinctField)
	_, err = ParseQuery([]byte(`{"queryType":"top","groupBy":"credentials.secret"}`), "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "security_context.ja4")
}
