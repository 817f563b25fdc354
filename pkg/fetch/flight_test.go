package fetch

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A panel that looked at the cache just before another panel's read of the same gap ended finds
// no read in flight: it must take what that read kept, not read the gap again. The panel's view
// from before the read ended is replayed by calling gap with the gap it saw.
func TestAGapReadThatEndedSinceThePanelLookedIsNotRepeated(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(300, day0, 10*time.Hour)}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	r := Request{From: day0, To: day0.Add(10 * time.Hour)}
	seen := f.cache.gaps(r.Filter, r.From, r.To)
	require.Len(t, seen, 1)

	first, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	require.Len(t, first.Events, 300)
	calls := fake.calls.Load()

	_, cost, err := f.gap(context.Background(), nil, r.Filter, seen[0], 0, &budget{unlimited: true})
	require.ErrorIs(t, err, errStale)
	assert.Zero(t, cost.Requests)
	assert.Equal(t, calls, fake.calls.Load(), "the gap was read by the panel that just finished")
}

// The same window for the unsettled tail: with no read in flight, shared asks the caller's stale
// check under the flight lock and reads nothing when a tail was kept since the caller looked; the
// caller then reuses the kept tail.
func TestATailReadThatEndedSinceThePanelLookedIsNotRepeated(t *testing.T) {
	now := day0.Add(10 * time.Hour)
	fake := &fakeAuth0{events: tenantEvents(300, day0, 10*time.Hour)}
	f := newTestFetcher(fake, now)
	_, err := f.Fetch(context.Background(), Request{From: day0, To: now})
	require.NoError(t, err)
	calls := fake.calls.Load()

	settled := now.Add(-DefaultSettleDelay).Truncate(time.Minute)
	key := "tail\x00\x00" // any key with no read in flight
	read := func(context.Context, *reading) flightResult {
		t.Error("a tail that is kept must not be read again")
		return flightResult{}
	}
	_, _, err = f.shared(context.Background(), nil, key, settled, now, func() bool {
		_, ok := f.tails[""]
		return ok
	}, read)
	require.ErrorIs(t, err, errStale)

	s, cost, err := f.tail(context.Background(), nil, "", settled, now, 0, &budget{unlimited: true})
	require.NoError(t, err)
	assert.Equal(t, 1, cost.CacheHits)
	assert.NotEmpty(t, s.events)
	assert.Equal(t, calls, fake.calls.Load())
}
