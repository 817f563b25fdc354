package fetch

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Options configures a Fetcher. Zero values get the defaults below.
type Options struct {
	Search SearchFunc
	// SettleDelay is how long Auth0 may take to index an event; only older windows are cached.
	SettleDelay time.Duration
	// TailTTL is how long a read of the unsettled tail is reused by later fetches.
	TailTTL time.Duration
	// MaxCachedEvents bounds the settled cache.
	MaxCachedEvents int
	// FetchTimeout bounds one shared fetch, which outlives the panel that started it.
	FetchTimeout time.Duration
	Now          func() time.Time
	// AfterFunc runs f once d has passed, unless stopped first; it is time.AfterFunc unless a
	// test drives the deadline itself.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// FlightClass separates reads in flight by the caller's class: a read runs at its leader's
	// priority, so an alert rule that joined a dashboard's read would wait with it. Callers of
	// different classes therefore read apart. nil puts everyone in one class.
	FlightClass func(ctx context.Context) string
}

// Defaults for Options.
const (
	DefaultSettleDelay     = 5 * time.Minute
	DefaultTailTTL         = 15 * time.Second
	DefaultMaxCachedEvents = 500_000
	DefaultFetchTimeout    = 3 * time.Minute
)

// Fetcher is the API-backed Source: cache, tail reuse and single-flight in front of SearchFunc.
type Fetcher struct {
	o        Options
	cache    *cache
	flightMu sync.Mutex
	flights  map[string]*call
	tailMu   sync.Mutex
	tails    map[string]tail
	base     context.Context
	stop     context.CancelFunc

	requests, cacheHits, joined atomic.Int64
}

type tail struct {
	span
	fetchedAt time.Time
}

var _ Source = (*Fetcher)(nil)

// New returns a Fetcher. Close it to stop the fetches it still runs.
func New(o Options) *Fetcher {
	if o.SettleDelay == 0 {
		o.SettleDelay = DefaultSettleDelay
	}
	if o.TailTTL == 0 {
		o.TailTTL = DefaultTailTTL
	}
	if o.MaxCachedEvents == 0 {
		o.MaxCachedEvents = DefaultMaxCachedEvents
	}
	if o.FetchTimeout == 0 {
		o.FetchTimeout = DefaultFetchTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.AfterFunc == nil {
		o.AfterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	base, stop := context.WithCancel(context.Background())
	return &Fetcher{o: o, cache: newCache(o.MaxCachedEvents), flights: make(map[string]*call), tails: make(map[string]tail), base: base, stop: stop}
}

// Close cancels every fetch still running; later fetches fail.
func (f *Fetcher) Close() { f.stop() }

// Stats is what the Fetcher has done since it was built, for health and benchmarks.
type Stats struct {
	Requests, CacheHits, Joined int64
	CachedEvents, CachedFilters int
}

// Stats reports the Fetcher's counters.
func (f *Fetcher) Stats() Stats {
	ev, fl := f.cache.stats()
	return Stats{Requests: f.requests.Load(), CacheHits: f.cacheHits.Load(), Joined: f.joined.Load(), CachedEvents: ev, CachedFilters: fl}
}

// Fetch answers r from the cache where it can and from Auth0 for the rest: first the unsettled
// tail, then the settled gaps, newest first, so a budget cut loses the oldest events. When ctx has
// a deadline, Fetch answers shortly before it (see answerBy) with what it has and ErrSlow.
func (f *Fetcher) Fetch(ctx context.Context, r Request) (Result, error) {
	if err := r.validate(); err != nil {
		return Result{}, err
	}
	answerBy, stop := f.answerBy(ctx)
	defer stop()
	// Fetch from the start of the minute so fetches a few seconds apart share their gaps; the
	// extra events are trimmed below.
	from := r.From.Truncate(time.Minute)
	settled := f.o.Now().Add(-f.o.SettleDelay).Truncate(time.Minute)
	if settled.After(r.To) {
		settled = r.To
	}
	if settled.Before(from) {
		settled = from
	}
	b := &budget{left: r.Budget, unlimited: r.Budget <= 0}
	var res Result
	var parts [][]event.Event
	stopAfter := 0
	if r.Mode == Latest {
		stopAfter = r.Limit
	}

	if settled.Before(r.To) {
		s, cost, err := f.tail(ctx, answerBy, r.Filter, settled, r.To, stopAfter, b)
		res.Cost.Add(cost)
		res.note(s.notes.within(r.From, r.To))
		parts = append(parts, within(s.events, r.From, r.To))
		if err != nil || s.from.After(settled) {
			parts = append(parts, latestEdge(r, s))
			return f.finish(res, parts, r, Interval{From: r.From, To: s.from}, err)
		}
	}
	have := count(parts)
	hits := f.cache.overlapping(r.Filter, from, settled)
	res.Cost.CacheHits += hits
	f.cacheHits.Add(int64(hits))
	for {
		gaps := f.cache.gaps(r.Filter, from, settled)
		if len(gaps) == 0 || (stopAfter > 0 && have >= stopAfter) {
			break
		}
		if closed(answerBy) {
			return f.slow(res, parts, r, from, settled, span{})
		}
		gap := gaps[0]
		limit := 0 // All: no limit, and one flight key whatever the tail found
		if stopAfter > 0 {
			limit = stopAfter - have
		}
		s, cost, err := f.gap(ctx, answerBy, r.Filter, gap, limit, b)
		if errors.Is(err, errStale) {
			continue // a read of this gap ended since gaps was asked: the cache has it now
		}
		res.Cost.Add(cost)
		if limit == 0 && cost.Joined > 0 && (err == nil || errors.Is(err, ErrBudget)) {
			// A full read joins by filter alone (see gap), so the read it joined may have been of
			// another interval, or cut by that fetch's budget, not this one's: look again at what
			// is left. A read of the newest events joins only the same interval and limit, so its
			// answer is this fetch's own.
			continue
		}
		if errors.Is(err, ErrSlow) {
			return f.slow(res, parts, r, from, settled, s)
		}
		if err != nil || s.from.After(gap.From) {
			// What the gap did read is cached with the newer spans: serve them together.
			parts = append(parts, f.settledEvents(&res, r.Filter, s.from, settled, r.From)...)
			parts = append(parts, latestEdge(r, s))
			return f.finish(res, parts, r, Interval{From: r.From, To: maxTime(s.from, r.From)}, err)
		}
		have += len(s.events)
	}
	parts = append(parts, f.settledEvents(&res, r.Filter, r.From, settled, r.From)...)
	return f.finish(res, parts, r, Interval{}, nil)
}

// answerBy closes shortly before ctx's deadline, so a fetch still has time to answer with what it
// read: a caller that answers after its deadline shows only "deadline exceeded". The margin is a
// second, or a tenth of the time left when that is more, and at most half of it, so a short
// deadline still leaves time to read.
func (f *Fetcher) answerBy(ctx context.Context) (<-chan struct{}, func() bool) {
	dl, ok := ctx.Deadline()
	if !ok {
		return nil, func() bool { return false }
	}
	ch := make(chan struct{})
	var once sync.Once
	return ch, f.o.AfterFunc(answerWait(time.Until(dl)), func() { once.Do(func() { close(ch) }) })
}

// answerWait is how long a fetch with left until its deadline may wait for Auth0.
func answerWait(left time.Duration) time.Duration {
	if left <= 0 {
		return left
	}
	return left - min(max(time.Second, left/10), left/2)
}

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// slow answers a fetch out of time with the settled events cached back from settled without a
// gap (which includes what the read in flight completed), and says the rest is missing.
func (f *Fetcher) slow(res Result, parts [][]event.Event, r Request, from, settled time.Time, s span) (Result, error) {
	back := f.cache.coveredFrom(r.Filter, from, settled)
	parts = append(parts, f.settledEvents(&res, r.Filter, back, settled, r.From)...)
	if s.from.Equal(back) {
		parts = append(parts, latestEdge(r, s))
	}
	return f.finish(res, parts, r, Interval{From: r.From, To: maxTime(back, r.From)}, ErrSlow)
}

// latestEdge is what a Latest fetch may add after a read that stopped early: the events read at
// its oldest timestamp. Without them a limit of 100 met by one full page would give 99 events. A
// fetch of All events must not count them: their timestamp was not read completely.
func latestEdge(r Request, s span) []event.Event {
	if r.Mode != Latest {
		return nil
	}
	return within(s.edge, r.From, r.To)
}

// settledEvents reads [from, to) of filter from the cache, trimmed to the request's start, and
// adds what the spans serving them noted to res.
func (f *Fetcher) settledEvents(res *Result, filter string, from, to, reqFrom time.Time) [][]event.Event {
	if !from.Before(to) {
		return nil
	}
	events, n := f.cache.collect(filter, maxTime(from, reqFrom), to)
	res.note(n)
	return [][]event.Event{events}
}

// note adds what a read noted to the result.
func (res *Result) note(n notes) {
	res.Cost.Unreadable += n.unreadable
	res.Cost.Conflicting += len(n.conflicts)
	res.Crowded = append(res.Crowded, n.crowded...)
}

// finish joins the parts (each newest first, in newest-first order), applies the limit and says
// what is missing. An error with no events at all is returned as is.
func (f *Fetcher) finish(res Result, parts [][]event.Event, r Request, missing Interval, err error) (Result, error) {
	n := count(parts)
	if r.Mode == Latest && n > r.Limit {
		n = r.Limit
	}
	res.Events = make([]event.Event, 0, n)
	for _, p := range parts {
		for i := range p {
			if len(res.Events) == n {
				break
			}
			res.Events = append(res.Events, p[i])
		}
	}
	res.Cost.Events = len(res.Events)
	if missing.From.Before(missing.To) && !(r.Mode == Latest && len(res.Events) >= r.Limit) {
		res.Missing = &missing
	}
	if err != nil && len(res.Events) == 0 && !errors.Is(err, ErrBudget) {
		return res, err
	}
	return res, err
}

func count(parts [][]event.Event) int {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	return n
}

// Add sums o's requests and counters into c; Events stays c's own, since what one read returns
// is not another's.
func (c *Cost) Add(o Cost) {
	c.Requests += o.Requests
	c.CacheHits += o.CacheHits
	c.Joined += o.Joined
	c.Unreadable += o.Unreadable
	c.Conflicting += o.Conflicting
}

// budget is one fetch's request allowance, shared by the tail and the gaps it reads.
type budget struct {
	mu        sync.Mutex
	left      int
	unlimited bool
}

func (b *budget) spend() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.unlimited {
		return true
	}
	if b.left <= 0 {
		return false
	}
	b.left--
	return true
}
