package auth0

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock moves only when the test advances it; timers fire on that advance.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	pending map[*fakeTimer]struct{}
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), pending: map[*fakeTimer]struct{}{}}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Timer(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now
		return t.ch, func() {}
	}
	c.pending[t] = struct{}{}
	return t.ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.pending, t)
	}
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for t := range c.pending {
		if !t.at.After(c.now) {
			t.ch <- c.now
			delete(c.pending, t)
		}
	}
}

func (c *fakeClock) timers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

// waitFor waits for a condition other goroutines bring about; the limit only stops a hung test.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, time.Minute, time.Millisecond)
}

// TestAlertIsServedBeforeQueuedDashboards saturates the tenant's budget, queues one background
// read and then four dashboards of ten panels each, and only then an alert rule's query. Each
// second of the fake clock frees one request: the alert must take the first, the dashboards the
// next forty in the order they came, and the background read the last.
func TestAlertIsServedBeforeQueuedDashboards(t *testing.T) {
	var mu sync.Mutex
	var served []string
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		mu.Lock()
		served = append(served, r.URL.Query().Get("q"))
		mu.Unlock()
		writeJSON(w, 200, `[]`)
	})
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.RequestsPerMinute = 60 })
	clk := newFakeClock()
	c.tenant = &tenant{gate: newGate(60, clk)}
	require.NoError(t, c.Token(context.Background()))
	for range burstFor(60) {
		_, err := c.SearchLogs(context.Background(), SearchParams{Q: "warm"})
		require.NoError(t, err)
	}
	mu.Lock()
	served = nil
	mu.Unlock()

	var wg sync.WaitGroup
	send := func(p Priority, q string) {
		n := c.tenant.gate.queued()
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.SearchLogs(WithPriority(context.Background(), p), SearchParams{Q: q})
			assert.NoError(t, err, q)
		}()
		waitFor(t, func() bool { return c.tenant.gate.queued() == n+1 })
	}
	send(PriorityBackground, "tail")
	var want []string
	for d := range 4 {
		for p := range 10 {
			q := fmt.Sprintf("dashboard-%d-panel-%d", d, p)
			want = append(want, q)
			send(PriorityInteractive, q)
		}
	}
	send(PriorityAlert, "alert")
	want = append([]string{"alert"}, append(want, "tail")...)

	for i := range want {
		clk.advance(time.Second)
		waitFor(t, func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(served) == i+1
		})
	}
	wg.Wait()
	assert.Equal(t, want, served)
	assert.Zero(t, c.tenant.gate.queued())
}

func TestPriorityFromContext(t *testing.T) {
	ctx := context.Background()
	assert.Equal(t, PriorityInteractive, PriorityFrom(ctx), "the default")
	assert.Equal(t, PriorityAlert, PriorityFrom(WithPriority(ctx, PriorityAlert)))
	assert.Equal(t, PriorityBackground, PriorityFrom(WithPriority(ctx, PriorityBackground)))
	assert.Equal(t, PriorityAlert, PriorityFrom(WithPriority(ctx, 7)), "clamped")
	assert.True(t, PriorityAlert > PriorityInteractive && PriorityInteractive > PriorityBackground)
	assert.Equal(t, 0, PriorityAlert.rank())
	assert.Equal(t, numPriorities-1, PriorityBackground.rank())
}
