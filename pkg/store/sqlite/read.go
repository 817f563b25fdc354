package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlwhere"
)

// State reads the tenant's segments and counters. A tenant never committed has the zero State.
func (e *Engine) State(ctx context.Context, tenant string) (store.State, error) {
	if e.closed.Load() {
		return store.State{}, store.ErrClosed
	}
	st, err := e.state(ctx, tenant)
	return st, e.wrap("read the state", err)
}

func (e *Engine) state(ctx context.Context, tenant string) (store.State, error) {
	var st store.State
	tid, ok, err := e.tenantID(ctx, e.r, tenant, false)
	if err != nil || !ok {
		return st, err
	}
	var doc string
	var all int64
	err = e.r.QueryRowContext(ctx, "SELECT segments, conflicts, events, (SELECT SUM(events) FROM tenants) FROM tenants WHERE id = ?", tid).
		Scan(&doc, &st.Conflicts, &st.Events, &all)
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal([]byte(doc), &st.Segments); err != nil {
		return st, fmt.Errorf("%w: the tenant's segments are not valid JSON: %v", ErrDamaged, err)
	}
	if st.Events > 0 {
		// Two lookups at the ends of the (tenant, date) index, not a scan.
		var oldest, newest int64
		if err := e.r.QueryRowContext(ctx, "SELECT (SELECT MIN(date_ms) FROM events WHERE tenant = ?1), "+
			"(SELECT MAX(date_ms) FROM events WHERE tenant = ?1)", tid).Scan(&oldest, &newest); err != nil {
			return st, err
		}
		st.Oldest, st.Newest = time.UnixMilli(oldest).UTC(), time.UnixMilli(newest).UTC()
	}
	used, err := usedBytes(ctx, e.r)
	if err != nil {
		return st, err
	}
	if all > 0 {
		// Tenants share the file and its indexes; their share of events is their share of bytes.
		st.Bytes = used * st.Events / all
	}
	return st, nil
}

// selection writes the WHERE clause of a selection: tenant, date range and filter.
func selection(tid int64, s store.Selection) (string, []any, error) {
	where := "tenant = ?"
	args := []any{tid}
	if !s.From.IsZero() {
		where += " AND " + sqlwhere.DateColumn + " >= ?"
		args = append(args, sqlwhere.CeilMillis(s.From))
	}
	if !s.To.IsZero() {
		where += " AND " + sqlwhere.DateColumn + " < ?"
		args = append(args, sqlwhere.CeilMillis(s.To))
	}
	if s.Filter != nil {
		cond, fargs, err := sqlwhere.Where(s.Filter, sqlwhere.SQLite, schema, len(args))
		if err != nil {
			return "", nil, err
		}
		where += " AND " + cond
		args = append(args, fargs...)
	}
	return where, args, nil
}

// Scan calls fn with each selected event, newest first (date, then log_id, descending).
func (e *Engine) Scan(ctx context.Context, tenant string, q store.ScanQuery, fn func(*event.Event) error) error {
	if e.closed.Load() {
		return store.ErrClosed
	}
	tid, ok, err := e.tenantID(ctx, e.r, tenant, false)
	if err != nil || !ok {
		return e.wrap("scan", err)
	}
	where, args, err := selection(tid, q.Selection)
	if err != nil {
		return err
	}
	query := "SELECT " + selectColumns + " FROM events WHERE " + where + " ORDER BY date_ms DESC, log_id DESC"
	if q.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, q.Limit)
	}
	rows, err := e.r.QueryContext(ctx, query, args...)
	if err != nil {
		return e.wrap("scan", err)
	}
	defer rows.Close()
	c := e.codec.Load()
	s := newScanned()
	for rows.Next() {
		if err := rows.Scan(s.targets()...); err != nil {
			return e.wrap("scan", err)
		}
		if e.codecStale(c, s.raw) {
			c = e.codec.Load()
		}
		ev, err := e.event(ctx, c, s)
		if err != nil {
			return e.wrap("scan", err)
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	return e.wrap("scan", rows.Err())
}

// codecStale reports whether a frame names a dictionary newer than c knows: a commit that made
// one landed while this read ran.
func (e *Engine) codecStale(c *codec, frame []byte) bool {
	var h zstd.Header
	if h.Decode(frame) != nil || h.DictionaryID == 0 {
		return false
	}
	_, ok := c.dicts[h.DictionaryID]
	return !ok
}

// DeleteUser removes every stored event of one user (an erasure request).
func (e *Engine) DeleteUser(ctx context.Context, tenant, userID string) (int64, error) {
	if e.closed.Load() {
		return 0, store.ErrClosed
	}
	e.wmu.Lock()
	defer e.wmu.Unlock()
	n, err := e.deleteWhere(ctx, tenant, "user_id = ?", userID)
	return n, e.wrap("delete a user's events", err)
}

// deleteWhere deletes a tenant's events matching cond and keeps the tenant's count true.
func (e *Engine) deleteWhere(ctx context.Context, tenant, cond string, args ...any) (int64, error) {
	tid, ok, err := e.tenantID(ctx, e.r, tenant, false)
	if err != nil || !ok {
		return 0, err
	}
	tx, err := e.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback() }()
	args = append([]any{tid}, args...)
	minutes, err := minutesOf(ctx, tx, "SELECT date_ms FROM events WHERE tenant = ? AND "+cond, args)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM events WHERE tenant = ? AND "+cond, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if err := rollupRebuild(ctx, tx, tid, minutes); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE tenants SET events = events - ? WHERE id = ?", n, tid); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// minutesOf collects the minutes of the dates a query returns.
func minutesOf(ctx context.Context, tx *sql.Tx, query string, args []any) (map[int64]bool, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	minutes := map[int64]bool{}
	for rows.Next() {
		var ms int64
		if err := rows.Scan(&ms); err != nil {
			return nil, err
		}
		minutes[floorDiv(ms, minuteMs)] = true
	}
	return minutes, rows.Err()
}
