package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Tail reads one tenant's log forward from its checkpoint into the engine, then keeps polling,
// and fills history back to its window newest first. One goroutine (Run) does all reads and
// commits, so the tenant has a single writer however many callers ask for Status.
type Tail struct {
	mu      sync.Mutex
	cfg     TailConfig
	limiter *rate.Limiter
	wake    chan struct{}
	// committed is closed (and replaced) after each commit, so readers of new events (the live
	// stream) wake at once instead of polling the engine.
	committed chan struct{}
	// Written by Run under mu, read by Status.
	running   bool
	caughtUp  bool
	live      ReadStats
	bf        backfill
	lastErr   *TailError
	notices   []TailError
	nextPoll  time.Time
	lastEvict time.Time

	// Owned by Run.
	held      []Segment // the engine's segments as of the last load, updated with each commit
	stale     bool      // reload held before the next step
	liveStart string    // where an empty store's live tail starts
}

// NewTail checks cfg and builds a tail; Run starts it.
func NewTail(cfg TailConfig) (*Tail, error) {
	if cfg.Engine == nil || cfg.Reader == nil || cfg.Tenant == "" {
		return nil, errors.New("a tenant log tail needs the tenant key, an engine and a checkpoint reader: this is a plugin bug, please report it")
	}
	cfg = cfg.withDefaults()
	t := &Tail{cfg: cfg, wake: make(chan struct{}, 1), stale: true}
	t.limiter = rate.NewLimiter(t.rateLimit(cfg), t.burst(cfg))
	return t, nil
}

func (t *Tail) rateLimit(c TailConfig) rate.Limit {
	return rate.Limit(float64(c.RequestsPerMinute) * c.Share / 60)
}

func (t *Tail) burst(c TailConfig) int {
	return max(1, min(10, int(float64(c.RequestsPerMinute)*c.Share)))
}

// Update applies new settings to a running tail without restarting it: poll interval, budget,
// backfill days, retention and a new reader (a rebuilt client) take effect at the next step. The
// engine and the tenant key cannot change under a running tail and are kept.
func (t *Tail) Update(cfg TailConfig) {
	t.mu.Lock()
	cfg.Engine, cfg.Tenant, cfg.Fence = t.cfg.Engine, t.cfg.Tenant, t.cfg.Fence
	if cfg.Reader == nil {
		cfg.Reader = t.cfg.Reader
	}
	if cfg.Clock == nil {
		cfg.Clock = t.cfg.Clock
	}
	cfg = cfg.withDefaults()
	t.cfg = cfg
	now := cfg.Clock.Now()
	t.limiter.SetLimitAt(now, t.rateLimit(cfg))
	t.limiter.SetBurstAt(now, t.burst(cfg))
	if t.caughtUp {
		t.nextPoll = minTime(t.nextPoll, now.Add(cfg.PollInterval))
	}
	t.mu.Unlock()
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

func (t *Tail) config() TailConfig {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cfg
}

// Run tails until ctx ends, which is the only way it stops; it returns nil then. A tail runs
// once at a time: a second concurrent Run returns an error at once. A failure does
// not end it: it is recorded in Status, the tail backs off (1 s doubling to 5 minutes) and
// resumes from the engine's checkpoint. Only ErrFenced, another writer holding the lease, ends
// Run with an error.
func (t *Tail) Run(ctx context.Context) error {
	t.mu.Lock()
	if t.running {
		t.mu.Unlock()
		return errors.New("this tenant log tail is already running: a tenant has one tail per process, use the Registry")
	}
	t.running = true
	t.mu.Unlock()
	defer t.setRunning(false)
	ctx = backgroundPriority(ctx)
	failures := 0
	for ctx.Err() == nil {
		wait, err := t.step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			t.stale = true
			te := t.noteError(err)
			if errors.Is(err, ErrFenced) {
				return err
			}
			failures++
			d := min(time.Second<<min(failures-1, 16), maxBackoff)
			t.mu.Lock()
			te.RetryAt = te.At.Add(d)
			t.mu.Unlock()
			t.config().Logger.Warn("tenant log tail failed; retrying", "tenant", t.config().Tenant, "cause", te.Cause, "error", te.Message, "wait", d.String())
			t.sleep(ctx, d)
			continue
		}
		if failures > 0 {
			failures = 0
			t.mu.Lock()
			t.lastErr = nil
			t.mu.Unlock()
		}
		if wait > 0 {
			t.sleep(ctx, wait)
		}
	}
	return nil
}

// step does one unit of work: a live page when the tail is behind or a poll is due, else a
// backfill page, else it says how long to wait for the next poll.
func (t *Tail) step(ctx context.Context) (time.Duration, error) {
	cfg := t.config()
	if t.stale {
		st, err := cfg.Engine.State(ctx, cfg.Tenant)
		if err != nil {
			return 0, engineError{err}
		}
		t.held, t.stale = st.Segments, false
	}
	now := cfg.Clock.Now()
	if err := t.maybeEvict(ctx, cfg, now); err != nil {
		return 0, err
	}
	t.mu.Lock()
	caughtUp, nextPoll := t.caughtUp, t.nextPoll
	t.mu.Unlock()
	if !caughtUp || !now.Before(nextPoll) {
		return 0, t.livePage(ctx, cfg)
	}
	if len(t.held) > 0 {
		if worked, err := t.backfillPage(ctx, cfg, now); worked || err != nil {
			return 0, err
		}
	}
	return nextPoll.Sub(now), nil
}

func (t *Tail) maybeEvict(ctx context.Context, cfg TailConfig, now time.Time) error {
	if cfg.StoreRetention <= 0 || now.Sub(t.lastEvict) < evictEvery {
		return nil
	}
	if _, err := cfg.Engine.Evict(ctx, cfg.Tenant, now.Add(-cfg.StoreRetention), cfg.MaxBytes); err != nil {
		return engineError{fmt.Errorf("evicting events older than the store's retention: %w", err)}
	}
	t.lastEvict, t.stale = now, true
	return nil
}

// turn waits for the tail's own share of the budget, on the tail's clock.
func (t *Tail) turn(ctx context.Context, cfg TailConfig) error {
	now := cfg.Clock.Now()
	r := t.limiter.ReserveN(now, 1)
	if !r.OK() {
		return errors.New("the tail's request budget is zero: raise requests per minute")
	}
	if d := r.DelayFrom(now); d > 0 {
		t.sleep(ctx, d)
	}
	return ctx.Err()
}

// sleep waits d on the tail's clock, or until ctx ends or Update wakes it.
func (t *Tail) sleep(ctx context.Context, d time.Duration) {
	timer := t.config().Clock.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-timer.C():
	case <-t.wake:
	}
}

func (t *Tail) setRunning(on bool) {
	t.mu.Lock()
	t.running = on
	t.mu.Unlock()
}

// engineError marks a failure of the engine, so its cause names the store and not Auth0.
type engineError struct{ err error }

func (e engineError) Error() string { return e.err.Error() }
func (e engineError) Unwrap() error { return e.err }

func (t *Tail) noteError(err error) *TailError {
	var ee engineError
	te := classify(err, errors.As(err, &ee), t.config().Clock.Now())
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lastErr = te
	return te
}

func (t *Tail) notice(cause Cause, msg string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.notices = append(t.notices, TailError{Cause: cause, Message: msg, At: t.cfg.Clock.Now()})
	if len(t.notices) > maxNotices {
		t.notices = t.notices[len(t.notices)-maxNotices:]
	}
	t.cfg.Logger.Warn("tenant log tail", "tenant", t.cfg.Tenant, "cause", cause, "note", msg)
}

type nopLogger struct{}

func (nopLogger) Info(string, ...any) {}
func (nopLogger) Warn(string, ...any) {}

// Committed returns a channel that is closed after the tail's next commit.
func (t *Tail) Committed() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.committed == nil {
		t.committed = make(chan struct{})
	}
	return t.committed
}

// announceCommit wakes everyone waiting on Committed.
func (t *Tail) announceCommit() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.committed != nil {
		close(t.committed)
		t.committed = nil
	}
}
