package aggregate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

func TestTopByIP(t *testing.T) {
	events := []event.Event{
		ev("2024-03-12T10:00:00Z", "fu", "1.1.1.1"), // latest, but without location
		ev("2024-03-12T09:00:00Z", "fu", "1.1.1.1", loc("DE", "Berlin", 52.5, 13.4)),
		ev("2024-03-11T09:00:00Z", "fu", "2.2.2.2"),
		ev("2024-03-10T09:00:00Z", "fu", "1.1.1.1", loc("NL", "Amsterdam", 52.4, 4.9)),
		ev("2024-03-10T08:00:00Z", "fu", "3.3.3.3", loc("FR", "Paris", 48.9, 2.35)),
		ev("2024-03-10T07:00:00Z", "fu", ""), // counts in total, never ranked
	}
	entries, total := Top(events, mustKey("ip"), 0)
	assert.EqualValues(t, 6, total)
	require.Len(t, entries, 3)

	first := entries[0]
	assert.Equal(t, "1.1.1.1", first.Value)
	assert.EqualValues(t, 3, first.Count)
	assert.InDelta(t, 0.5, first.Share, 1e-12)
	assert.Equal(t, at("2024-03-10T09:00:00Z"), first.First)
	assert.Equal(t, at("2024-03-12T10:00:00Z"), first.Last)
	require.NotNil(t, first.Location)
	assert.Equal(t, "Berlin", first.Location.CityName, "the latest event that has a location wins")

	assert.Equal(t, []string{"1.1.1.1", "2.2.2.2", "3.3.3.3"}, topValues(entries), "ties are ordered by value")
	assert.Nil(t, entries[1].Location)
	assert.InDelta(t, 1.0/6, entries[2].Share, 1e-12)
	assert.Equal(t, entries[2].First, entries[2].Last)

	limited, total := Top(events, mustKey("ip"), 2)
	assert.EqualValues(t, 6, total, "the limit does not change the denominator")
	assert.Equal(t, entries[:2], limited)
}

func TestTopEmpty(t *testing.T) {
	entries, total := Top(nil, mustKey("ip"), 10)
	assert.Empty(t, entries)
	assert.Zero(t, total)
	entries, total = Top([]event.Event{ev("2024-03-10T00:00:00Z", "s", "")}, mustKey("ip"), 10)
	assert.Empty(t, entries)
	assert.EqualValues(t, 1, total)
}

func TestValues(t *testing.T) {
	events := []event.Event{
		ev("2024-03-10T00:00:00Z", "s", ""), ev("2024-03-10T00:00:00Z", "fu", ""), ev("2024-03-10T00:00:00Z", "fp", ""),
		ev("2024-03-10T00:00:00Z", "fu", ""), ev("2024-03-10T00:00:00Z", "", ""),
	}
	assert.Equal(t, []string{"fu", "fp", "s"}, Values(events, mustKey("type"), 0))
	assert.Equal(t, []string{"fu", "fp"}, Values(events, mustKey("type"), 2))
	assert.Equal(t, []string{}, Values(events, mustKey("ip"), 5))
}

func topValues(entries []TopEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Value
	}
	return out
}
