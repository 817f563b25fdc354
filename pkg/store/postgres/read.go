package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlwhere"
)

var schema = sqlwhere.DefaultSchema()

// State reads the tenant's segments and totals; the oldest and newest dates come from the ends of
// the date index.
func (e *Engine) State(ctx context.Context, tenant string) (store.State, error) {
	var st store.State
	if err := e.check(); err != nil {
		return st, err
	}
	tid, ok, err := e.tenantID(ctx, tenant, false)
	if err != nil || !ok {
		return st, err
	}
	var segJSON []byte
	var oldest, newest *int64
	err = e.pool.QueryRow(ctx, `SELECT segments, events, bytes, conflicts,
		(SELECT min(date_ms) FROM events WHERE tenant_id = $1),
		(SELECT max(date_ms) FROM events WHERE tenant_id = $1)
		FROM tenants WHERE id = $1`, tid).Scan(&segJSON, &st.Events, &st.Bytes, &st.Conflicts, &oldest, &newest)
	if err != nil {
		return store.State{}, e.scrub.classify("reading the store's state", err)
	}
	if err := json.Unmarshal(segJSON, &st.Segments); err != nil {
		return store.State{}, fmt.Errorf("the tenant's stored segments are unreadable: %w", err)
	}
	if oldest != nil && newest != nil {
		st.Oldest, st.Newest = time.UnixMilli(*oldest).UTC(), time.UnixMilli(*newest).UTC()
	}
	return st, nil
}

// where is the selection as SQL after the tenant ($1): the date range and the filter.
func where(sel store.Selection, args []any) (string, []any, error) {
	cond := []string{"tenant_id = $1"}
	if !sel.From.IsZero() {
		args = append(args, sqlwhere.CeilMillis(sel.From))
		cond = append(cond, fmt.Sprintf("date_ms >= $%d", len(args)))
	}
	if !sel.To.IsZero() {
		args = append(args, sqlwhere.CeilMillis(sel.To))
		cond = append(cond, fmt.Sprintf("date_ms < $%d", len(args)))
	}
	if sel.Filter != nil {
		sql, fargs, err := sqlwhere.Where(sel.Filter, sqlwhere.PostgreSQL, schema, len(args))
		if err != nil {
			return "", nil, err
		}
		cond = append(cond, sql)
		args = append(args, fargs...)
	}
	return strings.Join(cond, " AND "), args, nil
}

// Scan streams matching events newest first; fn runs while the rows are read, so memory holds one
// event at a time.
func (e *Engine) Scan(ctx context.Context, tenant string, q store.ScanQuery, fn func(*event.Event) error) error {
	if err := e.check(); err != nil {
		return err
	}
	tid, ok, err := e.tenantID(ctx, tenant, false)
	if err != nil || !ok {
		return err
	}
	cond, args, err := where(q.Selection, []any{tid})
	if err != nil {
		return err
	}
	sql := "SELECT date_ms, raw, " + strings.Join(columns, ", ") + " FROM events WHERE " + cond +
		" ORDER BY date_ms DESC, log_id DESC"
	if q.Limit > 0 {
		sql += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	rows, err := e.pool.Query(ctx, sql, args...)
	if err != nil {
		return e.scrub.classify("reading events", err)
	}
	defer rows.Close()
	values := make([]string, len(columns))
	dest := make([]any, 0, len(columns)+2)
	var dateMS int64
	var blob []byte
	dest = append(dest, &dateMS, &blob)
	for i := range values {
		dest = append(dest, &values[i])
	}
	logID := slices.Index(columns, "log_id")
	unpack := func(blob []byte) ([]byte, error) {
		return e.blobs.unpack(blob, func() error { return e.loadDicts(ctx) })
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return e.scrub.classify("reading events", err)
		}
		ev, err := decodeRow(values[logID], dateMS, values, blob, unpack)
		if err != nil {
			return err
		}
		if err := fn(&ev); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return e.scrub.classify("reading events", err)
	}
	return nil
}

// Aggregate groups in the database by bucket, group and value and returns one cell per group
// row. "category" groups by type and folds the types into their categories here, since the
// catalogue lives in the plugin.
func (e *Engine) Aggregate(ctx context.Context, tenant string, q store.AggQuery) ([]aggregate.Cell, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	tid, ok, err := e.tenantID(ctx, tenant, false)
	if err != nil || !ok {
		return nil, err
	}
	groupCol, groupCat, err := fieldColumn(q.Group)
	if err != nil {
		return nil, err
	}
	ofCol, ofCat, err := fieldColumn(q.Of)
	if err != nil {
		return nil, err
	}
	cond, args, err := where(q.Selection, []any{tid})
	if err != nil {
		return nil, err
	}
	bucket, cond, args := bucketExpr(q.Buckets, cond, args)
	sql := fmt.Sprintf(`SELECT %s AS b, %s AS g, %s AS v, count(*), min(date_ms), max(date_ms)
		FROM events WHERE %s GROUP BY 1, 2, 3`, bucket, groupCol, ofCol, cond)
	rows, err := e.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, e.scrub.classify("aggregating events", err)
	}
	var cells []aggregate.Cell
	var c aggregate.Cell
	var first, last int64
	_, err = pgx.ForEachRow(rows, []any{&c.Bucket, &c.Group, &c.Value, &c.N, &first, &last}, func() error {
		c.First, c.Last = time.UnixMilli(first).UTC(), time.UnixMilli(last).UTC()
		if groupCat {
			c.Group = eventtypes.CategoryOf(c.Group)
		}
		if ofCat {
			c.Value = eventtypes.CategoryOf(c.Value)
		}
		cells = append(cells, c)
		return nil
	})
	if err != nil {
		return nil, e.scrub.classify("aggregating events", err)
	}
	if groupCat || ofCat {
		cells = mergeCells(cells)
	}
	sortCells(cells)
	return cells, nil
}

// fieldColumn is the column a group or counted field reads ("" for none), and whether its values
// are types to fold into categories.
func fieldColumn(field string) (string, bool, error) {
	if field == "" {
		return "''", false, nil
	}
	col, isCat, err := schema.GroupColumn(field)
	if err != nil {
		return "", false, err
	}
	return col.Name, isCat, nil
}

// bucketExpr numbers buckets in the database and keeps only rows inside them, as Buckets.Index
// does. Millisecond-aligned buckets (every interval a user can type) use integer division; any
// other start or step falls back to exact numeric arithmetic on nanoseconds.
func bucketExpr(b aggregate.Buckets, cond string, args []any) (string, string, []any) {
	if b.N <= 0 || b.Step <= 0 {
		return "0", cond, args
	}
	startNS := b.Start.UnixNano()
	end := b.End()
	args = append(args, sqlwhere.CeilMillis(b.Start), sqlwhere.CeilMillis(end))
	cond += fmt.Sprintf(" AND date_ms >= $%d AND date_ms < $%d", len(args)-1, len(args))
	if b.Step%time.Millisecond == 0 && startNS%int64(time.Millisecond) == 0 {
		args = append(args, sqlwhere.Millis(b.Start), int64(b.Step/time.Millisecond))
		return fmt.Sprintf("((date_ms - $%d) / $%d)::integer", len(args)-1, len(args)), cond, args
	}
	args = append(args, fmt.Sprint(startNS), fmt.Sprint(int64(b.Step)))
	return fmt.Sprintf("floor((date_ms::numeric * 1000000 - $%d::numeric) / $%d::numeric)::integer", len(args)-1, len(args)), cond, args
}

// mergeCells adds up cells that became equal when types were folded into categories.
func mergeCells(cells []aggregate.Cell) []aggregate.Cell {
	type key struct {
		b    int
		g, v string
	}
	index := make(map[key]int, len(cells))
	out := cells[:0]
	for _, c := range cells {
		k := key{c.Bucket, c.Group, c.Value}
		i, ok := index[k]
		if !ok {
			index[k] = len(out)
			out = append(out, c)
			continue
		}
		m := &out[i]
		m.N += c.N
		if c.First.Before(m.First) {
			m.First = c.First
		}
		if c.Last.After(m.Last) {
			m.Last = c.Last
		}
	}
	return out
}

// sortCells orders cells by bucket, group and value, so answers never depend on the plan.
func sortCells(cells []aggregate.Cell) {
	slices.SortFunc(cells, func(a, b aggregate.Cell) int {
		return cmp.Or(cmp.Compare(a.Bucket, b.Bucket), cmp.Compare(a.Group, b.Group), cmp.Compare(a.Value, b.Value))
	})
}
