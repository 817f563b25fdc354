package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Priority orders requests for the shared budget: a higher one may dig deeper into the bucket.
type Priority int

// Priorities, lowest first.
const (
	// Background is the tail and its backfill: it leaves a reserve for everything else.
	Background Priority = iota
	// Interactive is a panel's or Explore's read of a range the store does not cover.
	Interactive
	// Alert is an alert rule's read: it may take the last token.
	Alert
)

// reserve is how many tokens a priority leaves in the bucket for higher ones. With a full burst of
// 10, an alert can jump four requests ahead of a queued backfill and two ahead of a panel.
func (p Priority) reserve(burst float64) float64 {
	switch p {
	case Background:
		return math.Ceil(burst * 0.4)
	case Interactive:
		return math.Ceil(burst * 0.2)
	}
	return 0
}

// budgetTimeout bounds one Take's round trip; past it the database counts as unreachable and
// this replica falls back to its own share.
const budgetTimeout = 2 * time.Second

// Take reserves one Auth0 request from the tenant's budget, shared by every replica through a
// token bucket row: burst min(10, rpm), refilled at rpm a minute by the database's clock, as the
// in-process limiter does. The caller must wait the returned duration before sending; waits are
// reservations, so N replicas together never exceed one limiter's rate. When the database
// cannot be reached, the replica falls back to a local limiter at rpm divided by the replicas
// last seen, logs that it does and Status says so, and never to the whole budget.
func (e *Engine) Take(ctx context.Context, tenant string, rpm int, p Priority) (time.Duration, error) {
	if err := e.check(); err != nil {
		return 0, err
	}
	if rpm <= 0 {
		return 0, fmt.Errorf("requests per minute must be positive, got %d: set the data source's request budget", rpm)
	}
	qctx, cancel := context.WithTimeout(ctx, budgetTimeout)
	defer cancel()
	wait, err := e.takeShared(qctx, tenant, rpm, p)
	if err == nil {
		e.budget.shared(e)
		return wait, nil
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	if !unreachable(err) {
		return 0, err
	}
	return e.budget.takeLocal(e, tenant, rpm, err), nil
}

func (e *Engine) takeShared(ctx context.Context, tenant string, rpm int, p Priority) (time.Duration, error) {
	tid, _, err := e.tenantID(ctx, tenant, true)
	if err != nil {
		return 0, err
	}
	burst := float64(min(10, rpm))
	perSec := float64(rpm) / 60
	var after float64
	// One statement refills by the time since the last take (the database's clock, read once)
	// and debits one token, so concurrent replicas serialise on the row.
	err = e.pool.QueryRow(ctx, `WITH now AS (SELECT clock_timestamp() AS t)
		INSERT INTO budgets AS b (tenant_id, tokens, updated_at) SELECT $1, $2 - 1, t FROM now
		ON CONFLICT (tenant_id) DO UPDATE SET
			tokens = least($2, b.tokens + greatest(0, extract(epoch FROM EXCLUDED.updated_at - b.updated_at)::float8) * $3) - 1,
			updated_at = greatest(b.updated_at, EXCLUDED.updated_at)
		RETURNING tokens`, tid, burst, perSec).Scan(&after)
	if err != nil {
		return 0, e.scrub.classify("taking from the shared request budget", err)
	}
	short := p.reserve(burst) - after
	if short <= 0 {
		return 0, nil
	}
	return time.Duration(short / perSec * float64(time.Second)), nil
}

// localBudget is the fallback while the database is unreachable.
type localBudget struct {
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	replicas int    // replicas seen at the last heartbeat, this one included
	reason   string // why the budget is local; "" while shared
}

func (b *localBudget) init() {
	b.limiters = map[string]*rate.Limiter{}
	b.replicas = 1
}

func (b *localBudget) setReplicas(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.replicas = max(n, 1)
}

// shared records that the database answered again.
func (b *localBudget) shared(e *Engine) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.reason != "" {
		e.log.Warn("PostgreSQL reachable again: the Auth0 request budget is shared across replicas once more")
		b.reason = ""
		clear(b.limiters)
	}
}

// takeLocal reserves from this replica's share, rpm / replicas last seen.
func (b *localBudget) takeLocal(e *Engine, tenant string, rpm int, cause error) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	share := float64(rpm) / float64(b.replicas)
	if b.reason == "" {
		b.reason = fmt.Sprintf("PostgreSQL is unreachable (%v); this replica limits itself to %.3g requests a minute, %d divided by the %d replicas last seen",
			errorText(cause), share, rpm, b.replicas)
		e.log.Warn("Auth0 request budget falls back to this replica's share", "reason", b.reason)
	}
	l := b.limiters[tenant]
	if l == nil || l.Limit() != rate.Limit(share/60) {
		l = rate.NewLimiter(rate.Limit(share/60), 1)
		b.limiters[tenant] = l
	}
	return l.Reserve().Delay()
}

func (b *localBudget) status() (replicas int, reason string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.replicas, b.reason
}

func errorText(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return string(e.Problem)
	}
	return "no answer"
}
