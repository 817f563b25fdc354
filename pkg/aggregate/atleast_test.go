package aggregate

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/models"
)

// keepGroupsDirectly is minCount computed the plain way, from the events: each group's events (or
// different non-empty values of of) in the buckets, and the in-range events of the groups that
// reach minCount (Fold ranks every event it is given, and cells hold only the drawn ones).
func keepGroupsDirectly(events []event.Event, b Buckets, group, of Key, minCount int64) []event.Event {
	end := b.Time(b.N)
	inRange := func(e *event.Event) bool { return !e.Date.Before(b.Start) && e.Date.Before(end) }
	totals := map[string]int64{}
	values := map[string]map[string]bool{}
	for i := range events {
		e := &events[i]
		if !inRange(e) {
			continue
		}
		g := group(e)
		if of == nil {
			totals[g]++
			continue
		}
		if v := of(e); v != "" {
			if values[g] == nil {
				values[g] = map[string]bool{}
			}
			values[g][v] = true
		}
	}
	for g, vs := range values {
		totals[g] = int64(len(vs))
	}
	var out []event.Event
	for i := range events {
		if inRange(&events[i]) && totals[group(&events[i])] >= minCount {
			out = append(out, events[i])
		}
	}
	return out
}

// TestMinCountAgreesWithDirectComputation: grouped counts and distinct counts with minCount equal
// the same aggregation over only the events of the groups that reach minCount, with and without
// a fold, over random events and cells split as a store and a fetch give them.
func TestMinCountAgreesWithDirectComputation(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	dropped := 0
	for seed := range uint64(60) {
		r := rand.New(rand.NewPCG(seed, 11))
		events := randomEvents(r, 1+r.IntN(400), start)
		// The buckets cover part of the day, so totals must count only what is drawn.
		b := NewBuckets(start.Add(2*time.Hour), start.Add(20*time.Hour), []time.Duration{time.Minute, time.Hour, 6 * time.Hour}[r.IntN(3)])
		groupName := models.GroupFields[r.IntN(len(models.GroupFields))]
		ofName := models.GroupFields[r.IntN(len(models.GroupFields))]
		group, of := mustKey(groupName), mustKey(ofName)
		limit := r.IntN(4)
		minCount := int64(1 + r.IntN(60))
		name := fmt.Sprintf("seed %d: group %s, of %s, limit %d, minCount %d", seed, groupName, ofName, limit, minCount)
		half := len(events) / 2
		split := func(o Key) []Cell {
			return append(CellsFromEvents(events[:half], b, group, o), CellsFromEvents(events[half:], b, group, o)...)
		}

		kept := keepGroupsDirectly(events, b, group, nil, minCount)
		if len(kept) < len(events) {
			dropped++
		}
		require.Equal(t, Count(kept, b, Fold(kept, group, limit)), CountCells(split(nil), b, true, limit, minCount), name)
		keptDistinct := keepGroupsDirectly(events, b, group, of, minCount)
		require.Equal(t, Distinct(keptDistinct, b, Fold(keptDistinct, group, limit), of), DistinctCells(split(of), b, true, limit, minCount), name)
		// Ungrouped, minCount changes nothing: one series, a quiet range is zeros, not no data.
		require.Equal(t, Count(events, b, nil), CountCells(CellsFromEvents(events, b, nil, nil), b, false, limit, minCount), name)
	}
	require.Greater(t, dropped, 10, "the random cases must drop groups for the comparison to test anything")
}

// TestMinCountDropsQuietGroupsInsteadOfFolding: the quiet groups leave no "(other)" behind.
func TestMinCountDropsQuietGroupsInsteadOfFolding(t *testing.T) {
	b := NewBuckets(at("2026-12-01T00:00:00Z"), at("2026-12-01T02:00:00Z"), time.Hour)
	var events []event.Event
	for range 5 {
		events = append(events, ev("2026-12-01T00:10:00Z", "fu", "9.9.9.9"))
	}
	events = append(events, ev("2026-12-01T01:10:00Z", "fu", "1.1.1.1"), ev("2026-12-01T01:20:00Z", "fu", "2.2.2.2"))
	cells := CellsFromEvents(events, b, mustKey("ip"), nil)
	got := CountCells(cells, b, true, 1, 2)
	require.Equal(t, []Series{{Group: "9.9.9.9", Values: []int64{5, 0}}}, got)
	require.Len(t, CountCells(cells, b, true, 1, 0), 2, "without minCount the quiet IPs fold into (other)")
}
