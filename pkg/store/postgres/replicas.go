package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// heartbeat records this replica as alive and counts the replicas seen within three heartbeats,
// the number the budget divides by if the database becomes unreachable.
func (e *Engine) heartbeat(ctx context.Context) error {
	var n int
	err := pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO replicas (id, seen_at) VALUES ($1, clock_timestamp())
			ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at`, e.replica); err != nil {
			return err
		}
		// Replicas gone for a day are forgotten, so the table stays the size of the fleet.
		if _, err := tx.Exec(ctx, "DELETE FROM replicas WHERE seen_at < clock_timestamp() - interval '1 day'"); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT count(*) FROM replicas WHERE seen_at > clock_timestamp() - $1 * interval '1 microsecond'",
			(3 * e.beat).Microseconds()).Scan(&n)
	})
	if err != nil {
		return e.scrub.classify("recording this replica's heartbeat", err)
	}
	e.budget.setReplicas(n)
	return nil
}

func (e *Engine) heartbeatLoop() {
	defer e.wg.Done()
	t := time.NewTicker(e.beat)
	defer t.Stop()
	for {
		select {
		case <-e.ctx.Done():
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(e.ctx, e.beat)
			if err := e.heartbeat(ctx); err != nil && e.ctx.Err() == nil {
				e.log.Warn("PostgreSQL store: heartbeat failed", "error", err.Error())
			}
			cancel()
		}
	}
}

// Replica is one Grafana replica's plugin process as the replicas table last saw it.
type Replica struct {
	ID     string
	SeenAt time.Time
}

// Status is what Save & test shows of the shared store on any replica.
type Status struct {
	// Self is this replica's id.
	Self string
	// Lease is the tenant's tail lease; Holder is "" when no replica ever held it.
	Lease Lease
	// Replicas are those seen within three heartbeats, newest first.
	Replicas []Replica
	// BudgetLocal is set while the database is unreachable for the budget: it says what this
	// replica limits itself to instead.
	BudgetLocal string
}

// Status reads the lease and the replicas. It returns what it knows with the error when the
// database cannot be asked, so Save & test can still show the budget's fallback.
func (e *Engine) Status(ctx context.Context, tenant string) (Status, error) {
	st := Status{Self: e.replica}
	_, st.BudgetLocal = e.budget.status()
	if err := e.check(); err != nil {
		return st, err
	}
	tid, ok, err := e.tenantID(ctx, tenant, false)
	if err != nil {
		return st, err
	}
	if ok {
		if st.Lease, err = e.lease(ctx, tid); err != nil {
			return st, err
		}
	}
	rows, err := e.pool.Query(ctx, `SELECT id, seen_at FROM replicas
		WHERE seen_at > clock_timestamp() - $1 * interval '1 microsecond' ORDER BY seen_at DESC, id`,
		(3 * e.beat).Microseconds())
	if err != nil {
		return st, e.scrub.classify("reading the replicas", err)
	}
	var r Replica
	_, err = pgx.ForEachRow(rows, []any{&r.ID, &r.SeenAt}, func() error {
		r.SeenAt = r.SeenAt.UTC()
		st.Replicas = append(st.Replicas, r)
		return nil
	})
	if err != nil {
		return st, e.scrub.classify("reading the replicas", err)
	}
	return st, nil
}
