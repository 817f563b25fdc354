package fetch

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// errClosed is what a Fetcher answers once closed; it wraps context.Canceled, as a fetch cut by
// Close does.
var errClosed = fmt.Errorf("the data source was reconfigured or removed while this query ran: run it again (%w)", context.Canceled)

type flightResult struct {
	s        span
	requests int
	err      error
}

// call is one read in flight, which every fetch with the same key joins.
type call struct {
	rd   *reading
	done chan struct{}
	res  flightResult
}

// errStale is shared's answer when no read is in flight but one that ended since the caller looked
// left what the caller wanted: it should look again instead of reading it twice.
var errStale = errors.New("fetch: a read ended since the caller looked")

// shared runs read once for every caller with the same key. The read runs on a context of its own
// (bounded by FetchTimeout and by Close), so a panel that is cancelled does not fail the panels
// that joined it; the caller still stops waiting when its own context ends. When answerBy closes
// first, the caller gets what the read has completed so far, with ErrSlow, and the read goes on.
//
// A read keeps its result before it leaves the flight table, so stale, asked under the same lock
// when no read is in flight, sees whatever the last one kept: a caller that looked just before a
// read ended is told to look again (errStale) rather than repeating the read.
func (f *Fetcher) shared(ctx context.Context, answerBy <-chan struct{}, key string, from, to time.Time, stale func() bool, read func(context.Context, *reading) flightResult) (flightResult, bool, error) {
	if f.base.Err() != nil {
		// Closed: a read started now could send a request before the cancellation reached it.
		return flightResult{}, false, errClosed
	}
	if f.o.FlightClass != nil {
		key += "\x00" + f.o.FlightClass(ctx)
	}
	f.flightMu.Lock()
	c, joined := f.flights[key]
	switch {
	case joined:
		f.joined.Add(1)
	case stale():
		f.flightMu.Unlock()
		return flightResult{}, false, errStale
	default:
		c = &call{rd: newReading(from, to), done: make(chan struct{})}
		f.flights[key] = c
		go f.run(ctx, key, c, read)
	}
	f.flightMu.Unlock()
	select {
	case <-c.done:
		return c.res, joined, nil
	case <-ctx.Done():
		return flightResult{}, false, ctx.Err()
	case <-answerBy:
		select {
		case <-c.done:
			return c.res, joined, nil
		default:
		}
		s, requests := c.rd.snapshot()
		return flightResult{s: s, requests: requests, err: ErrSlow}, joined, nil
	}
}

// run is the leader's read. It keeps ctx's values but not its end; FetchTimeout and Close end it.
func (f *Fetcher) run(ctx context.Context, key string, c *call, read func(context.Context, *reading) flightResult) {
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.o.FetchTimeout)
	defer cancel()
	unwatch := context.AfterFunc(f.base, cancel)
	defer unwatch()
	c.res = read(fctx, c.rd)
	f.requests.Add(int64(c.res.requests))
	f.flightMu.Lock()
	delete(f.flights, key)
	f.flightMu.Unlock()
	close(c.done)
}

// gap reads one settled gap and caches what it read completely.
func (f *Fetcher) gap(ctx context.Context, answerBy <-chan struct{}, filter string, g Interval, stopAfter int, b *budget) (span, Cost, error) {
	// A full read is keyed by its filter alone: during a cold load that lasts minutes the gaps of
	// the panels move with the clock, and a panel should join the read in flight whatever its
	// bounds, then read only what is still missing. A read that stops at a limit answers only its
	// own interval and limit.
	key := fmt.Sprintf("gap\x00%s", filter)
	if stopAfter > 0 {
		key = fmt.Sprintf("gap\x00%s\x00%d\x00%d\x00%d", filter, g.From.UnixMilli(), g.To.UnixMilli(), stopAfter)
	}
	stale := func() bool {
		gs := f.cache.gaps(filter, g.From, g.To)
		return len(gs) != 1 || gs[0] != g
	}
	r, joined, err := f.shared(ctx, answerBy, key, g.From, g.To, stale, func(fctx context.Context, rd *reading) flightResult {
		s, err := pageRange(fctx, f.o.Search, filter, rd, stopAfter, b.spend)
		f.cache.put(filter, s)
		return flightResult{s: s, requests: rd.spent(), err: err}
	})
	if err != nil {
		return span{from: g.To, to: g.To}, Cost{}, err
	}
	if r.err == ErrSlow {
		// What is complete so far is as good as what the read will cache when it ends, so the
		// caller can serve it from the cache like any other. Its unreadable elements stay with
		// the read's own span, which is cached when it ends, so they are counted once.
		part := r.s
		part.unreadable = 0
		f.cache.put(filter, part)
	}
	return r.s, costOf(r, joined), r.err
}

// tail reads the unsettled end of a range, reusing a read of the same filter made within TailTTL.
func (f *Fetcher) tail(ctx context.Context, answerBy <-chan struct{}, filter string, from, to time.Time, stopAfter int, b *budget) (span, Cost, error) {
	now := f.o.Now()
	reusable := func() (tail, bool) {
		f.tailMu.Lock()
		t, ok := f.tails[filter]
		f.tailMu.Unlock()
		return t, ok && !t.from.After(from) && now.Sub(t.fetchedAt) <= f.o.TailTTL && !to.After(t.to.Add(f.o.TailTTL))
	}
	if t, ok := reusable(); ok {
		return span{from: from, to: to, events: within(t.events, from, to), notes: t.notes.within(from, to)}, Cost{CacheHits: 1}, nil
	}
	key := fmt.Sprintf("tail\x00%s\x00%d\x00%d", filter, from.UnixMilli(), stopAfter)
	stale := func() bool { _, ok := reusable(); return ok }
	r, joined, err := f.shared(ctx, answerBy, key, from, to, stale, func(fctx context.Context, rd *reading) flightResult {
		s, err := pageRange(fctx, f.o.Search, filter, rd, stopAfter, b.spend)
		if err == nil {
			f.keepTail(filter, tail{span: s, fetchedAt: f.o.Now()})
		}
		return flightResult{s: s, requests: rd.spent(), err: err}
	})
	if errors.Is(err, errStale) {
		return f.tail(ctx, answerBy, filter, from, to, stopAfter, b)
	}
	if err != nil {
		return span{from: to, to: to}, Cost{}, err
	}
	return r.s, costOf(r, joined), r.err
}

// costOf is a read's cost. What the read noted is reported with its events, by the caller.
func costOf(r flightResult, joined bool) Cost {
	if joined {
		return Cost{Joined: 1}
	}
	return Cost{Requests: r.requests}
}

// keepTail stores a tail read and drops the expired ones, so the map holds only live filters.
func (f *Fetcher) keepTail(filter string, t tail) {
	f.tailMu.Lock()
	defer f.tailMu.Unlock()
	for k, old := range f.tails {
		if t.fetchedAt.Sub(old.fetchedAt) > f.o.TailTTL {
			delete(f.tails, k)
		}
	}
	f.tails[filter] = t
}
