package aggregate

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

func TestFoldKeepsTheLargestGroupsAndSumsTheRest(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	var events []event.Event
	for ip, n := range map[string]int{"a": 5, "b": 4, "c": 3, "d": 1, "e": 1} {
		for range n {
			events = append(events, event.Event{IP: ip, Date: at})
		}
	}
	ip, err := KeyFor("ip")
	require.NoError(t, err)
	b := NewBuckets(at.Truncate(time.Hour), at.Add(time.Hour), time.Hour)

	series := Count(events, b, Fold(events, ip, 2))
	require.Len(t, series, 3)
	got := map[string]int64{}
	for _, s := range series {
		got[s.Group] = s.Values[0]
	}
	assert.Equal(t, map[string]int64{"a": 5, "b": 4, Other: 5}, got, "totals are preserved")

	assert.Len(t, Count(events, b, Fold(events, ip, 5)), 5, "no folding when every group fits")
	assert.Len(t, Count(events, b, Fold(events, ip, 0)), 5, "0 keeps every group")
}
