package plugin

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
)

// tieEvents makes n events of one type that share one millisecond, so keyset paging on date has
// to step through them by page number.
func tieEvents(n int, at time.Time, typ string) []event.Event {
	out := make([]event.Event, n)
	for i := range out {
		out[i] = event.Event{
			LogID: fmt.Sprintf("900%d%s%05d", at.UnixMilli(), typ, i), Date: at, Type: typ,
			IP: fmt.Sprintf("10.9.%d.%d", i/250, i%250), UserName: fmt.Sprintf("tie%d@example.com", i),
			Description: "crafted: one of many events at the same millisecond",
		}
	}
	return out
}

var (
	quietMu sync.Mutex
	quiet   = map[[2]int][]event.Event{}
)

// quietEvents is a generated tenant without attacks, cached by size: ordinary traffic only, so a
// multi-day range stays a few thousand events.
func quietEvents(days, perDay int) []event.Event {
	quietMu.Lock()
	defer quietMu.Unlock()
	key := [2]int{days, perDay}
	if ev, ok := quiet[key]; ok {
		return ev
	}
	ev := tenant.Generate(tenant.Config{Seed: 11, End: testEnd, Days: days, EventsPerDay: perDay, Attacks: []tenant.Attack{}}).Events
	quiet[key] = ev
	return ev
}

// withTies is a quiet three-day tenant plus groups of events that share a millisecond: 250 failed
// logins mid-range, 250 successes on another day, and 120 events exactly at a UTC midnight, where
// a daily bucket starts.
func withTies() []event.Event {
	ev := slices.Clone(quietEvents(3, 1000))
	ev = append(ev, tieEvents(250, testEnd.Add(-30*time.Hour+123*time.Millisecond), "fu")...)
	ev = append(ev, tieEvents(250, testEnd.Add(-50*time.Hour+7*time.Millisecond), "s")...)
	return append(ev, tieEvents(120, testEnd.Add(-48*time.Hour), "fp")...)
}

// TestCountsAreExactAcrossDaysAndTimestampTies counts three days, with groups of 250 events at one
// millisecond that straddle page boundaries, and compares every daily bucket of every type with
// the ground truth.
func TestCountsAreExactAcrossDaysAndTimestampTies(t *testing.T) {
	rt := newRelTenant(t, relOptions{events: withTies()})
	d := rt.datasource(t)
	tr := backend.TimeRange{From: testEnd.Add(-72 * time.Hour), To: testEnd}

	r := rt.query(t.Context(), t, d, tr, `{"queryType":"count","groupBy":"type","interval":"1d"}`)
	require.NoError(t, r.Error)
	assert.Equal(t, rt.truth("", tr), total(t, r.Frames, "count"))
	// Each named type's day equals the ground truth; the folded "other" series holds the rest.
	named := map[time.Time]int64{}
	var other map[time.Time]int64
	for _, f := range r.Frames {
		typ := f.Fields[1].Labels["type"]
		days := hourlyCounts(t, f)
		if typ == aggregate.Other {
			other = days
			continue
		}
		for at, n := range days {
			day := backend.TimeRange{From: at, To: at.Add(24 * time.Hour)}
			assert.Equal(t, rt.truth(fmt.Sprintf("type:%q", typ), day), n, "type %s on %s", typ, at.Format(time.DateOnly))
			named[at] += n
		}
	}
	for at, n := range other {
		day := backend.TimeRange{From: at, To: at.Add(24 * time.Hour)}
		assert.Equal(t, rt.truth("", day)-named[at], n, "other types on %s", at.Format(time.DateOnly))
	}
	assert.Empty(t, warnings(r.Frames))
	requests := rt.emu.Stats().Requests[emulator.EndpointLogs]
	t.Logf("3 days, %d events, 620 of them in three tie groups: %d requests", rt.truth("", tr), requests)

	// One type at a time goes through the per-type parts; the tie group must be whole.
	r = rt.query(t.Context(), t, d, tr, `{"queryType":"count","eventTypes":["fu","fp"],"interval":"1h"}`)
	require.NoError(t, r.Error)
	assert.Equal(t, rt.truth(`type:"fu" OR type:"fp"`, tr), total(t, r.Frames, "count"))
}

// TestLogsReturnEveryEventOfATie asks for the newest events of a range holding only a 250-event
// tie: every one must come back once.
func TestLogsReturnEveryEventOfATie(t *testing.T) {
	at := testEnd.Add(-30*time.Hour + 123*time.Millisecond)
	rt := newRelTenant(t, relOptions{events: withTies()})
	d := rt.datasource(t)
	tr := backend.TimeRange{From: at.Add(-time.Millisecond), To: at.Add(time.Millisecond)}
	r := rt.query(t.Context(), t, d, tr, `{"queryType":"table","eventTypes":["fu"],"limit":1000}`)
	require.NoError(t, r.Error)
	ids, _ := r.Frames[0].FieldByName("log_id")
	require.NotNil(t, ids)
	seen := map[string]bool{}
	for i := 0; i < ids.Len(); i++ {
		id := fmt.Sprint(ids.At(i))
		assert.False(t, seen[id], "log_id %s returned twice", id)
		seen[id] = true
	}
	assert.Len(t, seen, 250)
}

// TestAnInstantBeyondOneSearchIsSkippedPastNotTheRest puts 1,100 events on one millisecond: past
// Auth0's 1,000-result reach, so that instant cannot be counted exactly. It must say so, and every
// other hour, above all the older ones, must still be exact: the fetch used to stop there, losing
// every older event of the range.
func TestAnInstantBeyondOneSearchIsSkippedPastNotTheRest(t *testing.T) {
	at := testEnd.Add(-3*time.Hour + 7*time.Millisecond)
	ev := append(slices.Clone(quietEvents(3, 1000)), tieEvents(1100, at, "fu")...)
	rt := newRelTenant(t, relOptions{events: ev})
	d := rt.datasource(t)
	tr := backend.TimeRange{From: testEnd.Add(-6 * time.Hour), To: testEnd}

	r := rt.query(t.Context(), t, d, tr, `{"queryType":"count","interval":"1h"}`)
	require.NoError(t, r.Error)
	notes := warnings(r.Frames)
	require.Len(t, notes, 1, "a count that cannot be exact carries a warning")
	assert.Contains(t, notes[0], at.UTC().Format(event.DateLayout), "it names the instant")
	assert.Contains(t, notes[0], "1000 of them were read")
	t.Logf("warning: %s", notes[0])
	assert.Equal(t, rt.truth("", tr)-100, total(t, r.Frames, "count"), "only the 100 beyond reach are missing")
	older := 0
	for start, n := range hourlyCounts(t, r.Frames[0]) {
		hour := backend.TimeRange{From: start, To: start.Add(time.Hour)}
		if !at.Before(hour.From) && at.Before(hour.To) {
			continue
		}
		assert.Equal(t, rt.truth("", hour), n, "the hour from %s", start)
		if hour.To.Before(at) {
			older++
		}
	}
	assert.GreaterOrEqual(t, older, 2, "the hours older than the instant are counted")
}

// manualClock is a clock a test moves by hand; the emulator and the fetcher share it.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// onClock rebuilds d's fetcher on clock, so settled windows and tail reuse follow the test's time.
func onClock(t *testing.T, d *Datasource, clock *manualClock) {
	t.Helper()
	d.fetcher.Close()
	f := fetch.New(fetch.Options{Search: searchFunc(d.client), Now: clock.Now})
	d.router.Fetch, d.fetcher = f, f
	t.Cleanup(f.Close)
}

// TestLateIndexedEvents shows how events that Auth0 indexes late are counted. Events younger than
// the index delay are invisible at first; the window they fall in is younger than the settle delay
// (fetch.DefaultSettleDelay), so it is read again by the next query and they are counted then, as
// is an event added afterwards with a date older than events already returned. An event that
// appears later than the settle delay, in a window already cached as settled, is missed by that
// cache and counted once the window is read again (here: by a new instance).
func TestLateIndexedEvents(t *testing.T) {
	clock := &manualClock{now: testEnd.Add(2 * time.Minute)}
	const indexDelay = 3 * time.Minute
	require.Less(t, indexDelay, fetch.DefaultSettleDelay)
	// A few events in the last minute, which the index delay hides at first.
	ev := append(slices.Clone(quietEvents(3, 1000)), tieEvents(3, testEnd.Add(-30*time.Second), "s")...)
	rt := newRelTenant(t, relOptions{events: ev, indexDelay: indexDelay, now: clock.Now})
	d := rt.datasource(t)
	onClock(t, d, clock)
	tr := backend.TimeRange{From: testEnd.Add(-2 * time.Hour), To: clock.Now()}
	const model = `{"queryType":"count","interval":"1m"}`
	visible := func() int64 {
		return rt.truth("", backend.TimeRange{From: tr.From, To: clock.Now().Add(-indexDelay + time.Millisecond)})
	}

	r := rt.query(t.Context(), t, d, tr, model)
	require.NoError(t, r.Error)
	first := total(t, r.Frames, "count")
	require.Equal(t, visible(), first, "what Auth0 has indexed, exactly")
	require.Less(t, first, rt.truth("", tr), "the newest events are not indexed yet")

	// Auth0 indexes an event dated before events already returned, and the index catches up.
	late := tieEvents(1, testEnd.Add(-150*time.Second), "fp")
	rt.emu.Add(late...)
	rt.events = append(slices.Clone(rt.events), late...)
	clock.advance(2 * time.Minute)
	tr.To = clock.Now()
	r = rt.query(t.Context(), t, d, tr, model)
	require.NoError(t, r.Error)
	assert.Equal(t, rt.truth("", tr), total(t, r.Frames, "count"), "every event, the late one included")

	// An event that shows up long after its date, in a window cached as settled, is not re-read.
	stale := tieEvents(1, testEnd.Add(-40*time.Minute), "fp")
	rt.emu.Add(stale...)
	rt.events = append(rt.events, stale...)
	clock.advance(time.Minute)
	tr.To = clock.Now()
	r = rt.query(t.Context(), t, d, tr, model)
	require.NoError(t, r.Error)
	assert.Equal(t, rt.truth("", tr)-1, total(t, r.Frames, "count"), "bounded by the settle delay: missed by the cached window")

	fresh := rt.datasource(t)
	onClock(t, fresh, clock)
	r = rt.query(t.Context(), t, fresh, tr, model)
	require.NoError(t, r.Error)
	assert.Equal(t, rt.truth("", tr), total(t, r.Frames, "count"), "counted once the window is read again")
}

// TestLogsLimitIsMetExactly asks for the newest 100 and 1,000 events, limits that full pages meet
// exactly: the answer is that many events, the newest ones of the ground truth.
func TestLogsLimitIsMetExactly(t *testing.T) {
	rt := newRelTenant(t, relOptions{events: withTies()})
	d := rt.datasource(t)
	tr := backend.TimeRange{From: testEnd.Add(-72 * time.Hour), To: testEnd}
	var dates []time.Time
	for _, e := range rt.events {
		if !e.Date.Before(tr.From) && e.Date.Before(tr.To) {
			dates = append(dates, e.Date)
		}
	}
	slices.SortFunc(dates, func(a, b time.Time) int { return b.Compare(a) })
	for _, limit := range []int{100, 1000} {
		r := rt.query(t.Context(), t, d, tr, fmt.Sprintf(`{"queryType":"logs","limit":%d}`, limit))
		require.NoError(t, r.Error)
		require.Equal(t, limit, r.Frames[0].Rows())
		ts := r.Frames[0].Fields[0]
		for i := range limit {
			require.Equal(t, dates[i], ts.At(i).(time.Time).UTC(), "event %d of the newest %d", i, limit)
		}
		assert.Empty(t, warnings(r.Frames))
	}
}
