package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultGrace is how long a tail outlives its last handle. Grafana disposes a data source's old
// instance about 5 s after building the new one on a settings save, and builds instances lazily,
// so 30 s covers the handover and a quick re-open without restarting the backfill.
const DefaultGrace = 30 * time.Second

// RegistryOptions configures a Registry; the zero value uses the wall clock, DefaultGrace and
// DefaultLeaseTTL.
type RegistryOptions struct {
	Clock Clock
	Grace time.Duration
	// LeaseTTL is the lease's length for engines that are Leasers; renewals come every third of it.
	LeaseTTL time.Duration
}

// Registry gives each tenant one tail per process, however many data-source instances name it:
// Grafana rebuilds an instance on every settings save and disposes the old one seconds later, and
// two data sources may name the same tenant. Each Acquire returns a handle; the tail keeps running
// while any handle is held and for a grace period after the last is released.
type Registry struct {
	clock    Clock
	grace    time.Duration
	leaseTTL time.Duration

	mu      sync.Mutex
	tails   map[string]*entry
	closed  bool
	started atomic.Int64
}

type entry struct {
	key string
	// tail is the current lease term's tail (or the only one without a lease): swapped by the
	// lease loop, read by handles.
	tail   atomic.Pointer[Tail]
	cfgMu  sync.Mutex
	cfg    TailConfig // the latest settings, for the next lease term's tail
	lease  leaseState
	refs   int
	cancel context.CancelFunc
	done   chan struct{}
	// graceStop is closed to cancel the pending grace timer; nil when none is pending.
	graceStop chan struct{}
	// stopping is set once the grace period ran out: the tail is cancelled and may still be
	// finishing a commit.
	stopping bool
}

// NewRegistry builds an empty registry.
func NewRegistry(opts RegistryOptions) *Registry {
	if opts.Clock == nil {
		opts.Clock = SystemClock()
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	if opts.LeaseTTL <= 0 {
		opts.LeaseTTL = DefaultLeaseTTL
	}
	return &Registry{clock: opts.Clock, grace: opts.Grace, leaseTTL: opts.LeaseTTL, tails: map[string]*entry{}}
}

// ErrRegistryClosed is returned by Acquire after Close.
var ErrRegistryClosed = errors.New("the tenant log tails are shutting down: the plugin is stopping")

// Acquire returns a handle on key's tail, starting it if none runs. A tail already running (or in
// its grace period) is kept and cfg is applied to it in place: poll interval, budget and a new
// reader take effect without a restart and without a second writer. cfg.Tenant defaults to key;
// cfg.Engine is only used to start a tail, since a running tail keeps its engine. cfg.Clock
// defaults to the registry's. When the engine is a Leaser the tail runs only while this process
// holds the tenant's lease; the handle's Status still reads the shared store meanwhile.
func (r *Registry) Acquire(key string, cfg TailConfig) (*Handle, error) {
	if cfg.Tenant == "" {
		cfg.Tenant = key
	}
	if cfg.Clock == nil {
		cfg.Clock = r.clock
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	// A tail on its way out is waited for, so its last commit never overlaps the next tail's.
	for e := r.tails[key]; e != nil && e.stopping; e = r.tails[key] {
		r.mu.Unlock()
		<-e.done
		r.mu.Lock()
		if r.tails[key] == e {
			delete(r.tails, key)
		}
	}
	if r.closed {
		return nil, ErrRegistryClosed
	}
	if e := r.tails[key]; e != nil && !isDone(e.done) {
		e.refs++
		if e.graceStop != nil {
			close(e.graceStop)
			e.graceStop = nil
		}
		e.setConfig(cfg)
		e.tail.Load().Update(cfg)
		return &Handle{r: r, e: e}, nil
	}
	// Without the lease this tail never runs: it answers Status from the shared store.
	tail, err := NewTail(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &entry{key: key, refs: 1, cancel: cancel, done: make(chan struct{})}
	e.tail.Store(tail)
	e.setConfig(cfg)
	r.tails[key] = e
	r.started.Add(1)
	go func() {
		defer close(e.done)
		if l, ok := cfg.Engine.(Leaser); ok {
			r.runLeased(ctx, e, l)
			return
		}
		_ = tail.Run(ctx) // failures are in the tail's Status
	}()
	return &Handle{r: r, e: e}, nil
}

// Started counts tails started since the registry was built: a settings save that hands a tail
// over does not add one.
func (r *Registry) Started() int64 { return r.started.Load() }

// Running reports whether key has a tail that has not stopped.
func (r *Registry) Running(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.tails[key]
	return e != nil && !isDone(e.done)
}

// Close stops every tail at once, grace periods ignored, and waits for them; for plugin shutdown.
func (r *Registry) Close() {
	r.mu.Lock()
	r.closed = true
	entries := make([]*entry, 0, len(r.tails))
	for k, e := range r.tails {
		entries = append(entries, e)
		e.cancel()
		if e.graceStop != nil {
			close(e.graceStop)
			e.graceStop = nil
		}
		delete(r.tails, k)
	}
	r.mu.Unlock()
	for _, e := range entries {
		<-e.done
	}
}

func (r *Registry) release(e *entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e.refs--
	if e.refs > 0 || r.tails[e.key] != e || e.stopping {
		return
	}
	stop := make(chan struct{})
	e.graceStop = stop
	timer := r.clock.NewTimer(r.grace)
	go func() {
		select {
		case <-stop:
			timer.Stop()
		case <-timer.C():
			r.expire(e, stop)
		}
	}()
}

// expire stops e if its grace period ran out with no handle taken in between.
func (r *Registry) expire(e *entry, stop chan struct{}) {
	r.mu.Lock()
	if e.graceStop != stop || e.refs > 0 || r.tails[e.key] != e {
		r.mu.Unlock()
		return
	}
	e.graceStop, e.stopping = nil, true
	e.cancel()
	r.mu.Unlock()
	<-e.done
	r.mu.Lock()
	if r.tails[e.key] == e {
		delete(r.tails, e.key)
	}
	r.mu.Unlock()
}

func (e *entry) setConfig(cfg TailConfig) {
	e.cfgMu.Lock()
	defer e.cfgMu.Unlock()
	cfg.Fence = 0
	e.cfg = cfg
}

func (e *entry) config() TailConfig {
	e.cfgMu.Lock()
	defer e.cfgMu.Unlock()
	return e.cfg
}

func (e *entry) setTail(t *Tail) { e.tail.Store(t) }

func isDone(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// Handle is one data-source instance's hold on a tenant's tail. Release it exactly once, in the
// instance's Dispose; further calls do nothing.
type Handle struct {
	r        *Registry
	e        *entry
	released atomic.Bool
}

// Tail is the shared tail, for Status and routing: under a lease, the current term's.
func (h *Handle) Tail() *Tail { return h.e.tail.Load() }

// Status is the shared tail's health. A process without the lease reports the shared store's
// coverage and lag with Running false.
func (h *Handle) Status(ctx context.Context) (Status, error) { return h.e.tail.Load().Status(ctx) }

// Lease is this process's standing on the tenant's lease; Leased is false for an engine without
// leases.
func (h *Handle) Lease() LeaseStatus { return h.e.lease.get() }

// Release gives the handle back; the tail stops a grace period after the last one.
func (h *Handle) Release() {
	if h.released.CompareAndSwap(false, true) {
		h.r.release(h.e)
	}
}
