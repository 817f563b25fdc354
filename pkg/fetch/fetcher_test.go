package fetch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

var day0 = time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)

func newTestFetcher(fake *fakeAuth0, now time.Time) *Fetcher {
	return New(Options{Search: fake.search, Now: func() time.Time { return now }})
}

func TestFetchAllPastTheThousandCapIsExact(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(2500, day0, 48*time.Hour)}
	f := newTestFetcher(fake, day0.Add(72*time.Hour))
	res, err := f.Fetch(context.Background(), Request{From: day0, To: day0.Add(48 * time.Hour)})
	require.NoError(t, err)
	assert.Len(t, res.Events, 2500)
	assert.Nil(t, res.Missing)
	assertNewestFirstUnique(t, res.Events)
	// About one request per 100 events, plus the overlap at each keyset boundary.
	assert.LessOrEqual(t, res.Cost.Requests, 27)
	assert.GreaterOrEqual(t, res.Cost.Requests, 25)
}

func TestFetchFilterIsPartOfTheQuery(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(600, day0, 24*time.Hour)}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	res, err := f.Fetch(context.Background(), Request{Filter: `type:"fu"`, From: day0, To: day0.Add(24 * time.Hour)})
	require.NoError(t, err)
	assert.Len(t, res.Events, 300)
	for _, e := range res.Events {
		assert.Equal(t, "fu", e.Type)
	}
}

func TestFetchEventsSharingATimestampAcrossPages(t *testing.T) {
	events := tenantEvents(300, day0, time.Hour)
	tie := day0.Add(30 * time.Minute)
	for i := 100; i < 350; i++ { // 250 events at one millisecond, straddling page boundaries
		events = append(events, event.Event{LogID: fmt.Sprintf("8%05d", i), Date: tie, Type: "fu"})
	}
	fake := &fakeAuth0{events: events}
	f := newTestFetcher(fake, day0.Add(2*time.Hour))
	res, err := f.Fetch(context.Background(), Request{From: day0, To: day0.Add(time.Hour)})
	require.NoError(t, err)
	assert.Len(t, res.Events, 550)
	assertNewestFirstUnique(t, res.Events)
}

func TestSettledRangeIsFetchedOnce(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(1000, day0, 24*time.Hour)}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	r := Request{From: day0, To: day0.Add(24 * time.Hour)}
	first, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	calls := fake.calls.Load()

	again, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	assert.Equal(t, calls, fake.calls.Load(), "a settled range must come from the cache")
	assert.Equal(t, 0, again.Cost.Requests)
	assert.Positive(t, again.Cost.CacheHits)
	assert.Equal(t, first.Events, again.Events)

	// Widening the range fetches only the new part.
	wider, err := f.Fetch(context.Background(), Request{From: day0.Add(-24 * time.Hour), To: day0.Add(24 * time.Hour)})
	require.NoError(t, err)
	assert.Len(t, wider.Events, 1000)
	assert.Equal(t, 1, wider.Cost.Requests, "the empty earlier day costs one request")
}

func TestUnsettledTailIsReusedOnlyBriefly(t *testing.T) {
	now := day0.Add(24 * time.Hour)
	fake := &fakeAuth0{events: tenantEvents(500, day0, 24*time.Hour)}
	clock := now
	f := New(Options{Search: fake.search, Now: func() time.Time { return clock }})
	r := Request{From: day0, To: now}
	_, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	calls := fake.calls.Load()

	clock = now.Add(5 * time.Second)
	res, err := f.Fetch(context.Background(), Request{From: day0, To: clock})
	require.NoError(t, err)
	assert.Equal(t, calls, fake.calls.Load(), "a tail read 5 s ago is reused")
	assert.Len(t, res.Events, 500)

	clock = now.Add(time.Minute)
	_, err = f.Fetch(context.Background(), Request{From: day0, To: clock})
	require.NoError(t, err)
	assert.Greater(t, fake.calls.Load(), calls, "a stale tail is read again")
}

func TestBudgetCutKeepsTheNewestAndSaysWhatIsMissing(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(2000, day0, 20*time.Hour)}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	res, err := f.Fetch(context.Background(), Request{From: day0, To: day0.Add(20 * time.Hour), Budget: 5})
	require.ErrorIs(t, err, ErrBudget)
	assert.Equal(t, 5, res.Cost.Requests)
	require.NotNil(t, res.Missing)
	assert.Equal(t, day0, res.Missing.From)
	// Everything after the missing part is there, exactly.
	want := 0
	for _, e := range fake.events {
		if !e.Date.Before(res.Missing.To) {
			want++
		}
	}
	assert.Len(t, res.Events, want)
	assert.Greater(t, want, 350)

	// The next fetch spends only on what is missing.
	res2, err := f.Fetch(context.Background(), Request{From: day0, To: day0.Add(20 * time.Hour)})
	require.NoError(t, err)
	assert.Len(t, res2.Events, 2000)
	assert.LessOrEqual(t, res2.Cost.Requests, 17)
}

func TestErrorMidwayKeepsWhatWasRead(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(500, day0, 10*time.Hour), failAt: 3, failWith: errBoom}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	res, err := f.Fetch(context.Background(), Request{From: day0, To: day0.Add(10 * time.Hour)})
	require.ErrorIs(t, err, errBoom)
	require.NotNil(t, res.Missing)
	assert.NotEmpty(t, res.Events)
	res2, err := f.Fetch(context.Background(), Request{From: day0, To: day0.Add(10 * time.Hour)})
	require.NoError(t, err)
	assert.Len(t, res2.Events, 500)
	assert.LessOrEqual(t, res2.Cost.Requests, 4, "only the unread part is fetched again")
}

func TestLatestStopsAtTheLimit(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(3000, day0, 24*time.Hour)}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	res, err := f.Fetch(context.Background(), Request{From: day0, To: day0.Add(24 * time.Hour), Mode: Latest, Limit: 150})
	require.NoError(t, err)
	require.Len(t, res.Events, 150)
	assert.Nil(t, res.Missing)
	assert.Equal(t, 2, res.Cost.Requests)
	assert.Equal(t, fake.events[2999].LogID, res.Events[0].LogID, "newest first")
	assertNewestFirstUnique(t, res.Events)
}

func TestConcurrentIdenticalFetchesCostOne(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(1200, day0, 24*time.Hour), gate: make(chan struct{})}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	r := Request{From: day0, To: day0.Add(24 * time.Hour)}
	var wg sync.WaitGroup
	results := make([]Result, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := f.Fetch(context.Background(), r)
			assert.NoError(t, err)
			results[i] = res
		}()
	}
	// Let the four reach the shared fetch, then let Auth0 answer.
	waitForJoiners(t, f, 3)
	close(fake.gate)
	wg.Wait()
	assert.LessOrEqual(t, fake.calls.Load(), int64(14))
	charged := 0
	for _, res := range results {
		assert.Len(t, res.Events, 1200)
		charged += res.Cost.Requests
	}
	assert.Equal(t, int(fake.calls.Load()), charged, "the leader pays for the shared read, the joiners do not")
}

func TestALaterPanelJoinsAReadOfAWiderInterval(t *testing.T) {
	alone := &fakeAuth0{events: tenantEvents(1500, day0, 24*time.Hour)}
	_, err := newTestFetcher(alone, day0.Add(48*time.Hour)).Fetch(context.Background(), Request{From: day0, To: day0.Add(24 * time.Hour)})
	require.NoError(t, err)

	fake := &fakeAuth0{events: tenantEvents(1500, day0, 24*time.Hour), gate: make(chan struct{})}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	done := make(chan Result, 2)
	fetch := func(r Request) {
		res, err := f.Fetch(context.Background(), r)
		assert.NoError(t, err)
		done <- res
	}
	go fetch(Request{From: day0, To: day0.Add(24 * time.Hour)})
	require.Eventually(t, func() bool { return fake.calls.Load() >= 1 }, time.Minute, time.Millisecond)
	// A second panel over part of the day arrives while the first read is in flight: it joins
	// that read instead of reading its own interval again.
	go fetch(Request{From: day0.Add(6 * time.Hour), To: day0.Add(18 * time.Hour)})
	waitForJoiners(t, f, 1)
	close(fake.gate)
	a, b := <-done, <-done
	assert.Equal(t, alone.calls.Load(), fake.calls.Load(), "the day was read once")
	assert.Equal(t, 1500+750, len(a.Events)+len(b.Events))
}

func TestAJoinerDoesNotInheritTheLeadersBudgetCut(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(1500, day0, 24*time.Hour), gate: make(chan struct{})}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	r := Request{From: day0, To: day0.Add(24 * time.Hour)}
	errs := make(chan error, 1)
	go func() {
		lean := r
		lean.Budget = 3
		_, err := f.Fetch(context.Background(), lean)
		errs <- err
	}()
	require.Eventually(t, func() bool { return fake.calls.Load() >= 1 }, time.Minute, time.Millisecond)
	full := make(chan Result, 1)
	go func() {
		res, err := f.Fetch(context.Background(), r)
		assert.NoError(t, err)
		full <- res
	}()
	waitForJoiners(t, f, 1)
	close(fake.gate)
	require.ErrorIs(t, <-errs, ErrBudget)
	res := <-full
	assert.Len(t, res.Events, 1500, "the joiner goes on with its own budget")
	assert.Nil(t, res.Missing)
}

func TestCancelledCallerDoesNotFailTheOthers(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(300, day0, 24*time.Hour), gate: make(chan struct{})}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	r := Request{From: day0, To: day0.Add(24 * time.Hour)}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := f.Fetch(ctx, r); errc <- err }()
	require.Eventually(t, func() bool { return fake.calls.Load() >= 1 }, time.Minute, time.Millisecond)
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
	close(fake.gate)
	res, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	assert.Len(t, res.Events, 300)
}

func TestCloseStopsRunningFetches(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(300, day0, 24*time.Hour), gate: make(chan struct{})}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	errc := make(chan error, 1)
	go func() {
		_, err := f.Fetch(context.Background(), Request{From: day0, To: day0.Add(24 * time.Hour)})
		errc <- err
	}()
	require.Eventually(t, func() bool { return fake.calls.Load() >= 1 }, time.Minute, time.Millisecond)
	f.Close()
	err := <-errc
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
}

func TestCacheEvictsLeastRecentlyUsedFilter(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(400, day0, 24*time.Hour)}
	f := New(Options{Search: fake.search, Now: func() time.Time { return day0.Add(48 * time.Hour) }, MaxCachedEvents: 300})
	r := Request{From: day0, To: day0.Add(24 * time.Hour)}
	_, err := f.Fetch(context.Background(), Request{Filter: `type:"s"`, From: r.From, To: r.To})
	require.NoError(t, err)
	_, err = f.Fetch(context.Background(), Request{Filter: `type:"fu"`, From: r.From, To: r.To})
	require.NoError(t, err)
	st := f.Stats()
	assert.Equal(t, 1, st.CachedFilters)
	assert.Equal(t, 200, st.CachedEvents)
}

func TestEmptyRangeIsRejectedWithoutACall(t *testing.T) {
	fake := &fakeAuth0{}
	f := newTestFetcher(fake, day0)
	_, err := f.Fetch(context.Background(), Request{From: day0, To: day0})
	require.ErrorContains(t, err, "time range is empty")
	assert.Zero(t, fake.calls.Load())
}

func assertNewestFirstUnique(t *testing.T, events []event.Event) {
	t.Helper()
	seen := map[string]bool{}
	for i, e := range events {
		require.False(t, seen[e.LogID], "duplicate %s", e.LogID)
		seen[e.LogID] = true
		if i > 0 {
			require.False(t, e.Date.After(events[i-1].Date), "not newest first at %d", i)
		}
	}
}

func TestUnreadableElementsKeepThePageFullAndAreReportedEveryTime(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(250, day0, 24*time.Hour)}
	// Auth0 sends one element the client cannot read on the first page: a placeholder.
	search := func(ctx context.Context, q string, page, perPage int) ([]event.Event, error) {
		got, err := fake.search(ctx, q, page, perPage)
		if err == nil && fake.calls.Load() == 1 && len(got) == perPage {
			got[len(got)-1] = event.Event{}
		}
		return got, err
	}
	f := New(Options{Search: search, Now: func() time.Time { return day0.Add(48 * time.Hour) }})
	r := Request{From: day0, To: day0.Add(24 * time.Hour)}
	res, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	assert.Equal(t, 1, res.Cost.Unreadable)
	assert.GreaterOrEqual(t, len(res.Events), 249, "the full page did not end the read")

	calls := fake.calls.Load()
	again, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	assert.Equal(t, calls, fake.calls.Load(), "the range is cached")
	assert.Equal(t, res.Events, again.Events)
	assert.Equal(t, 1, again.Cost.Unreadable, "and still says what it could not count")
}

func TestConcurrentLatestFetchesStopAtTheirLimit(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(3000, day0, 24*time.Hour), gate: make(chan struct{})}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	r := Request{From: day0, To: day0.Add(24 * time.Hour), Mode: Latest, Limit: 150}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := f.Fetch(context.Background(), r)
			assert.NoError(t, err)
			assert.Len(t, res.Events, 150)
		}()
	}
	waitForJoiners(t, f, 3)
	close(fake.gate)
	wg.Wait()
	assert.Equal(t, int64(2), fake.calls.Load(), "joiners of a read that stopped at the limit do not read on")
}

// waitForJoiners waits until n fetches have joined a read in flight: a condition, not a pause, so
// a slow machine only makes the test slower.
func waitForJoiners(t *testing.T, f *Fetcher, n int64) {
	t.Helper()
	require.Eventually(t, func() bool { return f.Stats().Joined >= n }, time.Minute, time.Millisecond)
}
