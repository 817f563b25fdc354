package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlwhere"
)

// Aggregate answers a grouped count in SQL: one row per bucket, group and value, streamed into
// cells, so memory follows the number of cells and never the number of events. Events outside
// the buckets (when the query has them) are not counted. Counts by type over whole minutes come
// from the rollup table; the minutes at the range's ragged ends come from the events.
func (e *Engine) Aggregate(ctx context.Context, tenant string, q store.AggQuery) ([]aggregate.Cell, error) {
	if e.closed.Load() {
		return nil, store.ErrClosed
	}
	tid, ok, err := e.tenantID(ctx, e.r, tenant, false)
	if err != nil || !ok {
		return nil, e.wrap("aggregate", err)
	}
	group, err := newKeyColumn(q.Group)
	if err != nil {
		return nil, err
	}
	of, err := newKeyColumn(q.Of)
	if err != nil {
		return nil, err
	}
	a := &aggregation{e: e, tid: tid, q: q, sel: q.Selection, group: group, of: of, at: map[cellKey]int{}}
	if err := a.clip(); err != nil {
		return nil, err
	}
	return a.run(ctx)
}

// aggregation is one Aggregate call: the query with its range clipped to the buckets, and the
// cells gathered so far.
type aggregation struct {
	e               *Engine
	tid             int64
	q               store.AggQuery
	sel             store.Selection
	group, of       keyColumn
	startMs, stepMs int64
	out             []aggregate.Cell
	at              map[cellKey]int
}

func (a *aggregation) clip() error {
	b := a.q.Buckets
	if b.N <= 0 {
		return nil
	}
	a.stepMs = b.Step.Milliseconds()
	if a.stepMs <= 0 || b.Step%time.Millisecond != 0 {
		return fmt.Errorf("bucket width %s is not a whole number of milliseconds", b.Step)
	}
	a.startMs = sqlwhere.Millis(b.Start)
	end := b.Start.Add(time.Duration(b.N) * b.Step)
	if a.sel.From.IsZero() || a.sel.From.Before(b.Start) {
		a.sel.From = b.Start
	}
	if a.sel.To.IsZero() || a.sel.To.After(end) {
		a.sel.To = end
	}
	return nil
}

func (a *aggregation) run(ctx context.Context) ([]aggregate.Cell, error) {
	if types, ok := rollupTypes(a.q, a.sel); ok {
		lo := floorDiv(sqlwhere.CeilMillis(a.sel.From)+minuteMs-1, minuteMs)
		hi := floorDiv(sqlwhere.CeilMillis(a.sel.To), minuteMs)
		if lo < hi {
			head, tail := a.sel, a.sel
			head.To, tail.From = time.UnixMilli(lo*minuteMs).UTC(), time.UnixMilli(hi*minuteMs).UTC()
			query, args := rollupQuery(a.tid, lo, hi, types, a.q.Buckets.N > 0, a.startMs, a.stepMs, a.group)
			for _, err := range []error{a.events(ctx, head), a.collect(ctx, query, args), a.events(ctx, tail)} {
				if err != nil {
					return nil, a.e.wrap("aggregate", err)
				}
			}
			return a.sorted(), nil
		}
	}
	if err := a.events(ctx, a.sel); err != nil {
		return nil, a.e.wrap("aggregate", err)
	}
	return a.sorted(), nil
}

// events counts a selection from the events table.
func (a *aggregation) events(ctx context.Context, sel store.Selection) error {
	if !sel.To.After(sel.From) {
		return nil
	}
	bucket, args := "0", []any{}
	if a.q.Buckets.N > 0 {
		bucket = "(date_ms - ?) / ?"
		args = append(args, a.startMs, a.stepMs)
	}
	where, wargs, err := selection(a.tid, sel)
	if err != nil {
		return err
	}
	query := fmt.Sprintf("SELECT %s, %s, %s, COUNT(*), MIN(date_ms), MAX(date_ms) FROM events WHERE %s GROUP BY 1, 2, 3",
		bucket, a.group.expr, a.of.expr, where)
	return a.collect(ctx, query, append(args, wargs...))
}

// keyColumn is how one key of a cell (group or value) is read: a column, and what turns its
// value into the key's text.
type keyColumn struct {
	expr     string
	interned bool
	category bool
}

func newKeyColumn(field string) (keyColumn, error) {
	if field == "" {
		return keyColumn{expr: "''"}, nil
	}
	c, category, err := schema.GroupColumn(field)
	if err != nil {
		return keyColumn{}, err
	}
	return keyColumn{expr: c.Name, interned: c.Dict != "", category: category}, nil
}

func (e *Engine) keyText(ctx context.Context, k keyColumn, v any) (string, error) {
	s, err := e.fieldText(ctx, v)
	if err != nil || !k.category {
		return s, err
	}
	return eventtypes.CategoryOf(s), nil
}

type cellKey struct {
	bucket       int
	group, value string
}

// collect runs a query whose rows are (bucket, group, value, n, first, last) and merges them into
// the cells: several types fall in one category, and the rollup and the ragged ends meet in
// the same buckets.
func (a *aggregation) collect(ctx context.Context, query string, args []any) error {
	rows, err := a.e.r.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b, n, first, last int64
		var g, v any
		if err := rows.Scan(&b, &g, &v, &n, &first, &last); err != nil {
			return err
		}
		c := aggregate.Cell{Bucket: int(b), N: n, First: time.UnixMilli(first).UTC(), Last: time.UnixMilli(last).UTC()}
		if c.Group, err = a.e.keyText(ctx, a.group, g); err != nil {
			return err
		}
		if c.Value, err = a.e.keyText(ctx, a.of, v); err != nil {
			return err
		}
		k := cellKey{c.Bucket, c.Group, c.Value}
		i, ok := a.at[k]
		if !ok {
			a.at[k] = len(a.out)
			a.out = append(a.out, c)
			continue
		}
		a.out[i].N += c.N
		a.out[i].First = minTime(a.out[i].First, c.First)
		a.out[i].Last = maxTime(a.out[i].Last, c.Last)
	}
	return rows.Err()
}

func (a *aggregation) sorted() []aggregate.Cell {
	slices.SortFunc(a.out, func(x, y aggregate.Cell) int {
		return cmp.Or(cmp.Compare(x.Bucket, y.Bucket), cmp.Compare(x.Group, y.Group), cmp.Compare(x.Value, y.Value))
	})
	return a.out
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
