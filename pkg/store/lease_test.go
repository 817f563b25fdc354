package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// leaseTable is the lease row several fake processes share. It never expires by itself: the test
// says when the holder's lease ran out, so nothing depends on how fast the machine is.
type leaseTable struct {
	mu     sync.Mutex
	holder string
	epoch  int64
	live   bool
	fenced int
	// frozen is a holder that cannot reach the engine, as a process stopped with SIGSTOP.
	frozen string
}

// leasedEngine is one process's view of a shared memEngine with the lease contract: commits
// whose Fence is not the live lease's epoch are refused with ErrFenced and store nothing.
type leasedEngine struct {
	*memEngine
	table *leaseTable
	id    string
}

var _ store.Leaser = (*leasedEngine)(nil)

func (l *leasedEngine) ReplicaID() string { return l.id }

func (l *leasedEngine) AcquireLease(_ context.Context, _, holder string, _ time.Duration) (int64, bool, error) {
	t := l.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.live && t.holder != holder || holder == t.frozen {
		return t.epoch, false, nil
	}
	if !t.live || t.holder != holder {
		t.epoch++
	}
	t.holder, t.live = holder, true
	return t.epoch, true, nil
}

func (l *leasedEngine) RenewLease(_ context.Context, _, holder string, epoch int64, _ time.Duration) (bool, error) {
	t := l.table
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.live && t.holder == holder && t.epoch == epoch && holder != t.frozen, nil
}

func (l *leasedEngine) ReleaseLease(_ context.Context, _, holder string, epoch int64) error {
	t := l.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.holder == holder && t.epoch == epoch {
		t.live = false
	}
	return nil
}

func (l *leasedEngine) Commit(ctx context.Context, tenant string, b store.Batch) (store.CommitResult, error) {
	t := l.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.live || b.Fence != t.epoch {
		t.fenced++
		return store.CommitResult{}, store.ErrFenced
	}
	return l.memEngine.Commit(ctx, tenant, b)
}

// freeze ends the lease as the engine's clock would after holder froze past its ttl; until thaw
// the holder's calls are refused, as a stopped process makes none.
func (t *leaseTable) freeze(holder string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.live, t.frozen = false, holder
}

func (t *leaseTable) thaw() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.frozen = ""
}

// takeBy hands the lease to another holder, as a replica the test does not run would take it.
func (t *leaseTable) takeBy(holder string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.holder, t.live, t.epoch = holder, true, t.epoch+1
}

type countingReader struct {
	inner store.CheckpointReader
	calls atomic.Int64
}

func (c *countingReader) CheckpointLogs(ctx context.Context, from string, take int) ([]event.Event, string, error) {
	c.calls.Add(1)
	return c.inner.CheckpointLogs(ctx, from, take)
}

func TestLeaseRunsOneTailAcrossProcessesAndHandsOver(t *testing.T) {
	h := newHarness(t, 2, 0, 3000, emulator.Options{})
	table := &leaseTable{}
	type proc struct {
		id     string
		reg    *store.Registry
		handle *store.Handle
		reader *countingReader
	}
	start := func(id string) *proc {
		p := &proc{id: id, reg: store.NewRegistry(store.RegistryOptions{LeaseTTL: 300 * time.Millisecond}), reader: &countingReader{inner: h.client}}
		t.Cleanup(p.reg.Close)
		cfg := h.config()
		cfg.Engine, cfg.Reader = &leasedEngine{memEngine: h.engine, table: table, id: id}, p.reader
		cfg.BackfillDays = 3 // an empty store's live tail starts at now: history comes from the backfill
		var err error
		p.handle, err = p.reg.Acquire(tenantKey, cfg)
		require.NoError(t, err)
		return p
	}
	a, b := start("a"), start("b")
	want := h.truth("")
	waitFor(t, "the tenant to be stored", func() bool {
		return len(h.stored()) == len(want)
	})
	holder, other := a, b
	if b.handle.Lease().Holding {
		holder, other = b, a
	}
	require.True(t, holder.handle.Lease().Holding)
	assert.False(t, other.handle.Lease().Holding)
	assert.True(t, other.handle.Lease().Leased)
	assert.Zero(t, other.reader.calls.Load(), "a process without the lease read Auth0")
	st, err := other.handle.Status(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(len(want)), st.Events, "the process without the lease reports the shared store")
	assert.False(t, st.Running)

	// The holder froze past its ttl: the other takes over, and the old holder's next renewal fails.
	table.freeze(holder.id)
	waitFor(t, "the other process to take over", func() bool {
		return other.handle.Lease().Holding && !holder.handle.Lease().Holding && holder.handle.Lease().Lost == 1
	})
	table.thaw()
	assert.Greater(t, other.handle.Lease().Epoch, holder.handle.Lease().Epoch)

	// A clean shutdown releases the lease at once, so the first process takes it back.
	other.reg.Close()
	waitFor(t, "the first process to take the released lease back", func() bool {
		return holder.handle.Lease().Holding && holder.handle.Lease().Terms == 2
	})
	requireSame(t, want, h.stored())
	assert.Zero(t, h.engine.duplicates(tenantKey))
}

func TestFencedCommitStopsTheTailAndWritesNothing(t *testing.T) {
	h := newHarness(t, 1, 0, 2000, emulator.Options{})
	table := &leaseTable{}
	tokens := make(chan struct{}, 10)
	reader := &gatedReader{inner: h.client, tokens: tokens}
	// An hour-long ttl: no renewal comes during the test, so only the commit's fence can notice.
	reg := store.NewRegistry(store.RegistryOptions{LeaseTTL: time.Hour})
	t.Cleanup(reg.Close)
	cfg := h.config()
	cfg.Engine, cfg.Reader = &leasedEngine{memEngine: h.engine, table: table, id: "a"}, reader
	hd, err := reg.Acquire(tenantKey, cfg)
	require.NoError(t, err)
	waitFor(t, "the lease", func() bool { return hd.Lease().Holding })

	// Another replica takes the lease while this one waits for its page; the page's commit is fenced.
	table.takeBy("elsewhere")
	tokens <- struct{}{}
	waitFor(t, "the fenced tail to stop", func() bool { return hd.Lease().Lost == 1 && !hd.Lease().Holding })
	assert.Empty(t, h.stored(), "a fenced commit stored events")
	table.mu.Lock()
	assert.Equal(t, 1, table.fenced)
	table.mu.Unlock()
	assert.Equal(t, int32(1), reader.calls.Load(), "the tail stopped after the fenced page")
}
