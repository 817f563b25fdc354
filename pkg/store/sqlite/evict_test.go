package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

func TestEvictByAgeTrimsSegments(t *testing.T) {
	e, _ := openTemp(t)
	ctx := context.Background()
	events := generated(t, 8)
	commitAll(t, e, "t1", events)
	commitAll(t, e, "t2", events)
	cut := testEnd.Add(-36 * time.Hour)
	var keep []event.Event
	for _, ev := range events {
		if !ev.Date.Before(cut) {
			keep = append(keep, ev)
		}
	}
	n, err := e.Evict(ctx, "t1", cut, 0)
	require.NoError(t, err)
	require.EqualValues(t, len(events)-len(keep), n)
	require.Equal(t, newestFirst(keep), scanAll(t, e, "t1", store.ScanQuery{}))
	st, err := e.State(ctx, "t1")
	require.NoError(t, err)
	require.EqualValues(t, len(keep), st.Events)
	require.False(t, st.Oldest.Before(cut))
	for _, s := range st.Segments {
		require.False(t, s.From.Before(cut), "segment %+v still claims evicted time", s)
	}
	other, err := e.State(ctx, "t2")
	require.NoError(t, err)
	require.EqualValues(t, len(events), other.Events, "eviction is per tenant")
	requireRollupExact(t, e)
}

func TestEvictToSizeCapDropsOldestAndShrinksFile(t *testing.T) {
	e, _ := openTemp(t)
	ctx := context.Background()
	events := generated(t, 9)
	commitAll(t, e, "t1", events)
	_, err := e.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	require.NoError(t, err)
	before, err := e.Stats(ctx)
	require.NoError(t, err)
	capBytes := before.UsedBytes / 2
	n, err := e.Evict(ctx, "t1", time.Time{}, capBytes)
	require.NoError(t, err)
	require.Positive(t, n)
	after, err := e.Stats(ctx)
	require.NoError(t, err)
	require.LessOrEqual(t, after.UsedBytes, capBytes)
	require.Less(t, after.FileBytes, before.FileBytes, "freed pages go back to the disk")
	require.Greater(t, after.UsedBytes, capBytes/3, "it evicts about what is over, not everything")

	kept := scanAll(t, e, "t1", store.ScanQuery{})
	require.Len(t, kept, len(events)-int(n))
	oldestKept := kept[len(kept)-1].Date
	held := map[string]bool{}
	for _, ev := range kept {
		held[ev.LogID] = true
	}
	var newestEvicted time.Time
	for _, ev := range events {
		if !held[ev.LogID] {
			require.False(t, ev.Date.After(oldestKept), "evicted %s though an older event was kept", ev.Date)
			newestEvicted = maxTime(newestEvicted, ev.Date)
		}
	}
	st, err := e.State(ctx, "t1")
	require.NoError(t, err)
	require.Equal(t, oldestKept, st.Oldest)
	requireRollupExact(t, e)
	for _, s := range st.Segments {
		require.True(t, s.From.After(newestEvicted), "segment %+v claims evicted time", s)
	}
}
