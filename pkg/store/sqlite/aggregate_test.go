package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlwhere"
)

// goCells computes what Aggregate must return straight from the events.
func goCells(t *testing.T, events []event.Event, q store.AggQuery) []aggregate.Cell {
	m, err := logquery.Compile(q.Filter)
	require.NoError(t, err)
	key := func(e *event.Event, field string) string {
		switch field {
		case "":
			return ""
		case "category":
			return eventtypes.CategoryOf(e.Type)
		}
		return sqlwhere.Value(e, field)
	}
	at := map[cellKey]*aggregate.Cell{}
	for i := range events {
		e := &events[i]
		if e.Date.Before(q.From) || !e.Date.Before(q.To) || !m.Match(e) {
			continue
		}
		b := 0
		if q.Buckets.N > 0 {
			if b = q.Buckets.Index(e.Date); b < 0 {
				continue
			}
		}
		k := cellKey{b, key(e, q.Group), key(e, q.Of)}
		c, ok := at[k]
		if !ok {
			c = &aggregate.Cell{Bucket: b, Group: k.group, Value: k.value, First: e.Date, Last: e.Date}
			at[k] = c
		}
		c.N++
		c.First, c.Last = minTime(c.First, e.Date), maxTime(c.Last, e.Date)
	}
	out := make([]aggregate.Cell, 0, len(at))
	for _, c := range at {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b aggregate.Cell) int {
		return cmp.Or(cmp.Compare(a.Bucket, b.Bucket), cmp.Compare(a.Group, b.Group), cmp.Compare(a.Value, b.Value))
	})
	return out
}

func TestAggregateEqualsCellsComputedInGo(t *testing.T) {
	e, _ := openTemp(t)
	events := generated(t, 7)
	commitAll(t, e, "t1", events)
	commitAll(t, e, "t2", events[:1000]) // another tenant in the same file must not leak in
	parse := func(s string) logquery.Node {
		n, err := logquery.Parse(s)
		require.NoError(t, err)
		return n
	}
	// Ragged ends: the rollup answers whole minutes, the events the rest.
	// An event just before from and one at to, inside the minutes the range cuts, would be counted
	// if those minutes came whole from the rollup.
	from, to := firstAfter(events, testEnd.Add(-70*time.Hour)).Add(time.Millisecond), firstAfter(events, testEnd.Add(-3*time.Hour))
	hourly := aggregate.NewBuckets(from, to, time.Hour)
	daily := aggregate.NewBuckets(from, to, 24*time.Hour)
	cases := []store.AggQuery{
		{Selection: store.Selection{From: from, To: to, Filter: parse(`type:fu`)}, Buckets: hourly},
		{Selection: store.Selection{From: from, To: to, Filter: logquery.FieldIn("type", "s", "fu", "fp")}, Buckets: hourly, Group: "type"},
		{Selection: store.Selection{From: from, To: to}, Buckets: daily, Group: "category"},
		{Selection: store.Selection{From: from, To: to, Filter: parse(`type:fu`)}, Buckets: daily, Of: "ip"},
		{Selection: store.Selection{From: from, To: to, Filter: parse(`type:fu`)}, Of: "country"},
		{Selection: store.Selection{From: from, To: to}, Group: "client_name", Of: "connection"},
		{Selection: store.Selection{From: from, To: to, Filter: parse(`NOT type:s AND user_agent:*Windows*`)}, Of: "user_name"},
		{Selection: store.Selection{From: from, To: to}, Of: "category", Group: "strategy"},
		{Selection: store.Selection{From: testEnd.Add(-24 * time.Hour), To: to}, Buckets: hourly, Of: "user_id"},
	}
	check := func(events []event.Event) {
		for i, q := range cases {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				want := goCells(t, events, q)
				require.NotEmpty(t, want)
				got, err := e.Aggregate(context.Background(), "t1", q)
				require.NoError(t, err)
				require.Equal(t, want, got)
			})
		}
	}
	check(events)
	// Counts stay exact where deletions cut into minutes the rollup holds.
	cut := testEnd.Add(-60*time.Hour + 30*time.Second + 7*time.Millisecond)
	_, err := e.Evict(context.Background(), "t1", cut, 0)
	require.NoError(t, err)
	_, err = e.DeleteUser(context.Background(), "t1", events[len(events)/2].UserID)
	require.NoError(t, err)
	var kept []event.Event
	for _, ev := range events {
		if !ev.Date.Before(cut) && ev.UserID != events[len(events)/2].UserID {
			kept = append(kept, ev)
		}
	}
	require.Less(t, len(kept), len(events))
	check(kept)
	got, err := e.Aggregate(context.Background(), "nobody", cases[0])
	require.NoError(t, err)
	require.Empty(t, got)
	_, err = e.Aggregate(context.Background(), "t1", store.AggQuery{Group: "password"})
	require.ErrorContains(t, err, `cannot group by "password"`)
}

func firstAfter(events []event.Event, t time.Time) time.Time {
	best := time.Time{}
	for _, ev := range events {
		if ev.Date.After(t) && ev.Date.Nanosecond()/1e6%60000 != 59999 && (best.IsZero() || ev.Date.Before(best)) {
			best = ev.Date
		}
	}
	return best
}
