package store_test

import (
	"context"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

const (
	tenantKey = "acme"
	domain    = "acme.test.local"
	clientID  = "tail-client"
	secret    = "tail-secret-value"
)

// t0 is when every test's tail starts: the emulator's tenant has history before it and a
// generated future after it, revealed as the fake clock runs.
var t0 = time.Date(2024, 6, 3, 12, 0, 0, 0, time.UTC)

// harness is a live emulated tenant over loopback, a real auth0.Client and the test engine, all
// on one fake clock.
type harness struct {
	clock   *fakeClock
	srv     *emulator.Server
	events  []event.Event // everything the tenant will ever hold, ascending by log_id
	client  *auth0.Client
	engine  *memEngine
	retains time.Duration
}

func newHarness(tb testing.TB, historyDays, futureDays, perDay int, opts emulator.Options) *harness {
	tb.Helper()
	return newAttackedHarness(tb, historyDays, futureDays, perDay, []tenant.Attack{}, opts)
}

// newAttackedHarness is newHarness with attacks laid over the tenant's traffic.
func newAttackedHarness(tb testing.TB, historyDays, futureDays, perDay int, attacks []tenant.Attack, opts emulator.Options) *harness {
	tb.Helper()
	clock := newFakeClock(t0)
	clock.instant = time.Millisecond
	gen := tenant.Generate(tenant.Config{Seed: 11, End: t0.Add(time.Duration(futureDays) * 24 * time.Hour),
		Days: historyDays + futureDays, EventsPerDay: perDay, Attacks: attacks, Domain: domain})
	opts.Domain, opts.ClientID, opts.ClientSecret = domain, clientID, secret
	opts.Live, opts.Now = true, clock.Now
	srv := emulator.New(opts, gen.Events)
	ts := httptest.NewServer(srv)
	tb.Cleanup(ts.Close)
	client, err := auth0.New(auth0.Config{BaseURL: ts.URL, Audience: "https://" + domain + "/api/v2/",
		ClientID: clientID, ClientSecret: secret, RequestsPerMinute: 1_000_000, MaxRetries: -1})
	require.NoError(tb, err)
	tb.Cleanup(client.Close)
	return &harness{clock: clock, srv: srv, events: gen.Events, client: client, engine: newMemEngine(), retains: opts.Retention}
}

// config is a tail on the harness with no backfill and a budget that never holds it back: its
// waits stay under the fake clock's instant threshold for thousands of requests, so a tail run
// without drive still moves.
func (h *harness) config() store.TailConfig {
	return store.TailConfig{Tenant: tenantKey, Engine: h.engine, Reader: h.client, Clock: h.clock,
		RequestsPerMinute: 1_000_000_000, BackfillDays: -1}
}

// running is a tail started in its own goroutine.
type running struct {
	tail   *store.Tail
	cancel context.CancelFunc
	done   chan error
}

func (h *harness) start(tb testing.TB, cfg store.TailConfig) *running {
	tb.Helper()
	tail, err := store.NewTail(cfg)
	require.NoError(tb, err)
	return runTail(tb, tail)
}

// runTail runs a tail built by the test in its own goroutine.
func runTail(tb testing.TB, tail *store.Tail) *running {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{tail: tail, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- tail.Run(ctx) }()
	tb.Cleanup(r.stop)
	return r
}

// stop ends the tail and waits for Run to return.
func (r *running) stop() {
	r.cancel()
	if r.done != nil {
		<-r.done
		r.done = nil
	}
}

func (r *running) status(tb testing.TB) store.Status {
	tb.Helper()
	st, err := r.tail.Status(context.Background())
	require.NoError(tb, err)
	return st
}

// truth is what the emulator serves now with a log_id after the given one ("" for all), by log_id.
func (h *harness) truth(after string) []event.Event {
	now := h.clock.Now()
	var out []event.Event
	for _, e := range h.events {
		ingest, ok := store.LogIDTime(e.LogID)
		if !ok || ingest.After(now) || h.retains > 0 && e.Date.Before(now.Add(-h.retains)) || e.LogID <= after {
			continue
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogID < out[j].LogID })
	return out
}

// stored is everything the engine holds, by log_id.
func (h *harness) stored() []event.Event { return h.engine.sorted(tenantKey, time.Time{}, time.Time{}) }

// requireSame checks stored events against want: the same ids, each event identical.
func requireSame(tb testing.TB, want, got []event.Event) {
	tb.Helper()
	require.Equal(tb, len(want), len(got), "stored event count")
	for i := range want {
		require.Equal(tb, want[i].LogID, got[i].LogID, "event %d", i)
		require.True(tb, want[i].Same(&got[i]), "event %s differs from Auth0's:\nwant %+v\ngot  %+v", want[i].LogID, want[i], got[i])
	}
}

func (h *harness) checkpointRequests() int {
	return h.srv.Stats().Requests[emulator.EndpointCheckpoint]
}

// searchAll asks the emulator's search for the newest 100 events it serves.
func searchAll() auth0.SearchParams { return auth0.SearchParams{PerPage: 100, Sort: "date:1"} }
