package store_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

func TestTailKeepsUpWithALiveTenantReadingEachEventOnce(t *testing.T) {
	h := newHarness(t, 1, 1, 20000, emulator.Options{})
	run := h.start(t, h.config())

	// An empty store starts at now: one poll finds nothing newer and the tail is caught up.
	h.clock.drive(t, t0.Add(time.Minute), func() bool { return run.status(t).CaughtUp })
	st := run.status(t)
	assert.Equal(t, int64(1), st.Live.Polls)
	assert.Zero(t, st.Events)

	// Steady state: every 30 s a poll reads what arrived, nothing twice.
	end := t0.Add(10 * time.Minute)
	h.clock.drive(t, end, func() bool { return !h.clock.Now().Before(end) })
	st = run.status(t)
	requireSame(t, h.truth(store.FloorLogID(t0)), h.stored())
	assert.Equal(t, int64(21), st.Live.Polls, "one poll at start and one every 30 s")
	assert.Zero(t, st.Live.FullPages, "7 events arrive every 30 s: no page is full")
	assert.Zero(t, st.Live.Wasted, "no event read twice")
	assert.Equal(t, st.Live.EventsRead, st.Live.EventsStored)
	assert.Equal(t, st.Events, st.Live.EventsStored)
	assert.Equal(t, int(st.Live.Requests), h.checkpointRequests(), "every Auth0 request is counted")
	assert.Less(t, st.Lag, 30*time.Second)
	assert.Empty(t, st.Gaps)
	assert.Nil(t, st.LastError)
}

func TestTailResumesFromItsCheckpointAtOnePagePerHundredEvents(t *testing.T) {
	h := newHarness(t, 1, 1, 20000, emulator.Options{})
	first := h.start(t, h.config())
	h.clock.drive(t, t0.Add(time.Minute), func() bool { return first.status(t).CaughtUp })
	first.stop()
	held := len(h.stored())

	// Grafana was down for six hours; a new tail on the same engine resumes from the checkpoint.
	h.clock.Advance(6 * time.Hour)
	missed := len(h.truth(store.FloorLogID(t0))) - held
	require.Greater(t, missed, 3000)
	h.srv.ResetStats()
	second := h.start(t, h.config())
	h.clock.drive(t, h.clock.Now().Add(time.Minute), func() bool { return second.status(t).CaughtUp })

	st := second.status(t)
	requireSame(t, h.truth(store.FloorLogID(t0)), h.stored())
	assert.Equal(t, int64(missed), st.Live.EventsStored, "nothing lost")
	assert.Zero(t, h.engine.duplicates(tenantKey), "nothing stored twice")
	assert.Zero(t, st.Live.Wasted)
	pages := int(math.Ceil(float64(missed) / 100))
	assert.Equal(t, int64(missed/100), st.Live.FullPages)
	assert.Equal(t, int64(1), st.Live.Polls, "the catch-up ends with one short page")
	assert.InDelta(t, pages, h.checkpointRequests(), math.Max(1, 0.02*float64(pages)),
		"page requests = ceil(new events / 100) within 2%%")
	assert.Empty(t, st.Gaps, "the resume continues the same stretch")
}

// TestCommittedWakesReadersAfterEachCommit: the live stream waits on Committed; each commit of the
// tail closes the channel it handed out, and a new wait starts open.
func TestCommittedWakesReadersAfterEachCommit(t *testing.T) {
	h := newHarness(t, 1, 1, 20000, emulator.Options{})
	tail, err := store.NewTail(h.config())
	require.NoError(t, err)
	first := tail.Committed()
	select {
	case <-first:
		t.Fatal("nothing committed yet")
	default:
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tail.Run(ctx) }()
	defer func() { cancel(); <-done }()
	h.clock.drive(t, t0.Add(time.Minute), func() bool {
		select {
		case <-first:
			return true
		default:
			return false
		}
	})
	st, err := tail.Status(context.Background())
	require.NoError(t, err)
	assert.Positive(t, st.Live.Requests, "the wake came from a read and its commit")
}
