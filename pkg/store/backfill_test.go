package store_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

func TestBackfillReadsHistoryNewestFirstWithinFivePercent(t *testing.T) {
	h := newHarness(t, 3, 1, 15000, emulator.Options{})
	cfg := h.config()
	cfg.BackfillDays = 3
	run := h.start(t, cfg)
	h.clock.drive(t, t0.Add(time.Minute), func() bool { st := run.status(t); return st.CaughtUp && st.Backfill.Done })

	st := run.status(t)
	requireSame(t, h.truth(""), h.stored())
	assert.Empty(t, st.Gaps)
	assert.InDelta(t, 1, st.Backfill.Progress, 1e-9)
	assert.WithinDuration(t, t0.Add(-3*24*time.Hour), st.CoverageFrom, time.Minute,
		"coverage reaches the window's start, from the first event Auth0 returned")

	n := float64(st.Backfill.EventsStored)
	require.Greater(t, n, 40000.0)
	cost := float64(st.Backfill.Requests)
	t.Logf("backfill: %d events, %d requests (%.4f x N/100), %d chunks, %d events read twice",
		st.Backfill.EventsStored, st.Backfill.Requests, cost/(n/100), st.Backfill.Chunks, st.Backfill.Wasted)
	assert.LessOrEqual(t, cost, 1.05*math.Ceil(n/100), "backfill of N events costs at most 1.05 x N/100 requests")
	assert.Equal(t, int(st.Live.Requests+st.Backfill.Requests), h.checkpointRequests())

	// Newest chunk first: each chunk starts before the one read before it, and reads forward.
	var starts []string
	var pages []int
	for i, c := range h.engine.commitLog() {
		if i == 0 {
			continue // the live tail's first page
		}
		if len(starts) == 0 || c.seg.FromID < starts[len(starts)-1] && c.seg.FromID != prevTo(h, i) {
			starts = append(starts, c.seg.FromID)
			pages = append(pages, 0)
		}
		pages[len(pages)-1]++
	}
	require.Equal(t, int(st.Backfill.Chunks), len(starts))
	require.GreaterOrEqual(t, len(starts), 3)
	for i := 1; i < len(starts); i++ {
		assert.Less(t, starts[i], starts[i-1], "chunk %d starts before chunk %d", i, i-1)
	}
	first, _ := store.LogIDTime(starts[0])
	assert.True(t, first.After(t0.Add(-12*time.Hour)), "the first chunk is the newest history, it starts at %s", first)
	t.Logf("pages per chunk, newest first: %v", pages)
	for i, p := range pages[1 : len(pages)-1] {
		assert.GreaterOrEqual(t, p, 50, "chunk %d (sized from the measured rate) has at least 50 pages", i+1)
	}
}

// prevTo is the ToID of the commit before i, which a chunk's next page starts from.
func prevTo(h *harness, i int) string { return h.engine.commitLog()[i-1].seg.ToID }

func TestBackfillOfAShorterPlanClaimsOnlyWhatAuth0Returned(t *testing.T) {
	// The tail assumes the longest retention, but this tenant's plan keeps one day.
	h := newHarness(t, 3, 1, 5000, emulator.Options{Retention: 24 * time.Hour})
	cfg := h.config()
	cfg.BackfillDays = 3
	run := h.start(t, cfg)
	h.clock.drive(t, t0.Add(time.Minute), func() bool { st := run.status(t); return st.CaughtUp && st.Backfill.Done })

	st := run.status(t)
	requireSame(t, h.truth(""), h.stored())
	oldest := h.truth("")[0]
	assert.WithinDuration(t, oldest.Date, st.CoverageFrom, 6*time.Second,
		"coverage starts at the oldest event Auth0 still had, not at the three days asked for")
	assert.Empty(t, st.Gaps)
	assert.WithinDuration(t, oldest.Date, st.Backfill.Auth0HoldsFrom, 6*time.Second, "status says how far Auth0 reaches")
}

// A night-time attack makes the night look busy: a chunk that starts on a quiet night and finds
// its first event minutes later must not take the silence for Auth0's retention and stop there.
// (Seen on a 1,500-a-day tenant with a 40,000-event credential-stuffing night: the backfill
// stopped a week short and reported that Auth0 held nothing older.)
func TestBackfillThroughANightAttackReachesTheWindowStart(t *testing.T) {
	night := t0.Truncate(24 * time.Hour).Add(-2*24*time.Hour + 90*time.Minute)
	attacks := []tenant.Attack{{Kind: tenant.CredentialStuffing, Start: night, Duration: 6 * time.Hour, Events: 40000}}
	h := newAttackedHarness(t, 10, 1, 1500, attacks, emulator.Options{})
	cfg := h.config()
	cfg.BackfillDays = 9
	run := h.start(t, cfg)
	h.clock.drive(t, t0.Add(time.Minute), func() bool { st := run.status(t); return st.CaughtUp && st.Backfill.Done })

	st := run.status(t)
	assert.Zero(t, st.Backfill.Auth0HoldsFrom, "Auth0 holds every day of this tenant")
	assert.WithinDuration(t, t0.Add(-9*24*time.Hour), st.CoverageFrom, time.Minute, "coverage reaches the window's start")
	from := t0.Add(-9 * 24 * time.Hour)
	var want []event.Event
	for _, e := range h.truth("") {
		if !e.Date.Before(from) {
			want = append(want, e)
		}
	}
	requireSame(t, want, h.stored())
}
