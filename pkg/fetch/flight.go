package fetch

import (
	"context"
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

// shared runs read once for every caller with the same key. The read runs on a context of its own
// (bounded by FetchTimeout and by Close), so a panel that is cancelled does not fail the panels
// that joined it; the caller still stops waiting when its own context ends.
func (f *Fetcher) shared(ctx context.Context, key string, read func(context.Context) flightResult) (flightResult, bool, error) {
	if f.base.Err() != nil {
		// Closed: a read started now could send a request before the cancellation reached it.
		return flightResult{}, false, errClosed
	}
	led := false // only the leader's function runs; the channel receive below orders the read
	ch := f.flight.DoChan(key, func() (any, error) {
		led = true
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.o.FetchTimeout)
		defer cancel()
		unwatch := context.AfterFunc(f.base, cancel)
		defer unwatch()
		r := read(fctx)
		f.requests.Add(int64(r.requests))
		return r, nil
	})
	select {
	case <-ctx.Done():
		return flightResult{}, false, ctx.Err()
	case v := <-ch:
		if !led {
			f.joined.Add(1)
		}
		return v.Val.(flightResult), !led, nil
	}
}

// gap reads one settled gap and caches what it read completely.
func (f *Fetcher) gap(ctx context.Context, filter string, g Interval, stopAfter int, b *budget) (span, Cost, error) {
	// A full read is keyed by its filter alone: during a cold load that lasts minutes the gaps of
	// the panels move with the clock, and a panel should join the read in flight whatever its
	// bounds, then read only what is still missing. A read that stops at a limit answers only its
	// own interval and limit.
	key := fmt.Sprintf("gap\x00%s", filter)
	if stopAfter > 0 {
		key = fmt.Sprintf("gap\x00%s\x00%d\x00%d\x00%d", filter, g.From.UnixMilli(), g.To.UnixMilli(), stopAfter)
	}
	r, joined, err := f.shared(ctx, key, func(fctx context.Context) flightResult {
		s, n, err := pageRange(fctx, f.o.Search, filter, g.From, g.To, stopAfter, b.spend)
		f.cache.put(filter, s)
		return flightResult{s: s, requests: n, err: err}
	})
	if err != nil {
		return span{from: g.To, to: g.To}, Cost{}, err
	}
	return r.s, costOf(r, joined), r.err
}

// tail reads the unsettled end of a range, reusing a read of the same filter made within TailTTL.
func (f *Fetcher) tail(ctx context.Context, filter string, from, to time.Time, stopAfter int, b *budget) (span, Cost, error) {
	now := f.o.Now()
	f.tailMu.Lock()
	t, ok := f.tails[filter]
	f.tailMu.Unlock()
	if ok && !t.from.After(from) && now.Sub(t.fetchedAt) <= f.o.TailTTL && !to.After(t.to.Add(f.o.TailTTL)) {
		return span{from: from, to: to, events: within(t.events, from, to)}, Cost{CacheHits: 1, Unreadable: t.unreadable}, nil
	}
	key := fmt.Sprintf("tail\x00%s\x00%d\x00%d", filter, from.UnixMilli(), stopAfter)
	r, joined, err := f.shared(ctx, key, func(fctx context.Context) flightResult {
		s, n, err := pageRange(fctx, f.o.Search, filter, from, to, stopAfter, b.spend)
		if err == nil {
			f.keepTail(filter, tail{span: s, fetchedAt: f.o.Now()})
		}
		return flightResult{s: s, requests: n, err: err}
	})
	if err != nil {
		return span{from: to, to: to}, Cost{}, err
	}
	return r.s, costOf(r, joined), r.err
}

// costOf is a read's cost. A gap's unreadable events are reported when the cache serves the gap.
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
