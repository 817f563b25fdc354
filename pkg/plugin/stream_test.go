package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// driven is a clock the test moves; each move remembers the real time it happened, which is
// when the live emulator made the events of the new seconds readable.
type driven struct {
	mu    sync.Mutex
	now   time.Time
	moved map[int64]time.Time // fake second -> real time it became current
}

func (c *driven) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *driven) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for s := c.now.Unix() + 1; s <= t.Unix(); s++ {
		c.moved[s] = time.Now()
	}
	c.now = t
}

// readableAt is the real time the emulator started serving an event of this ingest second.
func (c *driven) readableAt(ingest time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.moved[ingest.Unix()]
}

// liveStoreTenant is a live emulator tenant on a driven clock, holding a few minutes of history
// and an hour still to come, with a store-on data source on it.
func liveStoreTenant(t *testing.T, start time.Time) (*storeTenant, *driven) {
	t.Helper()
	clock := &driven{now: start, moved: map[int64]time.Time{}}
	gen := tenant.Generate(tenant.Config{Seed: 23, End: start.Add(time.Hour), Days: 1, EventsPerDay: 300_000, Attacks: []tenant.Attack{}, Domain: testDomain})
	var events []event.Event
	for _, e := range gen.Events {
		if !e.Date.Before(start.Add(-2 * time.Minute)) {
			events = append(events, e)
		}
	}
	o := relOptions{events: events, rpm: 6000, rpq: 2000, secret: testSecret, now: clock.Now}
	emu := emulator.New(emulator.Options{Domain: testDomain, ClientID: testClientID, ClientSecret: testSecret, Live: true, Now: clock.Now}, events)
	rec := &recorder{next: emu}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	rel := &relTenant{emu: emu, rec: rec, url: srv.URL, events: events, o: o}
	st := newStoreTenant(t, relOptions{days: 1, perDay: 10})
	st.relTenant = rel
	return st, clock
}

// frameSink collects what a stream sends, with the real time each frame arrived.
type frameSink struct {
	mu     sync.Mutex
	frames int
	ids    []string
	at     map[string]time.Time
	dups   []string
}

func (s *frameSink) Send(p *backend.StreamPacket) error {
	var f data.Frame
	if err := json.Unmarshal(p.Data, &f); err != nil {
		return err
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frames++
	field, idx := f.FieldByName("id")
	if idx < 0 {
		return fmt.Errorf("the logs frame has no id field")
	}
	for i := 0; i < field.Len(); i++ {
		id := field.At(i).(string)
		if _, seen := s.at[id]; seen {
			s.dups = append(s.dups, id)
			continue
		}
		s.at[id] = now
		s.ids = append(s.ids, id)
	}
	return nil
}

func (s *frameSink) has(ids []string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if _, ok := s.at[id]; !ok {
			return false
		}
	}
	return true
}

// TestStreamSendsEachNewMatchingEventOnceAtNoAuth0Cost runs a live tail over a live tenant:
// every matching event the emulator makes readable arrives once, within the tail's poll interval
// plus 2 s, and the stream adds no Auth0 search to the tail's checkpoint reads.
func TestStreamSendsEachNewMatchingEventOnceAtNoAuth0Cost(t *testing.T) {
	// The tail's clock is the real one: an empty store starts reading at the real now, so the
	// tenant's clock starts a little ahead of it and runs faster.
	start := time.Now().Add(5 * time.Second).Truncate(time.Second)
	st, clock := liveStoreTenant(t, start)
	d := st.instance(t, true)
	require.NotNil(t, d.store.tenant, "the store is in use: %v", d.store.err)
	waitFor(t, "the tail to catch up", func() bool {
		s, err := d.store.handle.Status(context.Background())
		return err == nil && s.CaughtUp
	})

	// The path condition is judged by the plugin on what the store selects for the rest.
	const q = `(type:s OR type:f*) AND NOT details.error.message:"Wrong email or password."`
	query := `{"queryType":"logs","query":` + strconv.Quote(q) + `}`
	whole, err := logquery.ParsePaths(q)
	require.NoError(t, err)
	matcher, err := logquery.CompilePaths(whole)
	require.NoError(t, err)
	sink := &frameSink{at: map[string]time.Time{}}
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan struct{}), make(chan error, 1)
	req := &backend.RunStreamRequest{PluginContext: st.pluginContext(), Path: "tail/abc", Data: json.RawMessage(query)}
	searchesBefore := st.rec.searchRequests()
	go func() { done <- d.runStream(ctx, req, backend.NewStreamSender(sink), func() { close(ready) }) }()
	<-ready

	// 30 s of the tenant's life, one second every 200 ms of real time.
	end := start.Add(30 * time.Second)
	for now := start.Add(time.Second); !now.After(end); now = now.Add(time.Second) {
		clock.set(now)
		time.Sleep(200 * time.Millisecond)
	}
	var want []string
	var other int
	for i := range st.events {
		e := &st.events[i]
		ingest, ok := store.LogIDTime(e.LogID)
		require.True(t, ok)
		if !ingest.After(start) || ingest.After(end) {
			continue
		}
		if matcher.Match(e) {
			want = append(want, e.LogID)
		} else {
			other++
		}
	}
	require.GreaterOrEqual(t, len(want), 5, "the window holds matching events")
	require.Positive(t, other, "the window holds events the query must leave out")
	deadline := time.Now().Add(time.Minute)
	for !sink.has(want) {
		if time.Now().After(deadline) {
			status, _ := d.store.handle.Status(context.Background())
			state, _ := d.store.tenant.Engine.State(context.Background(), d.store.tenant.Key)
			t.Fatalf("%d of %d matching events arrived in %d frames; tail %+v; checkpoint %s; first wanted %s",
				len(sink.ids), len(want), sink.frames, status.Live, state.Checkpoint(), want[0])
		}
		time.Sleep(20 * time.Millisecond)
	}

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err, "the stream ends cleanly when the last viewer leaves")
	case <-time.After(time.Minute):
		t.Fatal("the stream did not end after its context was cancelled")
	}

	sink.mu.Lock()
	defer sink.mu.Unlock()
	assert.Empty(t, sink.dups, "no event is sent twice")
	assert.ElementsMatch(t, want, sink.ids, "exactly the new matching events, none from before the stream")
	limit := d.storeSettings.Poll() + 2*time.Second
	var worst time.Duration
	for _, id := range want {
		ingest, _ := store.LogIDTime(id)
		delay := sink.at[id].Sub(clock.readableAt(ingest))
		worst = max(worst, delay)
		assert.LessOrEqual(t, delay, limit, "event %s arrived %s after it became readable", id, delay)
	}
	t.Logf("%d matching events streamed in %d frames; the slowest arrived %s after it became readable (limit %s)", len(want), sink.frames, worst, limit)
	assert.Equal(t, searchesBefore, st.rec.searchRequests(), "the stream makes no Auth0 search")
}

// TestStreamNeedsTheStore: with the store off a subscription is refused with what to turn on,
// and a path that is not a tail is not found.
func TestStreamNeedsTheStore(t *testing.T) {
	st := newStoreTenant(t, relOptions{days: 1, perDay: 100})
	off := st.instance(t, false)
	_, err := off.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: "tail/abc", Data: json.RawMessage(`{"queryType":"logs"}`)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "live tail needs the tenant log store")
	assert.True(t, backend.IsDownstreamError(err))

	on := st.instance(t, true)
	resp, err := on.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: "tail/abc", Data: json.RawMessage(`{"queryType":"logs","query":"type:s"}`)})
	require.NoError(t, err)
	assert.Equal(t, backend.SubscribeStreamStatusOK, resp.Status)
	resp, err = on.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: "other"})
	require.NoError(t, err)
	assert.Equal(t, backend.SubscribeStreamStatusNotFound, resp.Status)
	_, err = on.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: "tail/x", Data: json.RawMessage(`{"query":"type:(s"}`)})
	require.Error(t, err, "a query that does not parse is refused at subscribe")
	pub, err := on.PublishStream(context.Background(), &backend.PublishStreamRequest{Path: "tail/abc"})
	require.NoError(t, err)
	assert.Equal(t, backend.PublishStreamStatusPermissionDenied, pub.Status)
}
