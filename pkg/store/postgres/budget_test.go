package postgres

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/store/postgres/pgtest"
)

// TestSharedBudgetNeverExceedsRPMAcrossReplicas asks three replicas for many requests at once and
// checks the schedule the waits make: at most burst + rate × t requests by any time t. Nobody
// sleeps; the waits are reservations, so the schedule is known as soon as every Take returns.
// Three independent limiters would each grant a burst and their own rate, three times too many.
func TestSharedBudgetNeverExceedsRPMAcrossReplicas(t *testing.T) {
	conn := newDatabase(t)
	replicas := []*Engine{openEngine(t, conn, "a"), openEngine(t, conn, "b"), openEngine(t, conn, "c")}
	const rpm, perReplica = 600, 30
	rate, burst := float64(rpm)/60, 10.0
	start := time.Now()
	var mu sync.Mutex
	var sends []time.Duration // when each request may go, since start (a lower bound)
	var slack time.Duration   // the longest Take: how far our clock may lag the database's
	var wg sync.WaitGroup
	for _, e := range replicas {
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range perReplica / 3 {
					before := time.Since(start)
					wait, err := e.Take(context.Background(), tenantKey, rpm, Alert)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					sends = append(sends, before+wait)
					slack = max(slack, time.Since(start)-before)
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	slices.Sort(sends)
	require.Len(t, sends, 3*perReplica)
	for i, at := range sends {
		// The (i+1)-th request may not go before (i+1-burst)/rate.
		earliest := time.Duration((float64(i+1) - burst) / rate * float64(time.Second))
		require.GreaterOrEqual(t, at+slack, earliest, "request %d of %d may go at %v: over %d a minute", i+1, len(sends), at, rpm)
	}
	last := sends[len(sends)-1]
	require.Greater(t, last, time.Duration((float64(len(sends))-burst)/rate*float64(time.Second))-slack)
	t.Logf("%d requests scheduled over %v; longest Take %v", len(sends), last, slack)
}

func TestAlertsGoAheadOfQueuedBackground(t *testing.T) {
	e := openEngine(t, newDatabase(t), "a")
	ctx := testContext(t)
	const rpm = 60 // a token a second, burst 10
	var lastBackground time.Duration
	for range 12 { // the backfill drains the bucket and queues
		w, err := e.Take(ctx, tenantKey, rpm, Background)
		require.NoError(t, err)
		lastBackground = w
	}
	alert, err := e.Take(ctx, tenantKey, rpm, Alert)
	require.NoError(t, err)
	panel, err := e.Take(ctx, tenantKey, rpm, Interactive)
	require.NoError(t, err)
	next, err := e.Take(ctx, tenantKey, rpm, Background)
	require.NoError(t, err)
	// Background leaves 4 tokens, Interactive 2, Alert none: at one token a second the alert goes
	// about four seconds before the background request queued just before it.
	require.Less(t, alert, lastBackground-3*time.Second, "alert wait %v, background %v", alert, lastBackground)
	require.Less(t, panel, next-2*time.Second, "panel wait %v, background %v", panel, next)
	require.Less(t, alert, panel)
}

func TestUnreachableDatabaseFallsBackToThisReplicasShare(t *testing.T) {
	srv := pgtest.Start(t) // a cluster of its own, stopped mid-test
	db := srv.NewDatabase(t)
	conn := srv.ConnString(db)
	var logs bytes.Buffer
	a, err := Open(testContext(t), conn, Options{ReplicaID: "a", Logger: slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, nil))})
	require.NoError(t, err)
	defer a.Close()
	b := openEngine(t, conn, "b")
	require.NoError(t, a.heartbeat(testContext(t))) // a now counts b too
	_ = b

	srv.Stop()
	ctx := testContext(t)
	const rpm = 60
	first, err := a.Take(ctx, tenantKey, rpm, Background)
	require.NoError(t, err)
	second, err := a.Take(ctx, tenantKey, rpm, Background)
	require.NoError(t, err)
	require.Zero(t, first)
	// Half of 60 a minute is one request every two seconds, never the whole budget's one a second.
	require.InDelta(t, 2*time.Second, second, float64(200*time.Millisecond), "second wait %v", second)
	st, _ := a.Status(ctx, tenantKey)
	require.Contains(t, st.BudgetLocal, "divided by the 2 replicas last seen")
	require.Contains(t, logs.String(), "falls back")
	for _, secret := range []string{srv.SuperuserPassword(), conn} {
		require.NotContains(t, logs.String(), secret)
		require.NotContains(t, st.BudgetLocal, secret)
	}
}

// syncWriter lets the engine's logger and the test share a buffer.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func TestBudgetAndLeaseRefuseNonsense(t *testing.T) {
	e := openEngine(t, newDatabase(t), "a")
	ctx := testContext(t)
	_, err := e.Take(ctx, tenantKey, 0, Alert)
	require.ErrorContains(t, err, "requests per minute must be positive")
	_, _, err = e.AcquireLease(ctx, tenantKey, "", time.Minute)
	require.Error(t, err)
	_, _, err = e.AcquireLease(ctx, tenantKey, "a", 0)
	require.Error(t, err)
}
