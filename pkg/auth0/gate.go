package auth0

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// clock is the time source of a gate; tests drive a fake one so that no result depends on how
// fast the machine is.
type clock interface {
	Now() time.Time
	// Timer returns a channel that receives once d has passed, and a function that stops it.
	Timer(d time.Duration) (<-chan time.Time, func())
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Timer(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

// gate hands out a tenant's client-side budget one request at a time: the highest priority first,
// and in order of arrival within a priority. rate.Limiter.Wait alone serves in arrival order, so
// an alert rule's single request would queue behind every page a cold dashboard has asked for.
// Only the waiter at the head of the queue watches the clock; the others sleep until they move
// up, so a request that arrives with a higher priority is served at the next free turn.
type gate struct {
	clock clock

	mu     sync.Mutex
	lim    *rate.Limiter
	rpm    int
	queues [numPriorities][]*waiter
}

type waiter struct {
	wake chan struct{} // buffered: a wake-up is never lost and never blocks the sender
}

// burstFor lets a few requests go at once, so a panel's first page is not spread over seconds.
func burstFor(rpm int) int { return min(10, rpm) }

func newGate(rpm int, c clock) *gate {
	return &gate{clock: c, rpm: rpm, lim: rate.NewLimiter(perMinute(rpm), burstFor(rpm))}
}

func perMinute(rpm int) rate.Limit { return rate.Limit(float64(rpm) / 60) }

// setRate adopts a new requests-per-minute setting; the head waiter sees it at its next look.
func (g *gate) setRate(rpm int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.rpm == rpm {
		return
	}
	now := g.clock.Now()
	g.rpm = rpm
	g.lim.SetLimitAt(now, perMinute(rpm))
	g.lim.SetBurstAt(now, burstFor(rpm))
	g.wakeHead()
}

// wait returns when the request may be sent. It fails at once with a *LimitError when the turn
// would come after ctx's deadline, and when the deadline comes while it waits.
func (g *gate) wait(ctx context.Context, p Priority) error {
	w := &waiter{wake: make(chan struct{}, 1)}
	r := p.rank()
	g.mu.Lock()
	g.queues[r] = append(g.queues[r], w)
	for {
		now := g.clock.Now()
		ahead := g.ahead(w, r)
		if ahead == 0 && g.lim.AllowN(now, 1) {
			g.leave(w, r)
			g.mu.Unlock()
			return nil
		}
		d := g.delay(now, ahead+1)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			g.leave(w, r)
			rpm := g.rpm
			g.mu.Unlock()
			return &LimitError{Kind: LimitDataSource, RequestsPerMinute: rpm, Wait: d}
		}
		var fire <-chan time.Time
		stop := func() {}
		if ahead == 0 {
			fire, stop = g.clock.Timer(d)
		}
		g.mu.Unlock()
		select {
		case <-w.wake:
		case <-fire:
		case <-ctx.Done():
		}
		stop()
		g.mu.Lock()
		if err := ctx.Err(); err != nil {
			g.leave(w, r)
			rpm := g.rpm
			g.mu.Unlock()
			if errors.Is(err, context.DeadlineExceeded) {
				return &LimitError{Kind: LimitDataSource, RequestsPerMinute: rpm}
			}
			return ctxError("waiting for the data source's request budget", ctx)
		}
	}
}

// ahead counts the waiters served before w: all of higher priority and those of its own that
// came first.
func (g *gate) ahead(w *waiter, r int) int {
	n := 0
	for i := 0; i < r; i++ {
		n += len(g.queues[i])
	}
	for _, o := range g.queues[r] {
		if o == w {
			break
		}
		n++
	}
	return n
}

// leave takes w out of the queue and, if it was the head, tells the next one to watch the clock.
func (g *gate) leave(w *waiter, r int) {
	q := g.queues[r]
	for i, o := range q {
		if o == w {
			g.queues[r] = append(q[:i:i], q[i+1:]...)
			break
		}
	}
	g.wakeHead()
}

func (g *gate) wakeHead() {
	for _, q := range g.queues {
		if len(q) > 0 {
			select {
			case q[0].wake <- struct{}{}:
			default:
			}
			return
		}
	}
}

// delay is how long until n tokens will have been available, rounded up to the millisecond so
// that the head, woken at that time, finds its token whole despite floating-point error.
func (g *gate) delay(now time.Time, n int) time.Duration {
	have := g.lim.TokensAt(now)
	if have >= float64(n) || g.lim.Limit() == rate.Inf {
		return 0
	}
	if g.lim.Limit() <= 0 {
		return maxPause
	}
	secs := (float64(n) - have) / float64(g.lim.Limit())
	return time.Duration(math.Ceil(secs*1000)) * time.Millisecond
}

// queued is how many requests wait for a turn, of every priority; tests wait on it.
func (g *gate) queued() (n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, q := range g.queues {
		n += len(q)
	}
	return n
}
