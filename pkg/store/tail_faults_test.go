package store_test

import (
	"context"
	"errors"
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

// cancelAfterFetch returns page number n and then cancels the tail's context, as a kill between
// fetching a page and committing it would.
type cancelAfterFetch struct {
	inner  store.CheckpointReader
	n      int32
	calls  atomic.Int32
	cancel context.CancelFunc
}

func (r *cancelAfterFetch) CheckpointLogs(ctx context.Context, from string, take int) ([]event.Event, string, error) {
	evs, next, err := r.inner.CheckpointLogs(ctx, from, take)
	if r.calls.Add(1) == r.n {
		r.cancel()
	}
	return evs, next, err
}

func TestTailKilledBetweenFetchAndCommitLosesNothing(t *testing.T) {
	h := newHarness(t, 1, 1, 20000, emulator.Options{})
	first := h.start(t, h.config())
	h.clock.drive(t, t0.Add(time.Minute), func() bool { return first.status(t).CaughtUp })
	first.stop()
	h.clock.Advance(2 * time.Hour) // about 1,700 events to catch up on

	cfg := h.config()
	tail, err := store.NewTail(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	reader := &cancelAfterFetch{inner: h.client, n: 5, cancel: cancel}
	cfg.Reader = reader
	tail.Update(cfg)
	require.NoError(t, tail.Run(ctx), "a stop is not a failure")
	assert.Equal(t, int32(5), reader.calls.Load())
	assert.Len(t, h.stored(), 4*100, "the fifth page was fetched but never committed")

	resumed := h.start(t, h.config())
	h.clock.drive(t, h.clock.Now().Add(time.Minute), func() bool { return resumed.status(t).CaughtUp })
	requireSame(t, h.truth(store.FloorLogID(t0)), h.stored())
	assert.Zero(t, h.engine.duplicates(tenantKey), "nothing stored twice")
}

func TestTailSurvivesFailingCommits(t *testing.T) {
	for _, tc := range []struct {
		name       string
		fail, lose int
		err        error
		cause      store.Cause
	}{
		{"disk full", 3, 0, errors.New("sqlite: database or disk is full (13)"), store.CauseDiskFull},
		{"answer lost after commit", 0, 2, errors.New("connection reset after commit"), store.CauseStore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 1, 1, 20000, emulator.Options{})
			h.clock.Advance(time.Hour)
			cfg := h.config()
			h.engine.setFaults(tc.fail, tc.lose, tc.err)
			// Status is read when the tail logs the failure, just before it waits to retry: a
			// poll from the test could fall after the retry has cleared it.
			var tail *store.Tail
			var seen *store.TailError
			cfg.Logger = &failureLog{causes: map[store.Cause]string{}, onWarn: func() {
				if st, err := tail.Status(context.Background()); err == nil && st.LastError != nil && seen == nil {
					seen = st.LastError
				}
			}}
			tail, err := store.NewTail(cfg)
			require.NoError(t, err)
			run := runTail(t, tail)

			h.clock.drive(t, h.clock.Now().Add(10*time.Minute), func() bool {
				st := run.status(t)
				return st.CaughtUp && st.LastError == nil
			})
			require.NotNil(t, seen, "the failure shows in Status while it lasts")
			assert.Equal(t, tc.cause, seen.Cause)
			assert.NotZero(t, seen.RetryAt, "and says when the tail tries again")
			requireSame(t, h.truth(store.FloorLogID(t0.Add(time.Hour))), h.stored())
			assert.Zero(t, h.engine.duplicates(tenantKey), "a lost answer is not read and stored again")
		})
	}
}

// failureLog keeps the cause and message of every failure the tail logs. Status shows only the
// failure in progress, which a retry on the fake clock may clear before a test looks at it.
type failureLog struct {
	mu     sync.Mutex
	causes map[store.Cause]string
	// onWarn, when set, runs on the tail's goroutine as it logs a failure.
	onWarn func()
}

func (l *failureLog) Info(string, ...any) {}

func (l *failureLog) Warn(_ string, args ...any) {
	if l.onWarn != nil {
		l.onWarn()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var cause store.Cause
	for i := 0; i+1 < len(args); i += 2 {
		switch args[i] {
		case "cause":
			cause, _ = args[i+1].(store.Cause)
		case "error":
			if msg, ok := args[i+1].(string); ok && cause != "" {
				l.causes[cause] = msg
			}
		}
	}
}

func (l *failureLog) get(c store.Cause) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.causes[c]
}

func TestTailBacksOffOn429And5xxAndSaysWhy(t *testing.T) {
	h := newHarness(t, 1, 1, 20000, emulator.Options{})
	h.clock.Advance(time.Hour)
	cfg := h.config()
	failures := &failureLog{causes: map[store.Cause]string{}}
	cfg.Logger = failures
	run := h.start(t, cfg)
	watch := func() bool {
		st := run.status(t)
		return st.CaughtUp && st.LastError == nil
	}
	// Faults start once the tail is caught up, so they fall on log reads (not on the token the
	// first request fetches, which a slow start would otherwise leave to meet them).
	h.clock.drive(t, h.clock.Now().Add(10*time.Minute), watch)
	h.srv.SetFaults(emulator.Faults{TooManyRequests: 2})
	h.clock.Advance(time.Hour)
	h.clock.drive(t, h.clock.Now().Add(10*time.Minute), watch)
	h.srv.SetFaults(emulator.Faults{ServerErrors: 3, ServerErrorStatus: 503})
	h.clock.Advance(time.Hour)
	h.clock.drive(t, h.clock.Now().Add(10*time.Minute), watch)

	assert.Contains(t, failures.get(store.CauseRateLimit), "rate limit", "%v", failures.causes)
	assert.Contains(t, failures.get(store.CauseAuth0Down), "server error")
	requireSame(t, h.truth(store.FloorLogID(t0.Add(time.Hour))), h.stored())
	assert.Zero(t, h.engine.duplicates(tenantKey))
}

func TestCheckpointAuth0NoLongerHoldsIsRecordedAsALostGap(t *testing.T) {
	retention := 2 * 24 * time.Hour
	h := newHarness(t, 1, 4, 5000, emulator.Options{Retention: retention})
	cfg := h.config()
	cfg.Auth0Retention = retention
	first := h.start(t, cfg)
	end := t0.Add(time.Hour)
	h.clock.drive(t, end, func() bool { return !h.clock.Now().Before(end) })
	first.stop()
	early := h.stored()
	requireSame(t, h.truth(store.FloorLogID(t0)), early)
	require.NotEmpty(t, early)

	// Down for three days: Auth0 dropped everything older than two days, the checkpoint included.
	h.clock.Advance(3 * 24 * time.Hour)
	second := h.start(t, cfg)
	h.clock.drive(t, h.clock.Now().Add(time.Minute), func() bool { return second.status(t).CaughtUp })

	st := second.status(t)
	require.Len(t, st.Gaps, 1)
	gap := st.Gaps[0]
	assert.True(t, gap.Lost, "nothing can fill it")
	assert.WithinDuration(t, end, gap.From, time.Minute)
	assert.WithinDuration(t, h.clock.Now().Add(-retention), gap.To, time.Minute)
	require.NotEmpty(t, st.Notices)
	assert.Equal(t, store.CauseCheckpointMissing, st.Notices[0].Cause)
	assert.Contains(t, st.Notices[0].Message, "no longer holds the checkpoint")
	assert.Nil(t, st.LastError, "a lost checkpoint is reported, not retried forever")

	// Nothing Auth0 still holds is lost, and the range it dropped stays answerable from the store.
	requireSame(t, append(early, h.truth("")...), h.stored())
	var want []event.Event
	for _, e := range early {
		if e.Date.Before(end) {
			want = append(want, e)
		}
	}
	requireSame(t, want, h.engine.sorted(tenantKey, t0, end))
	assert.Greater(t, len(want), 100)
	held, err := h.client.SearchLogs(context.Background(), searchAll())
	require.NoError(t, err)
	for _, e := range held {
		assert.False(t, e.Date.Before(end), "the emulator no longer serves %s", e.Date)
	}
}

func TestBackfillFallsBackToTheOldestLogWhenSyntheticIDsFail(t *testing.T) {
	h := newHarness(t, 1, 1, 5000, emulator.Options{Faults: &emulator.Faults{RejectUnknownFrom: true}})
	cfg := h.config()
	cfg.BackfillDays = 3
	run := h.start(t, cfg)
	h.clock.drive(t, t0.Add(time.Minute), func() bool { st := run.status(t); return st.CaughtUp && st.Backfill.Done })

	st := run.status(t)
	assert.True(t, st.Backfill.OldestFirst)
	assert.Contains(t, st.Backfill.Note, "oldest log")
	require.NotEmpty(t, st.Notices)
	assert.Equal(t, store.CauseSyntheticFromFails, st.Notices[0].Cause)
	requireSame(t, h.truth(""), h.stored())
	assert.Empty(t, st.Gaps)
}

func TestTailWithoutReadLogsScopeSaysWhatToGrant(t *testing.T) {
	h := newHarness(t, 1, 1, 1000, emulator.Options{Scopes: []string{"read:users"}})
	run := h.start(t, h.config())
	var st store.Status
	h.clock.drive(t, t0.Add(time.Minute), func() bool { st = run.status(t); return st.LastError != nil })
	assert.Equal(t, store.CauseScope, st.LastError.Cause)
	assert.Contains(t, st.LastError.Message, "read:logs")
	assert.NotContains(t, st.LastError.Message, secret)
	assert.True(t, st.LastError.RetryAt.After(st.LastError.At), "the tail keeps trying, so granting the scope is enough")
	assert.Empty(t, h.stored())
}
