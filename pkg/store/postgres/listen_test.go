package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

// receive waits for a signal, failing after a guard deadline.
func receive(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case _, ok := <-ch:
		require.True(t, ok, "the channel closed while waiting for %s", what)
	case <-time.After(30 * time.Second):
		t.Fatalf("no signal for %s", what)
	}
}

func TestListenersLearnOfCommitsOnTheirTenantOnly(t *testing.T) {
	conn := newDatabase(t)
	writer, reader := openEngine(t, conn, "writer"), openEngine(t, conn, "reader")
	ctx, cancel := context.WithCancel(testContext(t))
	mine := reader.Listen(ctx, tenantKey)
	other := reader.Listen(ctx, "another tenant")
	// The first signal says the listener is connected (and that anything missed should be read).
	receive(t, mine, "the listener to connect")
	receive(t, other, "the other listener to connect")

	fence := lease(t, writer, "writer")
	_, err := writer.Commit(ctx, tenantKey, store.Batch{Events: generated(t, 300)[:3], Fence: fence})
	require.NoError(t, err)
	receive(t, mine, "the commit's notification")

	// A fenced commit writes nothing and notifies nobody; a commit on this tenant never wakes
	// another tenant's listener. Both are checked after a later signal proves delivery happened.
	_, err = writer.Commit(ctx, tenantKey, store.Batch{Fence: fence + 1})
	require.ErrorIs(t, err, store.ErrFenced)
	_, err = writer.Commit(ctx, tenantKey, store.Batch{Events: generated(t, 300)[3:4], Fence: fence})
	require.NoError(t, err)
	receive(t, mine, "the second commit's notification")
	select {
	case <-mine:
		t.Fatal("a fenced commit notified listeners")
	default:
	}
	select {
	case <-other:
		t.Fatal("a commit on one tenant woke another tenant's listener")
	default:
	}

	cancel()
	for range mine {
	}
	_, open := <-other
	require.False(t, open, "listeners close their channel when ctx ends")
}

func TestListenEndsWhenTheEngineCloses(t *testing.T) {
	e := openEngine(t, newDatabase(t), "r")
	ch := e.Listen(context.Background(), tenantKey)
	receive(t, ch, "the listener to connect")
	require.NoError(t, e.Close())
	for range ch {
	}
	closed := e.Listen(context.Background(), tenantKey)
	_, open := <-closed
	require.False(t, open)
}
