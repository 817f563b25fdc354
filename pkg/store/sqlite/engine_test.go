package sqlite

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

func TestRoundTripGivesBackEqualEvents(t *testing.T) {
	e, _ := openTemp(t)
	events := generated(t, 1)
	// Fields the generator never writes must survive too.
	events[3].Extra = map[string]json.RawMessage{"_id": json.RawMessage(`"other"`), "new_field": json.RawMessage(`{ "a" : [1, 2] }`)}
	events[4].Details = json.RawMessage(`{ "spaced" :  true }`)
	events[5].Date = events[5].Date.Add(123456 * time.Nanosecond)
	events[6].Location = &event.Location{}
	events[7].IsMobile, events[7].OrganizationName = true, "Acme Org"
	commitAll(t, e, "t1", events)
	got := scanAll(t, e, "t1", store.ScanQuery{})
	require.Equal(t, len(events), len(got))
	require.Equal(t, newestFirst(events), got)

	st, err := e.State(context.Background(), "t1")
	require.NoError(t, err)
	require.EqualValues(t, len(events), st.Events)
	require.Equal(t, "", st.Segments[0].FromID)
	require.Len(t, st.Segments, 1, "touching pages merge into one segment")
	require.Equal(t, events[len(events)-1].LogID, st.Checkpoint())
	require.Positive(t, st.Bytes)

	// Reopening reads the same events through the dictionaries stored in the file.
	path := e.path
	require.NoError(t, e.Close())
	e2, err := Open(path, Options{})
	require.NoError(t, err)
	defer e2.Close()
	require.Equal(t, newestFirst(events), scanAll(t, e2, "t1", store.ScanQuery{}))
}

func TestScanFiltersLimitsAndOrders(t *testing.T) {
	e, _ := openTemp(t)
	events := generated(t, 2)
	commitAll(t, e, "t1", events)
	filter, err := logquery.Parse(`type:fu OR type:fp`)
	require.NoError(t, err)
	from, to := testEnd.Add(-40*time.Hour), testEnd.Add(-20*time.Hour)
	m, _ := logquery.Compile(filter)
	var want []event.Event
	for _, ev := range newestFirst(events) {
		if m.Match(&ev) && !ev.Date.Before(from) && ev.Date.Before(to) {
			want = append(want, ev)
		}
	}
	require.Greater(t, len(want), 50)
	got := scanAll(t, e, "t1", store.ScanQuery{Selection: store.Selection{From: from, To: to, Filter: filter}})
	require.Equal(t, want, got)
	got = scanAll(t, e, "t1", store.ScanQuery{Selection: store.Selection{From: from, To: to, Filter: filter}, Limit: 7})
	require.Equal(t, want[:7], got)
	require.Empty(t, scanAll(t, e, "other tenant", store.ScanQuery{}))
}

func TestDuplicatesAndConflicts(t *testing.T) {
	e, _ := openTemp(t)
	ctx := context.Background()
	events := generated(t, 3)[:300]
	res, err := e.Commit(ctx, "t1", store.Batch{Events: events[:200], Segment: segmentOf("", events[:200])})
	require.NoError(t, err)
	require.Equal(t, store.CommitResult{Stored: 200}, res)

	again := append([]event.Event(nil), events[150:300]...)
	changed := again[10]
	changed.Description += " (changed)"
	again[10] = changed
	again = append(again, events[250]) // repeated inside the batch too
	res, err = e.Commit(ctx, "t1", store.Batch{Events: again, Segment: segmentOf(events[149].LogID, events[150:300])})
	require.NoError(t, err)
	require.Equal(t, store.CommitResult{Stored: 100, Duplicates: 50, Conflicts: 1}, res)

	st, err := e.State(ctx, "t1")
	require.NoError(t, err)
	require.EqualValues(t, 300, st.Events)
	require.EqualValues(t, 1, st.Conflicts)
	got := scanAll(t, e, "t1", store.ScanQuery{})
	require.Equal(t, newestFirst(events), got, "the first content of a conflicting id is kept")
	requireRollupExact(t, e)
}

func TestSegmentsMergeOnCommit(t *testing.T) {
	e, _ := openTemp(t)
	ctx := context.Background()
	events := generated(t, 4)[:300]
	// Newest chunk first, as a backfill reads; then the older chunk that reaches it.
	_, err := e.Commit(ctx, "t1", store.Batch{Events: events[200:], Segment: segmentOf(events[199].LogID, events[200:])})
	require.NoError(t, err)
	_, err = e.Commit(ctx, "t1", store.Batch{Events: events[:100], Segment: segmentOf("", events[:100])})
	require.NoError(t, err)
	st, err := e.State(ctx, "t1")
	require.NoError(t, err)
	require.Len(t, st.Segments, 2, "a hole between two chunks stays a hole")
	mid := events[99:201] // overlaps both neighbours by one event, which are duplicates
	_, err = e.Commit(ctx, "t1", store.Batch{Events: mid, Segment: segmentOf(events[98].LogID, mid)})
	require.NoError(t, err)
	st, err = e.State(ctx, "t1")
	require.NoError(t, err)
	require.Equal(t, []store.Segment{{FromID: "", ToID: events[299].LogID,
		From: events[0].Date, To: events[299].Date}}, st.Segments)
	oldest := events[0].Date
	for _, ev := range events {
		oldest = minTime(oldest, ev.Date)
	}
	require.Equal(t, oldest, st.Oldest)
}

func TestFailedCommitLeavesNothing(t *testing.T) {
	e, _ := openTemp(t)
	ctx := context.Background()
	events := generated(t, 5)[:400]
	commitAll(t, e, "t1", events[:100])
	before, err := e.State(ctx, "t1")
	require.NoError(t, err)
	// A trigger fails the last insert of the next batch, after its new strings, its dictionary
	// and 199 events were written inside the transaction.
	_, err = e.w.Exec(`CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.log_id = 'poison'
		BEGIN SELECT RAISE(ABORT, 'poisoned'); END`)
	require.NoError(t, err)
	batch := append([]event.Event(nil), events[100:300]...)
	batch[199].LogID = "poison"
	batch[150].UserAgent, batch[150].ClientName = "Never Stored Agent/1.0", "Never Stored App"
	_, err = e.Commit(ctx, "t1", store.Batch{Events: batch, Segment: segmentOf(events[99].LogID, batch)})
	require.ErrorContains(t, err, "poisoned")
	after, err := e.State(ctx, "t1")
	require.NoError(t, err)
	require.Equal(t, before, after)
	require.Len(t, scanAll(t, e, "t1", store.ScanQuery{}), 100)
	requireRollupExact(t, e)
	_, err = e.Commit(ctx, "t2", store.Batch{Events: batch, Segment: segmentOf(events[99].LogID, batch)})
	require.Error(t, err)
	st, err := e.State(ctx, "t2")
	require.NoError(t, err)
	require.Equal(t, store.State{}, st, "a tenant created by a failed commit does not exist")

	// The strings the failed commit interned must not be remembered: the retry interns them again.
	_, err = e.w.Exec(`DROP TRIGGER poison`)
	require.NoError(t, err)
	commitAll(t, e, "t1", events[100:400])
	require.Equal(t, newestFirst(events), scanAll(t, e, "t1", store.ScanQuery{}))
	batch[199].LogID = events[299].LogID
	res, err := e.Commit(ctx, "t1", store.Batch{Events: batch[150:151]})
	require.NoError(t, err)
	require.Equal(t, 1, res.Conflicts)
}

func TestDeleteUser(t *testing.T) {
	e, _ := openTemp(t)
	ctx := context.Background()
	events := generated(t, 6)
	commitAll(t, e, "t1", events)
	commitAll(t, e, "t2", events[:500])
	victim := ""
	for _, ev := range events {
		if ev.UserID != "" && ev.Type == "s" {
			victim = ev.UserID
			break
		}
	}
	var keep []event.Event
	for _, ev := range events {
		if ev.UserID != victim {
			keep = append(keep, ev)
		}
	}
	n, err := e.DeleteUser(ctx, "t1", victim)
	require.NoError(t, err)
	require.EqualValues(t, len(events)-len(keep), n)
	require.Positive(t, n)
	require.Equal(t, newestFirst(keep), scanAll(t, e, "t1", store.ScanQuery{}))
	st, err := e.State(ctx, "t1")
	require.NoError(t, err)
	require.EqualValues(t, len(keep), st.Events)
	require.Len(t, scanAll(t, e, "t2", store.ScanQuery{}), 500, "other tenants keep their events")
	requireRollupExact(t, e)
}

func TestClosedEngineRefuses(t *testing.T) {
	e, _ := openTemp(t)
	require.NoError(t, e.Close())
	_, err := e.State(context.Background(), "t1")
	require.ErrorIs(t, err, store.ErrClosed)
	_, err = e.Commit(context.Background(), "t1", store.Batch{})
	require.ErrorIs(t, err, store.ErrClosed)
	require.ErrorIs(t, e.Scan(context.Background(), "t1", store.ScanQuery{}, nil), store.ErrClosed)
}
