package auth0

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWhichLimitStoppedTheRequest(t *testing.T) {
	reset := time.Now().Add(time.Minute)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		if r.URL.Query().Get("q") == "refuse" {
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
			writeJSON(w, 429, tooMany)
			return
		}
		// A success that spends the last of Auth0's bucket: no 429 happened.
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		writeJSON(w, 200, `[]`)
	})
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.MaxRetries = -1 })
	short := func() context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		t.Cleanup(cancel)
		return ctx
	}

	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)
	_, err = c.SearchLogs(short(), SearchParams{})
	var le *LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, LimitAuth0, WhichLimit(err))
	assert.True(t, IsRateLimited(err))
	assert.False(t, le.After429)
	assert.NotContains(t, err.Error(), "429", "Auth0 never answered 429")
	assert.Contains(t, err.Error(), "rate-limit headers said the tenant's bucket is empty until "+reset.UTC().Format("15:04:05"))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, int64(1), f.apiHits.Load(), "the second request was not sent")

	// A real 429 seen by one call is named as such to the next.
	c.tenant.pause(time.Time{}, false)
	other, _ := newTestClient(t, f, func(cfg *Config) { cfg.MaxRetries = -1; cfg.ClientID = "other" })
	_, err = other.SearchLogs(context.Background(), SearchParams{Q: "refuse"})
	assert.Equal(t, LimitAuth0, WhichLimit(err))
	_, err = other.SearchLogs(short(), SearchParams{Q: "refuse"})
	require.ErrorAs(t, err, &le)
	assert.True(t, le.After429)
	assert.Contains(t, err.Error(), "answered 429 Too Many Requests to an earlier request")

	assert.Equal(t, NotLimited, WhichLimit(&Error{Status: 500}))
	assert.Equal(t, NotLimited, WhichLimit(context.DeadlineExceeded))
}

func TestLocalLimitWhileQueuedIsNamed(t *testing.T) {
	clk := newFakeClock()
	g := newGate(1, clk)
	require.True(t, g.lim.AllowN(clk.Now(), 1), "spend the one request of the minute")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.wait(ctx, PriorityAlert) }()
	waitFor(t, func() bool { return clk.timers() == 1 })
	cancel()
	err := <-done
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "was cancelled")
	assert.Zero(t, g.queued(), "a waiter that gives up leaves the queue")

	// The deadline comes while the request is queued: the data source's limit held it.
	expiring := newExpiringCtx()
	go func() { done <- g.wait(expiring, PriorityInteractive) }()
	waitFor(t, func() bool { return clk.timers() == 1 })
	expiring.expire()
	err = <-done
	var le *LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, LimitDataSource, le.Kind)
	assert.Equal(t, 1, le.RequestsPerMinute)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Zero(t, g.queued())
}

// expiringCtx reaches its deadline when the test says so, not when a wall clock does.
type expiringCtx struct {
	context.Context
	done chan struct{}
}

func newExpiringCtx() *expiringCtx {
	return &expiringCtx{Context: context.Background(), done: make(chan struct{})}
}

func (c *expiringCtx) expire() { close(c.done) }

func (c *expiringCtx) Deadline() (time.Time, bool) { return time.Now().Add(time.Hour), true }

func (c *expiringCtx) Done() <-chan struct{} { return c.done }

func (c *expiringCtx) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
