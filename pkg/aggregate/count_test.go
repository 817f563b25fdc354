package aggregate

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// day3 is three daily buckets, 10-12 March 2024; tests place events relative to it.
var day3 = NewBuckets(at("2024-03-10T08:00:00Z"), at("2024-03-12T20:00:00Z"), 24*time.Hour)

func sampleEvents() []event.Event {
	return []event.Event{
		ev("2024-03-12T23:59:59.999Z", "fu", "1.1.1.1", user("a", "auth0|a"), loc("DE", "Berlin", 52.5, 13.4)),
		ev("2024-03-12T10:00:00Z", "s", "2.2.2.2", user("b", "auth0|b"), client("Web", "c1"), loc("FR", "Paris", 48.9, 2.35)),
		ev("2024-03-12T00:00:00Z", "fu", "1.1.1.1", user("a", "auth0|a")),
		ev("2024-03-11T00:00:00Z", "fp", "1.1.1.1", user("b", "auth0|b"), client("Web", "c1"), conn("db", "auth0")),
		ev("2024-03-10T00:00:00Z", "fu", "3.3.3.3", conn("google-oauth2", "google-oauth2")),
		ev("2024-03-09T23:59:59.999Z", "fu", "9.9.9.9"), // before the first bucket
		ev("2024-03-13T00:00:00Z", "fu", "9.9.9.9"),     // at the exclusive end
	}
}

func TestCountUngroupedFillsZeros(t *testing.T) {
	events := []event.Event{ev("2024-03-12T01:00:00Z", "s", ""), ev("2024-03-12T02:00:00Z", "s", "")}
	assert.Equal(t, []Series{{Group: "", Values: []int64{0, 0, 2}}}, Count(events, day3, nil))
	assert.Equal(t, []Series{{Group: "", Values: []int64{0, 0, 0}}}, Count(nil, day3, nil), "no events still gives one zero series")
	assert.Empty(t, Count(nil, day3, mustKey("type")), "no events and grouped gives no series")
}

func TestCountBoundaries(t *testing.T) {
	got := Count(sampleEvents(), day3, nil)
	assert.Equal(t, []Series{{Values: []int64{1, 1, 3}}}, got, "boundary events go to the bucket they start; out-of-range ones are dropped")
}

func TestCountGroupedByEachField(t *testing.T) {
	tests := map[string][]Series{
		"type":        {{"fu", []int64{1, 0, 2}}, {"fp", []int64{0, 1, 0}}, {"s", []int64{0, 0, 1}}},
		"category":    {{"login_failure", []int64{1, 1, 2}}, {"login_success", []int64{0, 0, 1}}},
		"ip":          {{"1.1.1.1", []int64{0, 1, 2}}, {"2.2.2.2", []int64{0, 0, 1}}, {"3.3.3.3", []int64{1, 0, 0}}},
		"user_name":   {{"a", []int64{0, 0, 2}}, {"b", []int64{0, 1, 1}}, {"", []int64{1, 0, 0}}},
		"user_id":     {{"auth0|a", []int64{0, 0, 2}}, {"auth0|b", []int64{0, 1, 1}}, {"", []int64{1, 0, 0}}},
		"client_name": {{"", []int64{1, 0, 2}}, {"Web", []int64{0, 1, 1}}},
		"client_id":   {{"", []int64{1, 0, 2}}, {"c1", []int64{0, 1, 1}}},
		"connection":  {{"", []int64{0, 0, 3}}, {"db", []int64{0, 1, 0}}, {"google-oauth2", []int64{1, 0, 0}}},
		"strategy":    {{"", []int64{0, 0, 3}}, {"auth0", []int64{0, 1, 0}}, {"google-oauth2", []int64{1, 0, 0}}},
		"country":     {{"", []int64{1, 1, 1}}, {"DE", []int64{0, 0, 1}}, {"FR", []int64{0, 0, 1}}},
	}
	for field, want := range tests {
		t.Run(field, func(t *testing.T) {
			assert.Equal(t, want, Count(sampleEvents(), day3, mustKey(field)))
		})
	}
}

func TestCountOrderIsDeterministic(t *testing.T) {
	var events []event.Event
	// b and c tie on total, a is largest: order must be a, b, c whatever the input order.
	for i, typ := range []string{"c", "a", "b", "a", "c", "a", "b"} {
		events = append(events, ev("2024-03-10T00:00:00Z", typ, "", func(e *event.Event) { e.Date = e.Date.Add(time.Duration(i) * time.Hour) }))
	}
	want := Count(events, day3, mustKey("type"))
	require.Equal(t, []string{"a", "b", "c"}, groups(want))
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		shuffled := slices.Clone(events)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		assert.Equal(t, want, Count(shuffled, day3, mustKey("type")))
		assert.Equal(t, Distinct(events, day3, mustKey("type"), mustKey("type")), Distinct(shuffled, day3, mustKey("type"), mustKey("type")))
	}
}

func TestDistinct(t *testing.T) {
	events := append(sampleEvents(),
		ev("2024-03-12T11:00:00Z", "fu", "1.1.1.1"), // repeat ip in the same bucket: not counted again
		ev("2024-03-12T12:00:00Z", "fu", "4.4.4.4"),
		ev("2024-03-12T13:00:00Z", "fu", ""), // no ip: ignored
	)
	assert.Equal(t, []Series{{"", []int64{1, 1, 3}}}, Distinct(events, day3, nil, mustKey("ip")))
	assert.Equal(t, []Series{{"fu", []int64{1, 0, 2}}, {"fp", []int64{0, 1, 0}}, {"s", []int64{0, 0, 1}}},
		Distinct(events, day3, mustKey("type"), mustKey("ip")))
	assert.Equal(t, []Series{{"", []int64{0, 0, 0}}}, Distinct(nil, day3, nil, mustKey("ip")), "ungrouped always has a series")
	assert.Equal(t, []Series{{"", []int64{0, 0, 0}}}, Distinct(events[4:5], day3, nil, mustKey("user_name")),
		"an event without the value still yields the ungrouped zero series")
	// A group whose events all lack the value still appears, with zeros: the group exists.
	partial := []event.Event{ev("2024-03-12T01:00:00Z", "fu", "", user("a", "")), ev("2024-03-12T02:00:00Z", "s", "")}
	assert.Equal(t, []Series{{"fu", []int64{0, 0, 1}}, {"s", []int64{0, 0, 0}}}, Distinct(partial, day3, mustKey("type"), mustKey("user_name")))
}

func groups(series []Series) []string {
	out := make([]string, len(series))
	for i, s := range series {
		out[i] = s.Group
	}
	return out
}
