package fetch

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

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
	o      Options
	cache  *cache
	flight singleflight.Group
	tailMu sync.Mutex
	tails  map[string]tail
	base   context.Context
	stop   context.CancelFunc

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
	base, stop := context.WithCancel(context.Background())
	return &Fetcher{o: o, cache: newCache(o.MaxCachedEvents), tails: make(map[string]tail), base: base, stop: stop}
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
// tail, then the settled gaps, newest first, so a budget cut loses the oldest events.
func (f *Fetcher) Fetch(ctx context.Context, r Request) (Result, error) {
	if err := r.validate(); err != nil {
		return Result{}, err
	}
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
		s, cost, err := f.tail(ctx, r.Filter, settled, r.To, stopAfter, b)
		res.Cost.add(cost)
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
		gap := gaps[0]
		limit := 0 // All: no limit, and one flight key whatever the tail found
		if stopAfter > 0 {
			limit = stopAfter - have
		}
		s, cost, err := f.gap(ctx, r.Filter, gap, limit, b)
		res.Cost.add(cost)
		if limit == 0 && cost.Joined > 0 && (err == nil || errors.Is(err, ErrBudget)) {
			// A full read joins by filter alone (see gap), so the read it joined may have been of
			// another interval, or cut by that fetch's budget, not this one's: look again at what
			// is left. A read of the newest events joins only the same interval and limit, so its
			// answer is this fetch's own.
			continue
		}
		if err != nil || s.from.After(gap.From) {
			// What the gap did read is cached with the newer spans: serve them together.
			parts = append(parts, f.settledEvents(&res.Cost, r.Filter, s.from, settled, r.From)...)
			parts = append(parts, latestEdge(r, s))
			return f.finish(res, parts, r, Interval{From: r.From, To: maxTime(s.from, r.From)}, err)
		}
		have += len(s.events)
	}
	parts = append(parts, f.settledEvents(&res.Cost, r.Filter, r.From, settled, r.From)...)
	return f.finish(res, parts, r, Interval{}, nil)
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
// adds the events those spans could not read to the cost.
func (f *Fetcher) settledEvents(c *Cost, filter string, from, to, reqFrom time.Time) [][]event.Event {
	if !from.Before(to) {
		return nil
	}
	events, unreadable := f.cache.collect(filter, maxTime(from, reqFrom), to)
	c.Unreadable += unreadable
	return [][]event.Event{events}
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

func (c *Cost) add(o Cost) {
	c.Requests += o.Requests
	c.CacheHits += o.CacheHits
	c.Joined += o.Joined
	c.Unreadable += o.Unreadable
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
