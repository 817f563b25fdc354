package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlwhere"
)

// The rollup table counts events per tenant, minute and type. Every write to events keeps it
// exact in the same transaction: commits add to it, deletions rebuild the minutes they touched.

const minuteMs = int64(time.Minute / time.Millisecond)

// floorDiv divides rounding toward minus infinity, as minutes of dates before 1970 need.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

type rollKey struct {
	minute int64
	typ    string
}

type rollVal struct{ n, first, last int64 }

// rollupAdd adds a commit's stored events to the counts.
func rollupAdd(ctx context.Context, tx *sql.Tx, tid int64, counts map[rollKey]*rollVal) error {
	if len(counts) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO rollup (tenant, minute, type, n, first, last) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET n = n + excluded.n, first = MIN(first, excluded.first), last = MAX(last, excluded.last)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for k, v := range counts {
		if _, err := stmt.ExecContext(ctx, tid, k.minute, k.typ, v.n, v.first, v.last); err != nil {
			return err
		}
	}
	return nil
}

func countInto(counts map[rollKey]*rollVal, dateMs int64, typ string) {
	k := rollKey{floorDiv(dateMs, minuteMs), typ}
	if v, ok := counts[k]; ok {
		v.n++
		v.first, v.last = min(v.first, dateMs), max(v.last, dateMs)
		return
	}
	counts[k] = &rollVal{1, dateMs, dateMs}
}

// rollupRebuild recounts the given minutes from the events that remain.
func rollupRebuild(ctx context.Context, tx *sql.Tx, tid int64, minutes map[int64]bool) error {
	for m := range minutes {
		if _, err := tx.ExecContext(ctx, "DELETE FROM rollup WHERE tenant = ? AND minute = ?", tid, m); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rollup (tenant, minute, type, n, first, last)
			SELECT tenant, ?, type, COUNT(*), MIN(date_ms), MAX(date_ms) FROM events
			WHERE tenant = ? AND date_ms >= ? AND date_ms < ? GROUP BY tenant, type`,
			m, tid, m*minuteMs, (m+1)*minuteMs); err != nil {
			return err
		}
	}
	return nil
}

// rollupTypes says whether the rollup can answer q over sel: a count (no Of), grouped by nothing,
// type or category, filtered by nothing or by types only, in buckets of whole minutes. types is
// nil for every type.
func rollupTypes(q store.AggQuery, sel store.Selection) (types []string, ok bool) {
	if q.Of != "" || q.Group != "" && q.Group != "type" && q.Group != sqlwhere.CategoryField ||
		q.Buckets.N > 0 && q.Buckets.Step%time.Minute != 0 || sel.From.IsZero() || sel.To.IsZero() {
		return nil, false
	}
	switch f := sel.Filter.(type) {
	case nil:
		return nil, true
	case *logquery.TermNode:
		return []string{f.Value}, f != nil && f.Field == "type"
	case *logquery.OrNode:
		if f == nil {
			return nil, false
		}
		for _, c := range f.Nodes {
			t, isTerm := c.(*logquery.TermNode)
			if !isTerm || t == nil || t.Field != "type" {
				return nil, false
			}
			types = append(types, t.Value)
		}
		return types, len(types) > 0
	}
	return nil, false
}

// rollupQuery counts minutes [lo, hi) from the rollup, in the same columns as the events query.
func rollupQuery(tid int64, lo, hi int64, types []string, bucketed bool, startMs, stepMs int64, group keyColumn) (string, []any) {
	bucket, args := "0", []any{}
	if bucketed {
		bucket = "(minute * 60000 - ?) / ?"
		args = append(args, startMs, stepMs)
	}
	g := "''"
	if group.expr != "''" {
		g = "type"
	}
	where := "tenant = ? AND minute >= ? AND minute < ?"
	args = append(args, tid, lo, hi)
	if len(types) > 0 {
		where += " AND type IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(types)), ", ") + ")"
		for _, t := range types {
			args = append(args, t)
		}
	}
	return "SELECT " + bucket + ", " + g + ", '', SUM(n), MIN(first), MAX(last) FROM rollup WHERE " + where +
		" GROUP BY 1, 2", args
}
