package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlwhere"
)

// maxEvictRounds bounds the size-cap loop: each round deletes what the average event size says
// should be enough, then measures again.
const maxEvictRounds = 8

// Evict removes the tenant's events dated before `before` (zero: none), then its oldest events
// until the file's data fits in maxBytes (0: no cap), trimming the segments so coverage never
// claims evicted time, and gives the freed pages back to the disk.
func (e *Engine) Evict(ctx context.Context, tenant string, before time.Time, maxBytes int64) (int64, error) {
	if e.closed.Load() {
		return 0, store.ErrClosed
	}
	e.wmu.Lock()
	defer e.wmu.Unlock()
	n, err := e.evict(ctx, tenant, before, maxBytes)
	return n, e.wrap("evict", err)
}

func (e *Engine) evict(ctx context.Context, tenant string, before time.Time, maxBytes int64) (int64, error) {
	tid, ok, err := e.tenantID(ctx, e.r, tenant, false)
	if err != nil || !ok {
		return 0, err
	}
	var total int64
	if !before.IsZero() {
		if total, err = e.deleteOlder(ctx, tid, before); err != nil {
			return total, err
		}
	}
	for round := 0; maxBytes > 0 && round < maxEvictRounds; round++ {
		if err := e.shrink(ctx); err != nil {
			return total, err
		}
		used, err := usedBytes(ctx, e.w)
		if err != nil || used <= maxBytes {
			return total, err
		}
		var all, mine int64
		if err := e.w.QueryRowContext(ctx, "SELECT SUM(events), SUM(CASE WHEN id = ? THEN events END) FROM tenants", tid).
			Scan(&all, &mine); err != nil || mine == 0 {
			return total, err
		}
		// Delete what the average size says is over, and a tenth more so rounds stay few.
		k := min(mine, (used-maxBytes)*all/used*11/10+1)
		var cut int64
		if err := e.w.QueryRowContext(ctx, "SELECT date_ms FROM events WHERE tenant = ? ORDER BY date_ms LIMIT 1 OFFSET ?",
			tid, k-1).Scan(&cut); err != nil {
			return total, err
		}
		n, err := e.deleteOlder(ctx, tid, time.UnixMilli(cut+1).UTC())
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, e.shrink(ctx)
}

// deleteOlder deletes events dated before t and trims the segments to start there, in one
// transaction, so coverage and events never disagree.
func (e *Engine) deleteOlder(ctx context.Context, tid int64, t time.Time) (int64, error) {
	tx, err := e.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback() }()
	cutMs := sqlwhere.CeilMillis(t)
	res, err := tx.ExecContext(ctx, "DELETE FROM events WHERE tenant = ? AND date_ms < ?", tid, cutMs)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	// Whole minutes before the cut go; the minute it falls in is counted again.
	cutMinute := floorDiv(cutMs, minuteMs)
	if _, err := tx.ExecContext(ctx, "DELETE FROM rollup WHERE tenant = ? AND minute < ?", tid, cutMinute); err != nil {
		return 0, err
	}
	if err := rollupRebuild(ctx, tx, tid, map[int64]bool{cutMinute: true}); err != nil {
		return 0, err
	}
	if err := trimSegments(ctx, tx, tid, t, n); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

func trimSegments(ctx context.Context, tx *sql.Tx, tid int64, before time.Time, deleted int64) error {
	var doc string
	if err := tx.QueryRowContext(ctx, "SELECT segments FROM tenants WHERE id = ?", tid).Scan(&doc); err != nil {
		return err
	}
	var held []store.Segment
	if err := json.Unmarshal([]byte(doc), &held); err != nil {
		return fmt.Errorf("%w: the tenant's segments are not valid JSON: %v", ErrDamaged, err)
	}
	out, err := json.Marshal(store.TrimSegments(held, before))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE tenants SET segments = ?, events = events - ? WHERE id = ?", string(out), deleted, tid)
	return err
}

// shrink gives free pages back to the file system and empties the write-ahead log, so that the
// size the admin sees on disk falls with eviction.
func (e *Engine) shrink(ctx context.Context) error {
	if _, err := e.w.ExecContext(ctx, "PRAGMA incremental_vacuum"); err != nil {
		return err
	}
	_, err := e.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}
