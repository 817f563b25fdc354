package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

// fakeClock is a clock the test moves. Timers fire only when the test advances past them, except
// that timers shorter than instant fire at once (the tail's rate budget asks for microseconds).
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []*fakeTimer
	changed chan struct{} // closed and replaced whenever a timer is added
	instant time.Duration
}

type fakeTimer struct {
	c  *fakeClock
	at time.Time
	ch chan time.Time
}

func newFakeClock(start time.Time) *fakeClock {
	return &fakeClock{now: start, changed: make(chan struct{})}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) store.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= c.instant {
		t.ch <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	close(c.changed)
	c.changed = make(chan struct{})
	return t
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	for i, x := range t.c.timers {
		if x == t {
			t.c.timers = append(t.c.timers[:i], t.c.timers[i+1:]...)
			return true
		}
	}
	return false
}

// Advance moves the clock and fires every timer due by then.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		t.ch <- c.now
	}
	c.timers = kept
}

// next is the earliest pending timer's time.
func (c *fakeClock) next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 {
		return time.Time{}, false
	}
	at := c.timers[0].at
	for _, t := range c.timers[1:] {
		if t.at.Before(at) {
			at = t.at
		}
	}
	return at, true
}

// waitTimers blocks until n timers are pending: a goroutine that waits on the clock is then
// parked. The real-time limit only turns a hang into a failure message; it is far above what
// any of these tests needs even under the race detector on a slow machine.
func (c *fakeClock) waitTimers(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.After(10 * time.Minute)
	for {
		c.mu.Lock()
		pending, changed := len(c.timers), c.changed
		c.mu.Unlock()
		if pending >= n {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			tb.Fatalf("nothing waited on the clock within 10 minutes (%d timers pending, want %d)", pending, n)
		}
	}
}

// drive runs a single-goroutine tail: each time it parks on the clock, done is asked; if it is
// not done the clock jumps to the earliest timer, but never past limit.
func (c *fakeClock) drive(tb testing.TB, limit time.Time, done func() bool) {
	tb.Helper()
	for range 1_000_000 {
		c.waitTimers(tb, 1)
		if done() {
			return
		}
		at, _ := c.next()
		if at.After(limit) {
			tb.Fatalf("the condition did not hold by %s", limit.Format(time.RFC3339))
		}
		c.Advance(at.Sub(c.Now()))
	}
	tb.Fatal("the tail never settled")
}
