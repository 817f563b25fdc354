package auth0

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeShared is a shared budget that answers each Take with the next scripted wait and records
// what it was asked.
type fakeShared struct {
	mu    sync.Mutex
	waits []time.Duration
	err   error
	asked []Priority
	rpms  []int
}

func (f *fakeShared) Take(_ context.Context, rpm int, p Priority) (time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked, f.rpms = append(f.asked, p), append(f.rpms, rpm)
	if f.err != nil {
		return 0, f.err
	}
	if len(f.waits) == 0 {
		return 0, nil
	}
	w := f.waits[0]
	f.waits = f.waits[1:]
	return w, nil
}

func TestSharedBudgetIsTakenForEveryRequestWithItsPriority(t *testing.T) {
	f := newFake(t, okEmpty)
	shared := &fakeShared{waits: []time.Duration{0, 1500 * time.Millisecond}}
	c, rec := newTestClient(t, f, func(cfg *Config) { cfg.RequestsPerMinute, cfg.SharedBudget = 90, shared })
	ctx := context.Background()
	_, err := c.SearchLogs(WithPriority(ctx, PriorityAlert), SearchParams{PerPage: 1})
	require.NoError(t, err)
	_, err = c.SearchLogs(WithPriority(ctx, PriorityBackground), SearchParams{PerPage: 1})
	require.NoError(t, err)

	assert.Equal(t, []Priority{PriorityAlert, PriorityBackground}, shared.asked)
	assert.Equal(t, []int{90, 90}, shared.rpms, "the shared budget is asked for the data source's setting")
	assert.Contains(t, rec.waits(), 1500*time.Millisecond, "the shared budget's wait is honoured before sending")
	assert.EqualValues(t, 2, f.apiHits.Load())

	// Another Client of the same tenant (a rebuilt instance) draws from the same shared budget.
	other, _ := newTestClient(t, f, func(cfg *Config) { cfg.RequestsPerMinute = 90 })
	_, err = other.SearchLogs(ctx, SearchParams{PerPage: 1})
	require.NoError(t, err)
	assert.Len(t, shared.asked, 3)

	// Back to this process's budget alone.
	other.ShareBudget(nil)
	_, err = c.SearchLogs(ctx, SearchParams{PerPage: 1})
	require.NoError(t, err)
	assert.Len(t, shared.asked, 3)
}

func TestSharedBudgetWaitPastTheDeadlineFailsWithoutSending(t *testing.T) {
	f := newFake(t, okEmpty)
	shared := &fakeShared{waits: []time.Duration{time.Hour}}
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.SharedBudget = shared })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.SearchLogs(ctx, SearchParams{PerPage: 1})
	var le *LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, LimitDataSource, le.Kind)
	assert.Zero(t, f.apiHits.Load())
}

func TestSharedBudgetFailureSaysWhatFailed(t *testing.T) {
	f := newFake(t, okEmpty)
	shared := &fakeShared{err: errors.New("permission denied for table budgets")}
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.SharedBudget = shared })
	_, err := c.SearchLogs(context.Background(), SearchParams{PerPage: 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "shared with the other Grafana replicas")
	assert.Contains(t, err.Error(), "permission denied")
	assert.Zero(t, f.apiHits.Load())
}
