package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlwhere"
)

// DeleteUser removes one user's events (an erasure request) from any replica: it needs no lease,
// because it only deletes, and the tenant row's lock orders it with the tail's commits.
func (e *Engine) DeleteUser(ctx context.Context, tenant, userID string) (int64, error) {
	if err := e.check(); err != nil {
		return 0, err
	}
	if userID == "" {
		return 0, errors.New("no user_id given: name the user whose events to delete")
	}
	tid, ok, err := e.tenantID(ctx, tenant, false)
	if err != nil || !ok {
		return 0, err
	}
	var n int64
	err = pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE", tid); err != nil {
			return err
		}
		var size int64
		err := tx.QueryRow(ctx, `WITH d AS (DELETE FROM events WHERE tenant_id = $1 AND user_id = $2 RETURNING size)
			SELECT count(*), coalesce(sum(size), 0) FROM d`, tid, userID).Scan(&n, &size)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE tenants SET events = events - $2, bytes = bytes - $3 WHERE id = $1", tid, n, size)
		return err
	})
	if err != nil {
		return 0, e.scrub.classify("deleting the user's events", err)
	}
	return n, nil
}

// Evict deletes events dated before `before`, then the oldest whole milliseconds of events until
// the tenant holds at most maxBytes, and trims the segments to the time still held.
func (e *Engine) Evict(ctx context.Context, tenant string, before time.Time, maxBytes int64) (int64, error) {
	if err := e.check(); err != nil {
		return 0, err
	}
	tid, ok, err := e.tenantID(ctx, tenant, false)
	if err != nil || !ok {
		return 0, err
	}
	var total int64
	err = pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
		var segJSON []byte
		var bytes int64
		if err := tx.QueryRow(ctx, "SELECT segments, bytes FROM tenants WHERE id = $1 FOR UPDATE", tid).Scan(&segJSON, &bytes); err != nil {
			return err
		}
		cut := before
		n, size, err := deleteBefore(ctx, tx, tid, sqlwhere.CeilMillis(before))
		if err != nil {
			return err
		}
		var removed int64
		total, removed = n, size
		bytes -= size
		if maxBytes > 0 && bytes > maxBytes {
			var last *int64
			// The newest millisecond whose events, with all newer ones, exceed the cap: it and
			// everything older goes.
			err := tx.QueryRow(ctx, `SELECT date_ms FROM (
				SELECT date_ms, sum(size) OVER (ORDER BY date_ms DESC, log_id DESC) AS held
				FROM events WHERE tenant_id = $1) x
				WHERE held > $2 ORDER BY date_ms DESC LIMIT 1`, tid, maxBytes).Scan(&last)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if last != nil {
				n, size, err := deleteBefore(ctx, tx, tid, *last+1)
				if err != nil {
					return err
				}
				total, removed = total+n, removed+size
				cut = laterOf(cut, time.UnixMilli(*last+1).UTC())
			}
		}
		var held []store.Segment
		if err := json.Unmarshal(segJSON, &held); err != nil {
			return err
		}
		segJSON, err = json.Marshal(store.TrimSegments(held, cut))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE tenants SET segments = $2, events = events - $3, bytes = bytes - $4 WHERE id = $1",
			tid, segJSON, total, removed)
		return err
	})
	if err != nil {
		return 0, e.scrub.classify("evicting old events", err)
	}
	return total, nil
}

func deleteBefore(ctx context.Context, tx pgx.Tx, tid int32, ms int64) (n, size int64, err error) {
	err = tx.QueryRow(ctx, `WITH d AS (DELETE FROM events WHERE tenant_id = $1 AND date_ms < $2 RETURNING size)
		SELECT count(*), coalesce(sum(size), 0) FROM d`, tid, ms).Scan(&n, &size)
	return n, size, err
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
