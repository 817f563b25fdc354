package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The lease is a row, not an advisory lock: a session lock lives on one pooled connection and
// vanishes silently when that connection is replaced, while the row's expiry is set by the
// database's clock and its epoch is checked by every commit in the commit's own transaction. An
// epoch changes every time the lease passes to a holder that did not hold it unexpired, so a
// matching epoch names the holder too.

// AcquireLease takes the tenant's tail lease for holder when it is free, expired, or already
// holder's, for ttl from the database's now. It returns the epoch to put in every Batch.Fence and
// whether holder now holds it; when another holder does, epoch is theirs and held is false.
func (e *Engine) AcquireLease(ctx context.Context, tenant, holder string, ttl time.Duration) (epoch int64, held bool, err error) {
	if err := e.check(); err != nil {
		return 0, false, err
	}
	if holder == "" || ttl <= 0 {
		return 0, false, errors.New("a lease needs a holder id and a positive ttl")
	}
	tid, _, err := e.tenantID(ctx, tenant, true)
	if err != nil {
		return 0, false, err
	}
	err = pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
		// A commit in flight holds the row; waiting for it is right (its writes belong to the old
		// epoch), but not forever.
		if _, err := tx.Exec(ctx, "SELECT set_config('lock_timeout', '5s', true)"); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO leases AS l (tenant_id, holder, epoch, expires_at)
			VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 microsecond')
			ON CONFLICT (tenant_id) DO UPDATE SET holder = EXCLUDED.holder,
				epoch = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > clock_timestamp()
					THEN l.epoch ELSE l.epoch + 1 END,
				expires_at = EXCLUDED.expires_at
			WHERE l.expires_at <= clock_timestamp() OR l.holder = EXCLUDED.holder
			RETURNING epoch`, tid, holder, ttl.Microseconds()).Scan(&epoch)
		if err == nil {
			held = true
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		return tx.QueryRow(ctx, "SELECT epoch FROM leases WHERE tenant_id = $1", tid).Scan(&epoch)
	})
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "55P03" { // lock_not_available: the holder is committing
		return 0, false, nil
	}
	if err != nil {
		return 0, false, e.scrub.classify("taking the tail lease", err)
	}
	return epoch, held, nil
}

// RenewLease extends holder's lease at epoch by ttl from the database's now. It reports false when
// the lease expired or passed to another holder: the caller must stop writing and acquire again,
// which gives a new epoch.
func (e *Engine) RenewLease(ctx context.Context, tenant, holder string, epoch int64, ttl time.Duration) (bool, error) {
	if err := e.check(); err != nil {
		return false, err
	}
	tid, ok, err := e.tenantID(ctx, tenant, false)
	if err != nil || !ok {
		return false, err
	}
	tag, err := e.pool.Exec(ctx, `UPDATE leases SET expires_at = clock_timestamp() + $4 * interval '1 microsecond'
		WHERE tenant_id = $1 AND holder = $2 AND epoch = $3 AND expires_at > clock_timestamp()`,
		tid, holder, epoch, ttl.Microseconds())
	if err != nil {
		return false, e.scrub.classify("renewing the tail lease", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseLease ends holder's lease at once, so another replica takes over without waiting for the
// expiry (a clean shutdown). Releasing a lease no longer held is not an error.
func (e *Engine) ReleaseLease(ctx context.Context, tenant, holder string, epoch int64) error {
	if err := e.check(); err != nil {
		return err
	}
	tid, ok, err := e.tenantID(ctx, tenant, false)
	if err != nil || !ok {
		return err
	}
	_, err = e.pool.Exec(ctx, `UPDATE leases SET expires_at = clock_timestamp()
		WHERE tenant_id = $1 AND holder = $2 AND epoch = $3 AND expires_at > clock_timestamp()`, tid, holder, epoch)
	if err != nil {
		return e.scrub.classify("releasing the tail lease", err)
	}
	return nil
}

// Lease is the tail lease as Save & test shows it.
type Lease struct {
	Holder    string
	Epoch     int64
	ExpiresAt time.Time
	// Live is whether it was unexpired by the database's clock when read.
	Live bool
}

func (e *Engine) lease(ctx context.Context, tid int32) (Lease, error) {
	var l Lease
	err := e.pool.QueryRow(ctx, `SELECT holder, epoch, expires_at, expires_at > clock_timestamp()
		FROM leases WHERE tenant_id = $1`, tid).Scan(&l.Holder, &l.Epoch, &l.ExpiresAt, &l.Live)
	if errors.Is(err, pgx.ErrNoRows) {
		return Lease{}, nil
	}
	if err != nil {
		return Lease{}, e.scrub.classify("reading the tail lease", err)
	}
	l.ExpiresAt = l.ExpiresAt.UTC()
	return l, nil
}
