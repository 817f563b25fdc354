package postgres

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

func TestDictionaryIsSharedAndShrinksBlobs(t *testing.T) {
	conn := newDatabase(t)
	writer, reader := openEngine(t, conn, "writer"), openEngine(t, conn, "reader")
	events := generated(t, 1500)
	fence := lease(t, writer, "writer")
	ctx := testContext(t)

	// A small batch comes before any dictionary: plain zstd.
	_, err := writer.Commit(ctx, tenantKey, store.Batch{Events: events[:100], Fence: fence})
	require.NoError(t, err)
	small := must[store.State](t)(writer.State(ctx, tenantKey))
	// A large one builds the dictionary and uses it.
	_, err = writer.Commit(ctx, tenantKey, store.Batch{Events: events[100:1100], Fence: fence})
	require.NoError(t, err)
	_, err = writer.Commit(ctx, tenantKey, store.Batch{Events: events[1100:1200], Fence: fence})
	require.NoError(t, err)
	large := must[store.State](t)(writer.State(ctx, tenantKey))
	perEventBefore := float64(small.Bytes) / float64(small.Events)
	perEventAfter := float64(large.Bytes-small.Bytes) / float64(large.Events-small.Events)
	require.Less(t, perEventAfter, perEventBefore-100, "the dictionary must save bytes: %.0f before, %.0f after", perEventBefore, perEventAfter)

	// The reader opened before the dictionary existed, and loads it when a blob names it.
	require.Nil(t, reader.blobs.enc)
	got := scanAll(t, reader, store.ScanQuery{})
	require.Equal(t, jsonLines(t, newestFirst(events[:1200])), jsonLines(t, got))

	// The reader takes over the tail and writes with the shared dictionary, not a second one.
	require.NoError(t, writer.ReleaseLease(ctx, tenantKey, "writer", fence))
	_, err = reader.Commit(ctx, tenantKey, store.Batch{Events: events[1200:], Fence: lease(t, reader, "reader")})
	require.NoError(t, err)
	require.Equal(t, jsonLines(t, newestFirst(events)), jsonLines(t, scanAll(t, writer, store.ScanQuery{})))
	var dicts int
	require.NoError(t, writer.pool.QueryRow(ctx, "SELECT count(*) FROM dictionaries").Scan(&dicts))
	require.Equal(t, 1, dicts)
}
