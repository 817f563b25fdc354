package auth0

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// SharedBudget is a request budget held outside this process, so several plugin processes (Grafana
// replicas behind a load balancer) together never exceed the tenant's requests per minute. Take
// reserves one request at priority p and says how long to wait before sending it; reservations
// are final, so a caller that gives up still counts. The store's PostgreSQL engine is one.
type SharedBudget interface {
	Take(ctx context.Context, rpm int, p Priority) (wait time.Duration, err error)
}

// sharedHolder boxes the interface for an atomic pointer.
type sharedHolder struct{ b SharedBudget }

// ShareBudget makes every request of this Client's tenant, from any Client of it in this process,
// also take its turn from b; nil goes back to this process's budget alone.
func (c *Client) ShareBudget(b SharedBudget) {
	if b == nil {
		c.tenant.shared.Store(nil)
		return
	}
	c.tenant.shared.Store(&sharedHolder{b: b})
}

// takeShared waits for the shared budget after the process's own gate let the request go: the
// gate keeps alerts ahead of panels ahead of the tail within this process, and the shared
// budget's reserves keep them in that order across processes.
func (c *Client) takeShared(ctx context.Context, p Priority) error {
	h := c.tenant.shared.Load()
	if h == nil {
		return nil
	}
	rpm := c.tenant.gate.rate()
	wait, err := h.b.Take(ctx, rpm, p)
	if err != nil {
		if ctx.Err() != nil {
			return ctxError("waiting for the request budget shared with the other replicas", ctx)
		}
		return fmt.Errorf("cannot take a turn from the request budget shared with the other Grafana replicas: %w", err)
	}
	if wait <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
		return &LimitError{Kind: LimitDataSource, RequestsPerMinute: rpm, Wait: wait}
	}
	if err := c.sleep(ctx, wait); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return &LimitError{Kind: LimitDataSource, RequestsPerMinute: rpm}
		}
		return ctxError("waiting for the request budget shared with the other replicas", ctx)
	}
	return nil
}

// rate is the requests-per-minute setting the gate enforces now.
func (g *gate) rate() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rpm
}
