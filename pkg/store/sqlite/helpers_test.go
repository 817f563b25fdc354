package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

var testEnd = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

// generated is a small realistic tenant: 3 days at 1,500 events a day with the demo's attacks
// scaled down.
func generated(t testing.TB, seed int64) []event.Event {
	t.Helper()
	cfg := tenant.Config{Seed: seed, End: testEnd, Days: 3, EventsPerDay: 1500, Attacks: []tenant.Attack{
		{Kind: tenant.CredentialStuffing, Start: testEnd.Add(-30 * time.Hour), Duration: 2 * time.Hour, Events: 600},
		{Kind: tenant.BruteForce, Start: testEnd.Add(-50 * time.Hour), Duration: time.Hour, Events: 100},
	}}
	return tenant.Generate(cfg).Events
}

func openTemp(t testing.TB) (*Engine, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	e, err := Open(path, Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = e.Close() })
	return e, path
}

// segmentOf is the segment a batch of ascending-id events completes: (prev, last id].
func segmentOf(prev string, events []event.Event) store.Segment {
	if len(events) == 0 {
		return store.Segment{}
	}
	first, last := events[0], events[len(events)-1]
	return store.Segment{FromID: prev, ToID: last.LogID, From: first.Date, To: last.Date}
}

// commitAll stores events in pages of 100, as the tail does.
func commitAll(t testing.TB, e *Engine, tenantKey string, events []event.Event) {
	t.Helper()
	prev := ""
	for i := 0; i < len(events); i += 100 {
		page := events[i:min(i+100, len(events))]
		_, err := e.Commit(context.Background(), tenantKey, store.Batch{Events: page, Segment: segmentOf(prev, page)})
		prev = page[len(page)-1].LogID
		require.NoError(t, err)
	}
}

func scanAll(t testing.TB, e *Engine, tenantKey string, q store.ScanQuery) []event.Event {
	t.Helper()
	var out []event.Event
	require.NoError(t, e.Scan(context.Background(), tenantKey, q, func(ev *event.Event) error {
		out = append(out, *ev)
		return nil
	}))
	return out
}

// newestFirst is Scan's order.
func newestFirst(events []event.Event) []event.Event {
	out := slices.Clone(events)
	slices.SortFunc(out, func(a, b event.Event) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(b.LogID, a.LogID))
	})
	return out
}

type eventT = event.Event

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// requireRollupExact checks the rollup against a recount of the events.
func requireRollupExact(t testing.TB, e *Engine) {
	t.Helper()
	read := func(query string) []string {
		rows, err := e.r.Query(query)
		require.NoError(t, err)
		defer rows.Close()
		var out []string
		for rows.Next() {
			var tid, minute, n, first, last int64
			var typ string
			require.NoError(t, rows.Scan(&tid, &minute, &typ, &n, &first, &last))
			out = append(out, fmt.Sprint(tid, minute, typ, n, first, last))
		}
		require.NoError(t, rows.Err())
		return out
	}
	want := read(`SELECT tenant, date_ms / 60000 AS m, type, COUNT(*), MIN(date_ms), MAX(date_ms) FROM events
		GROUP BY tenant, m, type ORDER BY tenant, m, type`)
	require.NotEmpty(t, want)
	require.Equal(t, want, read("SELECT tenant, minute, type, n, first, last FROM rollup ORDER BY tenant, minute, type"))
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
