package postgres

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

const tenantKey = "https://demo.auth0logs.local/ client-1"

// lease takes the tail lease for a test and returns its fence.
func lease(t testing.TB, e *Engine, holder string) int64 {
	t.Helper()
	epoch, held, err := e.AcquireLease(testContext(t), tenantKey, holder, time.Minute)
	require.NoError(t, err)
	require.True(t, held, "a free lease must be granted")
	return epoch
}

func scanAll(t testing.TB, e *Engine, q store.ScanQuery) []event.Event {
	t.Helper()
	var out []event.Event
	require.NoError(t, e.Scan(testContext(t), tenantKey, q, func(ev *event.Event) error {
		out = append(out, *ev)
		return nil
	}))
	return out
}

func TestRoundTripKeepsEveryEventExactly(t *testing.T) {
	e := openEngine(t, newDatabase(t), "r1")
	events := append(generated(t, 1500), oddEvents()...)
	commitAll(t, e, tenantKey, lease(t, e, "r1"), events, 700)

	got := scanAll(t, e, store.ScanQuery{})
	require.Equal(t, jsonLines(t, newestFirst(events)), jsonLines(t, got))
	// The finer-than-a-millisecond date survives, not only its JSON rendering.
	i := slices.IndexFunc(got, func(ev event.Event) bool { return ev.LogID == oddEvents()[0].LogID })
	require.True(t, got[i].Date.Equal(oddEvents()[0].Date), "date %v, want %v", got[i].Date, oddEvents()[0].Date)

	st := must[store.State](t)(e.State(testContext(t), tenantKey))
	require.EqualValues(t, len(events), st.Events)
	require.Positive(t, st.Bytes)
	require.True(t, st.Oldest.Equal(time.Time{}), "the zero-dated event is the oldest, got %v", st.Oldest)
	require.Len(t, st.Segments, 1, "contiguous batches merge into one segment")
	require.Equal(t, events[len(events)-1].LogID, st.Checkpoint())

	limited := scanAll(t, e, store.ScanQuery{Limit: 5})
	require.Equal(t, jsonLines(t, got[:5]), jsonLines(t, limited))
}

func TestDuplicatesAndConflictsAreCountedNotStored(t *testing.T) {
	e := openEngine(t, newDatabase(t), "r1")
	fence := lease(t, e, "r1")
	ctx := testContext(t)
	events := generated(t, 300)[:200]
	res := must[store.CommitResult](t)(e.Commit(ctx, tenantKey, store.Batch{Events: events, Fence: fence}))
	require.Equal(t, store.CommitResult{Stored: 200}, res)

	changed := events[10]
	changed.Description = "other content"
	again := append(slices.Clone(events[:50]), changed, events[0])
	res = must[store.CommitResult](t)(e.Commit(ctx, tenantKey, store.Batch{Events: again, Fence: fence}))
	// events[0] twice in one batch: the repeat inside the batch is a duplicate too.
	require.Equal(t, store.CommitResult{Duplicates: 51, Conflicts: 1}, res)

	fresh := generated(t, 300)[200:202]
	inBatch := fresh[1]
	inBatch.IP = "10.9.9.9"
	res = must[store.CommitResult](t)(e.Commit(ctx, tenantKey, store.Batch{Events: []event.Event{fresh[0], fresh[1], inBatch, fresh[0]}, Fence: fence}))
	require.Equal(t, store.CommitResult{Stored: 2, Duplicates: 1, Conflicts: 1}, res)

	st := must[store.State](t)(e.State(ctx, tenantKey))
	require.EqualValues(t, 202, st.Events)
	require.EqualValues(t, 2, st.Conflicts)
	kept := scanAll(t, e, store.ScanQuery{Selection: store.Selection{Filter: &logquery.TermNode{Field: "log_id", Value: changed.LogID}}})
	require.Len(t, kept, 1)
	require.Equal(t, events[10].Description, kept[0].Description, "the first content of an id is kept")
}

func TestSegmentsMergeAndSurviveReopen(t *testing.T) {
	conn := newDatabase(t)
	e := openEngine(t, conn, "r1")
	fence := lease(t, e, "r1")
	ctx := testContext(t)
	at := func(h int) time.Time { return fixtureEnd.Add(time.Duration(h) * time.Hour) }
	for _, s := range []store.Segment{
		{FromID: "100", ToID: "200", From: at(0), To: at(1)},
		{FromID: "300", ToID: "400", From: at(2), To: at(3)},
		{FromID: "200", ToID: "300", From: at(1), To: at(2)}, // closes the hole
		{FromID: "500", ToID: "600", From: at(4), To: at(5)},
	} {
		_, err := e.Commit(ctx, tenantKey, store.Batch{Segment: s, Fence: fence})
		require.NoError(t, err)
	}
	want := []store.Segment{{FromID: "100", ToID: "400", From: at(0), To: at(3)}, {FromID: "500", ToID: "600", From: at(4), To: at(5)}}
	require.NoError(t, e.Close())
	_, err := e.State(ctx, tenantKey)
	require.ErrorIs(t, err, store.ErrClosed)

	st := must[store.State](t)(openEngine(t, conn, "r2").State(ctx, tenantKey))
	require.Equal(t, segmentsJSON(t, want), segmentsJSON(t, st.Segments))
	require.Equal(t, "600", st.Checkpoint())
}

func segmentsJSON(t testing.TB, s []store.Segment) string {
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}

// queries are the filters the tests push down; each must select what logquery.Matcher selects.
var queries = []string{
	"", `type:"fp"`, `type:(s OR fu OR fp)`, `NOT type:"s"`, `user_name:*.com`, `ip:[1 TO 5]`,
	`fp`, `description:*100%*`, `date:[2026-11-19T12 TO 2026-11-20}`, `type:fp AND NOT ip:10*`,
}

func parse(t testing.TB, q string) logquery.Node {
	t.Helper()
	if q == "" {
		return nil
	}
	n, err := logquery.Parse(q)
	require.NoError(t, err, q)
	return n
}

func TestScanFiltersAsTheMatcherDoes(t *testing.T) {
	e := openEngine(t, newDatabase(t), "r1")
	events := append(generated(t, 1500), oddEvents()...)
	commitAll(t, e, tenantKey, lease(t, e, "r1"), events, 1000)
	from, to := fixtureEnd.Add(-36*time.Hour), fixtureEnd.Add(-6*time.Hour)
	for _, q := range queries {
		n := parse(t, q)
		m, err := logquery.Compile(n)
		require.NoError(t, err)
		var want []event.Event
		for _, ev := range events {
			if !ev.Date.Before(from) && ev.Date.Before(to) && m.Match(&ev) {
				want = append(want, ev)
			}
		}
		got := scanAll(t, e, store.ScanQuery{Selection: store.Selection{From: from, To: to, Filter: n}})
		require.Equal(t, jsonLines(t, newestFirst(want)), jsonLines(t, got), q)
	}
}

func TestAggregateCellsEqualGoOverTheSameEvents(t *testing.T) {
	e := openEngine(t, newDatabase(t), "r1")
	events := append(generated(t, 1500), oddEvents()...)
	commitAll(t, e, tenantKey, lease(t, e, "r1"), events, 1000)
	from, to := fixtureEnd.Add(-47*time.Hour-30*time.Minute), fixtureEnd.Add(-10*time.Minute)
	shapes := []struct {
		step      time.Duration
		group, of string
	}{
		{0, "", ""}, {time.Hour, "", ""}, {time.Hour, "type", ""}, {24 * time.Hour, "category", ""},
		{time.Hour, "", "ip"}, {0, "", "country"}, {0, "", "ip"}, {15 * time.Minute, "country", "user_name"},
		{0, "category", "category"}, {1500 * time.Microsecond * 1000, "connection", ""}, {7*time.Second + 1, "", ""},
	}
	for _, q := range queries {
		for _, s := range shapes {
			aq := store.AggQuery{Selection: store.Selection{From: from, To: to, Filter: parse(t, q)}, Group: s.group, Of: s.of}
			if s.step > 0 {
				aq.Buckets = aggregate.NewBuckets(from, to, s.step)
			}
			got, err := e.Aggregate(testContext(t), tenantKey, aq)
			require.NoError(t, err)
			require.Equal(t, referenceCells(t, events, aq), got, "query %q, shape %+v", q, s)
		}
	}
	_, err := e.Aggregate(testContext(t), tenantKey, store.AggQuery{Group: "password"})
	require.Error(t, err, "an unknown group field is refused")
	none, err := e.Aggregate(testContext(t), "unknown tenant", store.AggQuery{})
	require.NoError(t, err)
	require.Empty(t, none)
}

func TestDeleteUserRemovesOnlyTheirEvents(t *testing.T) {
	e := openEngine(t, newDatabase(t), "r1")
	events := generated(t, 800)
	commitAll(t, e, tenantKey, lease(t, e, "r1"), events, 1000)
	victim := ""
	want := 0
	for _, ev := range events {
		if ev.UserID != "" && victim == "" {
			victim = ev.UserID
		}
		if victim != "" && ev.UserID == victim {
			want++
		}
	}
	require.NotEmpty(t, victim)
	ctx := testContext(t)
	n := must[int64](t)(e.DeleteUser(ctx, tenantKey, victim))
	require.EqualValues(t, want, n)
	left := scanAll(t, e, store.ScanQuery{})
	require.Len(t, left, len(events)-want)
	require.False(t, slices.ContainsFunc(left, func(ev event.Event) bool { return ev.UserID == victim }))
	st := must[store.State](t)(e.State(ctx, tenantKey))
	require.EqualValues(t, len(events)-want, st.Events)
	_, err := e.DeleteUser(ctx, tenantKey, "")
	require.Error(t, err, "an empty user id must not delete every event without one")
}

func TestEvictByAgeAndSizeTrimsSegments(t *testing.T) {
	e := openEngine(t, newDatabase(t), "r1")
	events := generated(t, 800)
	commitAll(t, e, tenantKey, lease(t, e, "r1"), events, 400)
	ctx := testContext(t)
	before := must[store.State](t)(e.State(ctx, tenantKey))

	cut := fixtureEnd.Add(-24 * time.Hour)
	older := 0
	for _, ev := range events {
		if ev.Date.Before(cut) {
			older++
		}
	}
	n := must[int64](t)(e.Evict(ctx, tenantKey, cut, 0))
	require.EqualValues(t, older, n)
	st := must[store.State](t)(e.State(ctx, tenantKey))
	require.EqualValues(t, len(events)-older, st.Events)
	require.False(t, st.Oldest.Before(cut))
	require.False(t, st.Segments[0].From.Before(cut), "coverage must not claim evicted time")
	require.Less(t, st.Bytes, before.Bytes)

	// Then by size: keep at most a third of what is left.
	limit := st.Bytes / 3
	n = must[int64](t)(e.Evict(ctx, tenantKey, cut, limit))
	require.Positive(t, n)
	after := must[store.State](t)(e.State(ctx, tenantKey))
	require.LessOrEqual(t, after.Bytes, limit)
	require.Greater(t, after.Bytes, limit/2, "eviction removes the oldest until under the cap, not everything")
	require.EqualValues(t, st.Events-n, after.Events)
	left := scanAll(t, e, store.ScanQuery{})
	require.Equal(t, len(left), int(after.Events))
	kept := map[string]bool{}
	for _, ev := range left {
		kept[ev.LogID] = true
	}
	for _, ev := range events {
		if !kept[ev.LogID] && !ev.Date.Before(after.Segments[0].From) {
			t.Fatalf("event dated %v was evicted, yet the segments claim coverage from %v", ev.Date, after.Segments[0].From)
		}
	}
}

func TestClosedEngineAnswersErrClosed(t *testing.T) {
	e := openEngine(t, newDatabase(t), "r1")
	require.NoError(t, e.Close())
	require.NoError(t, e.Close())
	ctx := testContext(t)
	_, err := e.Commit(ctx, tenantKey, store.Batch{})
	require.True(t, errors.Is(err, store.ErrClosed))
	require.ErrorIs(t, e.Scan(ctx, tenantKey, store.ScanQuery{}, nil), store.ErrClosed)
	_, err = e.Take(ctx, tenantKey, 60, Alert)
	require.ErrorIs(t, err, store.ErrClosed)
}
