package store_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// gatedReader lets a page through only when the test hands out a token, so the test decides
// how far the tail gets; readers built on one gate share its tokens.
type gatedReader struct {
	inner  store.CheckpointReader
	tokens chan struct{}
	calls  atomic.Int32
}

func (g *gatedReader) CheckpointLogs(ctx context.Context, from string, take int) ([]event.Event, string, error) {
	select {
	case <-g.tokens:
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
	g.calls.Add(1)
	return g.inner.CheckpointLogs(ctx, from, take)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 20*time.Second, time.Millisecond, what)
}

func TestRegistryHandsTheRunningTailToTheNextInstance(t *testing.T) {
	h := newHarness(t, 3, 1, 20000, emulator.Options{})
	tokens := make(chan struct{}, 100)
	before := &gatedReader{inner: h.client, tokens: tokens}
	cfg := h.config()
	cfg.BackfillDays, cfg.Reader = 3, before

	graceClock := newFakeClock(t0)
	reg := store.NewRegistry(store.RegistryOptions{Clock: graceClock, Grace: 30 * time.Second})
	t.Cleanup(reg.Close)
	first, err := reg.Acquire(tenantKey, cfg)
	require.NoError(t, err)
	status := func(hd *store.Handle) store.Status {
		st, err := hd.Status(context.Background())
		require.NoError(t, err)
		return st
	}

	// The live tail's first poll, then the backfill's first pages.
	for range 6 {
		tokens <- struct{}{}
	}
	waitFor(t, "the backfill runs", func() bool { return status(first).Backfill.Requests == 5 })

	// A settings save: Grafana builds a new instance, which acquires the tenant with a new client
	// and poll interval, then disposes the old one.
	after := &gatedReader{inner: h.client, tokens: tokens}
	saved := cfg
	saved.Reader, saved.PollInterval = after, 10*time.Second
	second, err := reg.Acquire(tenantKey, saved)
	require.NoError(t, err)
	first.Release()
	first.Release() // a second Dispose does nothing
	graceClock.Advance(time.Minute)

	assert.Same(t, first.Tail(), second.Tail(), "the running tail is handed over")
	for range 10 {
		tokens <- struct{}{}
	}
	waitFor(t, "the backfill continues through the new client", func() bool {
		return after.calls.Load() >= 9 && status(second).Backfill.Requests >= 14
	})
	st := status(second)
	assert.Equal(t, int64(1), reg.Started(), "no second tail was started")
	assert.Equal(t, int64(1), h.engine.maxConcurrent.Load(), "never two writers at once")
	assert.Zero(t, h.engine.duplicates(tenantKey), "the backfill did not start over")
	assert.Zero(t, st.Backfill.Wasted, "no page was read again")
	assert.True(t, reg.Running(tenantKey))

	// The last handle goes: the tail outlives it by the grace period, then stops.
	second.Release()
	graceClock.waitTimers(t, 1)
	graceClock.Advance(29 * time.Second)
	assert.True(t, reg.Running(tenantKey), "still within the grace period")
	graceClock.Advance(2 * time.Second)
	waitFor(t, "the tail stops after the grace period", func() bool {
		return !reg.Running(tenantKey) && !status(second).Running
	})

	// A data source opened later starts a new tail, which resumes from the store.
	third, err := reg.Acquire(tenantKey, cfg)
	require.NoError(t, err)
	defer third.Release()
	assert.Equal(t, int64(2), reg.Started())
}

func TestRegistryReacquireWithinGraceKeepsTheTail(t *testing.T) {
	h := newHarness(t, 1, 1, 1000, emulator.Options{})
	graceClock := newFakeClock(t0)
	reg := store.NewRegistry(store.RegistryOptions{Clock: graceClock})
	t.Cleanup(reg.Close)

	a, err := reg.Acquire(tenantKey, h.config())
	require.NoError(t, err)
	a.Release()
	graceClock.waitTimers(t, 1)
	graceClock.Advance(20 * time.Second)
	b, err := reg.Acquire(tenantKey, h.config())
	require.NoError(t, err)
	graceClock.Advance(time.Minute) // the first grace timer was cancelled
	assert.True(t, reg.Running(tenantKey))
	assert.Same(t, a.Tail(), b.Tail())
	assert.Equal(t, int64(1), reg.Started())

	reg.Close()
	assert.False(t, reg.Running(tenantKey))
	_, err = reg.Acquire(tenantKey, h.config())
	assert.ErrorIs(t, err, store.ErrRegistryClosed)
	b.Release() // after Close: harmless
}
