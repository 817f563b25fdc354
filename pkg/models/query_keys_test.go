package models

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnknownQueryKeysAreFoundWithTheKeyMeant: {"q":"type:fu"} used to count every event without a
// word. Now the key and the one meant are named.
func TestUnknownQueryKeysAreFoundWithTheKeyMeant(t *testing.T) {
	cases := map[string][]UnknownKey{
		`{"queryType":"count","q":"type:fu"}`:              {{Key: "q", Suggestion: "query"}},
		`{"eventType":["fu"]}`:                             {{Key: "eventType", Suggestion: "eventTypes"}},
		`{"event_types":["fu"]}`:                           {{Key: "event_types", Suggestion: "eventTypes"}},
		`{"category":["login_failure"]}`:                   {{Key: "category", Suggestion: "categories"}},
		`{"group_by":"ip","distinct":"ip"}`:                {{Key: "distinct", Suggestion: "distinctField"}, {Key: "group_by", Suggestion: "groupBy"}},
		`{"legendFromat":"{{type}}"}`:                      {{Key: "legendFromat", Suggestion: "legendFormat"}},
		`{"intreval":"1h","limt":5}`:                       {{Key: "intreval", Suggestion: "interval"}, {Key: "limt", Suggestion: "limit"}},
		`{"sql":"select 1"}`:                               {{Key: "sql"}},
		`{"queryType":"logs","query":"type:fu","limit":5}`: nil,
		// Grafana's own keys, from panels, Explore, the query service and alerting.
		`{"refId":"A","datasource":{"uid":"x"},"datasourceId":3,"hide":false,"key":"Q-1","queryType":"logs",` +
			`"intervalMs":60000,"maxDataPoints":43200,"resultAssertions":{},"timeRange":{}}`: nil,
		// encoding/json reads names case-insensitively, so these are applied, not ignored.
		`{"Query":"type:fu","EVENTTYPES":["fu"]}`: nil,
	}
	for in, want := range cases {
		q, err := ParseQuery(json.RawMessage(in), "")
		require.NoError(t, err, "%s: a panel's query still runs, with a notice", in)
		assert.Equal(t, want, q.Unknown, in)
	}
}

func TestUnknownKeyMessages(t *testing.T) {
	q, err := ParseQuery(json.RawMessage(`{"q":"type:fu","sql":"x"}`), "")
	require.NoError(t, err)
	require.Len(t, q.Unknown, 2)
	assert.Equal(t, `the query model has the key "q", which this data source does not read, so it is ignored: did you mean "query"?`, q.Unknown[0].Message())
	assert.Contains(t, q.Unknown[1].Message(), `"sql"`)
	assert.Contains(t, q.Unknown[1].Message(), "eventTypes", "with nothing close, the message lists the keys")
}

// TestStrictParsingRefusesUnknownKeys is for alert rules, which show no notice: a rule that would
// alert on every event because of a typo fails instead.
func TestStrictParsingRefusesUnknownKeys(t *testing.T) {
	_, err := ParseQueryStrict(json.RawMessage(`{"queryType":"count","q":"type:fu"}`), "count")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"q"`)
	assert.Contains(t, err.Error(), `did you mean "query"`)
	assert.Contains(t, err.Error(), "alert rule")

	q, err := ParseQueryStrict(json.RawMessage(`{"refId":"A","queryType":"count","eventTypes":["fu"],"intervalMs":60000,"maxDataPoints":43200}`), "count")
	require.NoError(t, err, "the provisioned alert rule's model is accepted")
	assert.Equal(t, []string{"fu"}, q.EventTypes)

	_, err = ParseQueryStrict(json.RawMessage(`{"queryType":"histogram"}`), "")
	require.ErrorContains(t, err, "unknown query type", "other errors come through unchanged")
}

func TestAWronglyTypedQueryValueNamesTheKey(t *testing.T) {
	cases := map[string]string{
		`{"queryType":"logs","limit":"abc"}`:      `limit: "abc" is not a whole number`,
		`{"queryType":"logs","limit":2.5}`:        `limit: 2.5 is not a whole number`,
		`{"queryType":"logs","query":["a"]}`:      `query: ["a"] is not text`,
		`{"queryType":"count","eventTypes":"fu"}`: `eventTypes: "fu" is not a list of text`,
	}
	for in, want := range cases {
		_, err := ParseQuery(json.RawMessage(in), "")
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
}

func TestSuggestKey(t *testing.T) {
	cases := map[string]string{"q": "query", "Q": "query", "qt": "", "querytype": "queryType", "query_type": "queryType",
		"types": "", "groupby": "groupBy", "lim": "limit", "x": "", "": "", "distinct_field": "distinctField"}
	for in, want := range cases {
		assert.Equal(t, want, suggestKey(in), in)
	}
}
