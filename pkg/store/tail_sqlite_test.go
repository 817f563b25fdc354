package store_test

import (
	"context"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlite"
)

// scanAll reads every event an engine holds for the tenant, by log_id.
func scanAll(t *testing.T, e store.Engine) []event.Event {
	t.Helper()
	var out []event.Event
	q := store.ScanQuery{Selection: store.Selection{From: time.Unix(0, 0), To: t0.AddDate(10, 0, 0)}}
	require.NoError(t, e.Scan(context.Background(), tenantKey, q, func(ev *event.Event) error {
		out = append(out, *ev)
		return nil
	}))
	sort.Slice(out, func(i, j int) bool { return out[i].LogID < out[j].LogID })
	return out
}

func TestTailOnSQLiteKilledMidBackfillResumesToAuth0sExactLog(t *testing.T) {
	h := newHarness(t, 2, 1, 10000, emulator.Options{})
	path := filepath.Join(t.TempDir(), "tenant-logs.db")
	killed, err := sqlite.Open(path, sqlite.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = killed.Close() })

	// The process dies with a page fetched and not committed, in the middle of the backfill; the
	// engine is never closed, as after kill -9.
	cfg := h.config()
	cfg.Engine, cfg.BackfillDays = killed, 2
	tail, err := store.NewTail(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Reader = &cancelAfterFetch{inner: h.client, n: 40, cancel: cancel}
	tail.Update(cfg)
	require.NoError(t, tail.Run(ctx))
	partial := scanAll(t, killed)
	require.NotEmpty(t, partial)
	require.Less(t, len(partial), 39*100, "the fortieth page was never committed")

	// Down for an hour, then a new process opens the file and resumes.
	h.clock.Advance(time.Hour)
	reopened, err := sqlite.Open(path, sqlite.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = reopened.Close() })
	cfg = h.config()
	cfg.Engine, cfg.BackfillDays = reopened, 2
	run := h.start(t, cfg)
	h.clock.drive(t, h.clock.Now().Add(time.Minute), func() bool {
		st := run.status(t)
		return st.CaughtUp && st.Backfill.Done
	})

	// The window is two days back from now, an hour later than when the first process started.
	st := run.status(t)
	want := h.truth(store.FloorLogID(h.clock.Now().Add(-48 * time.Hour)))
	requireSame(t, want, scanAll(t, reopened))
	assert.Equal(t, int64(len(want)), st.Events, "nothing stored twice")
	assert.Zero(t, st.Conflicts)
	assert.Empty(t, st.Gaps)
	assert.Nil(t, st.LastError)
	if st.Events > 0 {
		t.Logf("sqlite: %d events in %d bytes (%.0f bytes an event)", st.Events, st.Bytes, float64(st.Bytes)/float64(st.Events))
	}
}
