package store

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Leaser is an engine shared by several processes (Grafana replicas): a tenant's tail may then run
// in one process only, the one holding the tenant's lease. The lease's expiry is set by the
// engine's clock, not this process's, and its epoch changes whenever it passes to another holder;
// the tail puts the epoch in every Batch.Fence, so a holder that lost the lease (a pause, a network
// split) has every commit refused with ErrFenced. The embedded engine is not a Leaser: one process
// owns its file, and the registry runs its tails unconditionally.
type Leaser interface {
	// ReplicaID names this process as a lease holder.
	ReplicaID() string
	// AcquireLease takes the lease for holder when it is free, expired or already holder's, for
	// ttl; held is false (and no error) when another holder has it.
	AcquireLease(ctx context.Context, tenant, holder string, ttl time.Duration) (epoch int64, held bool, err error)
	// RenewLease extends holder's lease at epoch; false means it is lost and writing must stop.
	RenewLease(ctx context.Context, tenant, holder string, epoch int64, ttl time.Duration) (bool, error)
	// ReleaseLease ends holder's lease at once, so another process takes over without waiting.
	ReleaseLease(ctx context.Context, tenant, holder string, epoch int64) error
}

// DefaultLeaseTTL is how long a lease outlives its holder's last renewal. Renewals come every
// third of it and other processes try to take it as often, so a dead or frozen holder is replaced
// within TTL plus a third of it (20 s), under the 30 s the replicas promise, while a holder needs
// to miss two renewals in a row (10 s of database trouble) before it loses the lease.
const DefaultLeaseTTL = 15 * time.Second

// maxLeaseRetry caps how long a process without the lease waits between attempts to take it.
const maxLeaseRetry = 5 * time.Second

// LeaseStatus is this process's standing on a tenant's lease, for Save & test.
type LeaseStatus struct {
	// Leased is false for an engine without leases: the tail simply runs here.
	Leased bool `json:"leased"`
	// Holding is true while this process holds the lease and runs the tail; Epoch is the epoch it
	// holds or last held.
	Holding bool  `json:"holding"`
	Epoch   int64 `json:"epoch,omitempty"`
	// Terms counts the lease terms this process has held; Lost counts those that ended because
	// another holder took over or a commit was fenced.
	Terms int64 `json:"terms"`
	Lost  int64 `json:"lost"`
	// LastError is the latest failure to take or renew the lease; "" once one succeeds.
	LastError string `json:"lastError,omitempty"`
}

// leaseState is an entry's lease bookkeeping, guarded by its own mutex so Status never waits
// for the lease loop.
type leaseState struct {
	mu sync.Mutex
	st LeaseStatus
}

func (l *leaseState) update(f func(*LeaseStatus)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f(&l.st)
}

func (l *leaseState) get() LeaseStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st
}

// runLeased runs e's tail only while this process holds the tenant's lease: take it, run a tail
// fenced with its epoch, renew every third of the ttl, and on a refused renewal or a fenced commit
// stop the tail and go back to taking it. It returns when ctx ends, releasing a lease it holds.
func (r *Registry) runLeased(ctx context.Context, e *entry, l Leaser) {
	holder := l.ReplicaID()
	ttl := r.leaseTTL
	retry := min(ttl/3, maxLeaseRetry)
	e.lease.update(func(s *LeaseStatus) { s.Leased = true })
	for ctx.Err() == nil {
		cfg := e.config()
		epoch, held, err := l.AcquireLease(ctx, cfg.Tenant, holder, ttl)
		if ctx.Err() != nil {
			return
		}
		e.lease.update(func(s *LeaseStatus) { s.LastError = errorText(err) })
		if err != nil || !held {
			r.sleep(ctx, retry)
			continue
		}
		cfg.Fence = epoch
		tail, err := NewTail(cfg)
		if err != nil {
			e.lease.update(func(s *LeaseStatus) { s.LastError = err.Error() })
			r.sleep(ctx, retry)
			continue
		}
		e.setTail(tail)
		e.lease.update(func(s *LeaseStatus) { s.Holding, s.Epoch, s.Terms = true, epoch, s.Terms+1 })
		lost := r.holdLease(ctx, e, l, tail, holder, epoch, ttl)
		e.lease.update(func(s *LeaseStatus) {
			s.Holding = false
			if lost {
				s.Lost++
			}
		})
		if !lost {
			// ctx ended: hand the lease over at once rather than after its ttl.
			rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = l.ReleaseLease(rctx, cfg.Tenant, holder, epoch)
			cancel()
			return
		}
		tail.config().Logger.Warn("tenant log tail: the lease passed to another replica; this one stops tailing and answers from the shared store",
			"tenant", cfg.Tenant, "epoch", epoch)
	}
}

// holdLease runs tail for one lease term and reports whether the term ended because the lease
// was lost (true) or because ctx ended (false).
func (r *Registry) holdLease(ctx context.Context, e *entry, l Leaser, tail *Tail, holder string, epoch int64, ttl time.Duration) bool {
	term, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- tail.Run(term) }()
	// The local deadline is when the lease surely expired by the engine's clock too, whatever
	// the renewals' errors: the tail stops then, as its commits would be fenced anyway.
	deadline := r.clock.Now().Add(ttl)
	for {
		timer := r.clock.NewTimer(ttl / 3)
		select {
		case <-ctx.Done():
			timer.Stop()
			stop()
			<-done
			return false
		case err := <-done:
			timer.Stop()
			if ctx.Err() != nil && !errors.Is(err, ErrFenced) {
				return false
			}
			// Run ends on its own only when a commit was fenced.
			return true
		case <-timer.C():
		}
		ok, err := l.RenewLease(term, tail.config().Tenant, holder, epoch, ttl)
		e.lease.update(func(s *LeaseStatus) { s.LastError = errorText(err) })
		switch {
		case err == nil && ok:
			deadline = r.clock.Now().Add(ttl)
			continue
		case err != nil && r.clock.Now().Before(deadline):
			continue
		}
		stop()
		<-done
		return ctx.Err() == nil
	}
}

// sleep waits d on the registry's clock or until ctx ends.
func (r *Registry) sleep(ctx context.Context, d time.Duration) {
	t := r.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C():
	}
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
