package postgres

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// short is a ttl that expires during the test; expiry is waited for by the database's clock.
const short = 300 * time.Millisecond

func TestLeaseTakeoverFencesTheOldHolder(t *testing.T) {
	conn := newDatabase(t)
	a, b := openEngine(t, conn, "replica-a"), openEngine(t, conn, "replica-b")
	ctx := testContext(t)
	events := generated(t, 300)

	epochA, held, err := a.AcquireLease(ctx, tenantKey, "replica-a", short)
	require.NoError(t, err)
	require.True(t, held)
	epochB, held, err := b.AcquireLease(ctx, tenantKey, "replica-b", time.Minute)
	require.NoError(t, err)
	require.False(t, held, "an unexpired lease must not be taken over")
	require.Equal(t, epochA, epochB, "a refused acquire reports the holder's epoch")

	_, err = a.Commit(ctx, tenantKey, store.Batch{Events: events[:10], Fence: epochA})
	require.NoError(t, err)

	// A stalls past its ttl; B takes over as soon as the database's clock says the lease expired.
	eventually(t, "replica-b to take the expired lease", func() bool {
		epochB, held, err = b.AcquireLease(ctx, tenantKey, "replica-b", time.Minute)
		require.NoError(t, err)
		return held
	})
	require.Greater(t, epochB, epochA, "a takeover must change the epoch")

	// A resumes and tries to write with its old epoch: fenced, and nothing of the batch is stored.
	_, err = a.Commit(ctx, tenantKey, store.Batch{Events: events[10:20], Fence: epochA,
		Segment: store.Segment{FromID: "1", ToID: "2"}})
	require.ErrorIs(t, err, store.ErrFenced)
	st := must[store.State](t)(b.State(ctx, tenantKey))
	require.EqualValues(t, 10, st.Events)
	require.Empty(t, st.Segments, "a fenced commit must not move the checkpoint")
	require.Empty(t, idsIn(t, b, events[10].LogID))
	renewed, err := a.RenewLease(ctx, tenantKey, "replica-a", epochA, time.Minute)
	require.NoError(t, err)
	require.False(t, renewed, "the old holder cannot renew a lease it lost")

	_, err = b.Commit(ctx, tenantKey, store.Batch{Events: events[10:20], Fence: epochB})
	require.NoError(t, err)
	require.Len(t, idsIn(t, b, events[10].LogID), 1)

	// A clean release lets A back in at once, with yet another epoch.
	require.NoError(t, b.ReleaseLease(ctx, tenantKey, "replica-b", epochB))
	epochA2, held, err := a.AcquireLease(ctx, tenantKey, "replica-a", time.Minute)
	require.NoError(t, err)
	require.True(t, held)
	require.Greater(t, epochA2, epochB)
	_, err = b.Commit(ctx, tenantKey, store.Batch{Events: events[20:30], Fence: epochB})
	require.ErrorIs(t, err, store.ErrFenced)
}

func TestExpiredLeaseFencesEvenWithoutTakeover(t *testing.T) {
	e := openEngine(t, newDatabase(t), "r1")
	ctx := testContext(t)
	epoch, held, err := e.AcquireLease(ctx, tenantKey, "r1", short)
	require.NoError(t, err)
	require.True(t, held)
	eventually(t, "the lease to expire by the database's clock", func() bool {
		st, err := e.Status(ctx, tenantKey)
		require.NoError(t, err)
		return !st.Lease.Live
	})
	_, err = e.Commit(ctx, tenantKey, store.Batch{Events: generated(t, 300)[:5], Fence: epoch})
	require.ErrorIs(t, err, store.ErrFenced, "a writer whose lease expired must not write, even if nobody took over")
	renewed, err := e.RenewLease(ctx, tenantKey, "r1", epoch, time.Minute)
	require.NoError(t, err)
	require.False(t, renewed)

	// Re-acquiring an expired lease gives a new epoch, so the stalled writer's batches stay fenced.
	again, held, err := e.AcquireLease(ctx, tenantKey, "r1", time.Minute)
	require.NoError(t, err)
	require.True(t, held)
	require.Greater(t, again, epoch)
	_, err = e.Commit(ctx, tenantKey, store.Batch{Fence: epoch})
	require.ErrorIs(t, err, store.ErrFenced)
	_, err = e.Commit(ctx, tenantKey, store.Batch{Fence: 0})
	require.ErrorIs(t, err, store.ErrFenced, "no fence is no lease")
}

func TestRenewKeepsTheEpochAndTheLease(t *testing.T) {
	conn := newDatabase(t)
	a, b := openEngine(t, conn, "a"), openEngine(t, conn, "b")
	ctx := testContext(t)
	epoch, _, err := a.AcquireLease(ctx, tenantKey, "a", time.Minute)
	require.NoError(t, err)
	again, held, err := a.AcquireLease(ctx, tenantKey, "a", time.Minute)
	require.NoError(t, err)
	require.True(t, held)
	require.Equal(t, epoch, again, "the holder acquiring again keeps its epoch")
	ok, err := a.RenewLease(ctx, tenantKey, "a", epoch, time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = b.RenewLease(ctx, tenantKey, "b", epoch, time.Minute)
	require.NoError(t, err)
	require.False(t, ok, "another holder cannot renew with a guessed epoch")

	st, err := b.Status(ctx, tenantKey)
	require.NoError(t, err)
	require.Equal(t, "a", st.Lease.Holder)
	require.Equal(t, epoch, st.Lease.Epoch)
	require.True(t, st.Lease.Live)
	require.WithinDuration(t, time.Now().Add(time.Minute), st.Lease.ExpiresAt, 30*time.Second)
	ids := []string{}
	for _, r := range st.Replicas {
		ids = append(ids, r.ID)
	}
	require.ElementsMatch(t, []string{"a", "b"}, ids)
	require.Equal(t, "b", st.Self)
}

// idsIn returns the stored events with one log_id.
func idsIn(t testing.TB, e *Engine, logID string) []event.Event {
	return scanAll(t, e, store.ScanQuery{Selection: store.Selection{Filter: &logquery.TermNode{Field: "log_id", Value: logID}}})
}
