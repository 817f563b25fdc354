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

// randomEvents draws events over a day from small value pools, so groups and values repeat and
// folding has something to fold; some events lack the field.
func randomEvents(r *rand.Rand, n int, start time.Time) []event.Event {
	pick := func(pool ...string) string { return pool[r.IntN(len(pool))] }
	events := make([]event.Event, n)
	for i := range events {
		events[i] = event.Event{
			Date:       start.Add(time.Duration(r.Int64N(int64(24 * time.Hour)))),
			Type:       pick("s", "f", "fp", "fu", "limit_wc", "sapi", "zz"),
			IP:         pick("", "1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5", "6.6.6.6"),
			UserName:   pick("", "a@x", "b@x", "c@y"),
			ClientName: pick("App", "Other app", ""),
			Connection: pick("Username-Password-Authentication", "google-oauth2"),
		}
		if r.IntN(3) > 0 {
			events[i].Location = &event.Location{CountryCode: pick("US", "DE", "FR")}
		}
	}
	return events
}

// TestCellsAgreeWithEventAggregation is the contract that lets a store answer with cells: every
// aggregation from cells equals the same aggregation over the events, for random events, groups,
// limits and bucket sizes, and cells of two halves of a range merge to the same answer.
func TestCellsAgreeWithEventAggregation(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		events := randomEvents(r, 1+r.IntN(400), start)
		b := NewBuckets(start, start.Add(24*time.Hour), []time.Duration{time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour}[r.IntN(4)])
		groupName := models.GroupFields[r.IntN(len(models.GroupFields))]
		ofName := models.GroupFields[r.IntN(len(models.GroupFields))]
		group, of := mustKey(groupName), mustKey(ofName)
		limit := r.IntN(5) // 0 keeps every group
		name := fmt.Sprintf("seed %d: %d events, group %s, of %s, limit %d, step %s", seed, len(events), groupName, ofName, limit, b.Step)

		// Cells from two halves of the events (as store + on-demand give them) concatenated.
		half := len(events) / 2
		splitIn := func(bb Buckets, g, o Key) []Cell {
			return append(CellsFromEvents(events[:half], bb, g, o), CellsFromEvents(events[half:], bb, g, o)...)
		}
		split := func(g, o Key) []Cell { return splitIn(b, g, o) }

		require.Equal(t, Count(events, b, nil), CountCells(split(nil, nil), b, false, limit, 0), name)
		require.Equal(t, Count(events, b, Fold(events, group, limit)), CountCells(split(group, nil), b, true, limit, 0), name)
		require.Equal(t, Distinct(events, b, nil, of), DistinctCells(split(nil, of), b, false, limit, 0), name)
		require.Equal(t, Distinct(events, b, Fold(events, group, limit), of), DistinctCells(split(group, of), b, true, limit, 0), name)

		wantTop, wantTotal := Top(events, of, limit)
		for i := range wantTop {
			wantTop[i].Location = nil // stores answer locations separately
		}
		gotTop, gotTotal := TopCells(splitIn(Buckets{}, nil, of), limit)
		require.Equal(t, wantTotal, gotTotal, name)
		if len(wantTop) == 0 {
			require.Empty(t, gotTop, name)
		} else {
			require.Equal(t, wantTop, gotTop, name)
		}
		require.Equal(t, Values(events, of, limit), ValuesCells(splitIn(Buckets{}, nil, of), limit), name)
	}
}

func TestCellsFromEventsDropsEventsOutsideBuckets(t *testing.T) {
	b := NewBuckets(at("2026-12-01T00:00:00Z"), at("2026-12-01T02:00:00Z"), time.Hour)
	events := []event.Event{ev("2026-12-01T00:30:00Z", "f", "1.1.1.1"), ev("2026-12-01T05:00:00Z", "f", "1.1.1.1")}
	cells := CellsFromEvents(events, b, nil, nil)
	require.Len(t, cells, 1)
	require.Equal(t, int64(1), cells[0].N)
	// Without buckets every event counts, in bucket 0.
	cells = CellsFromEvents(events, Buckets{}, nil, mustKey("ip"))
	require.Equal(t, []Cell{{Bucket: 0, Value: "1.1.1.1", N: 2, First: events[0].Date, Last: events[1].Date}}, cells)
}
