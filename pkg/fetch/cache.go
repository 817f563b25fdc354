package fetch

import (
	"container/list"
	"sort"
	"sync"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// cache keeps, per filter, the settled intervals already read, with their events. Intervals of one
// filter are disjoint and sorted oldest first. It is bounded by the number of events held; past it,
// the least recently used filters are dropped whole.
type cache struct {
	mu        sync.Mutex
	max       int
	total     int
	byFilter  map[string]*list.Element
	lru       *list.List // of *coverage, most recent at the front
	evictions int
}

type coverage struct {
	filter string
	spans  []span
	size   int
}

func newCache(maxEvents int) *cache {
	return &cache{max: maxEvents, byFilter: make(map[string]*list.Element), lru: list.New()}
}

// gaps returns the parts of [from, to) not yet covered for filter, newest first.
func (c *cache) gaps(filter string, from, to time.Time) []Interval {
	c.mu.Lock()
	defer c.mu.Unlock()
	var spans []span
	if el, ok := c.byFilter[filter]; ok {
		spans = el.Value.(*coverage).spans
	}
	var out []Interval
	upper := to
	for i := len(spans) - 1; i >= 0 && upper.After(from); i-- {
		s := spans[i]
		if !s.from.Before(upper) {
			continue
		}
		if s.to.Before(upper) {
			out = append(out, Interval{From: maxTime(s.to, from), To: upper})
		}
		upper = s.from
	}
	if upper.After(from) {
		out = append(out, Interval{From: from, To: upper})
	}
	return out
}

// put records a fully read span. Overlaps with what is there are resolved in favour of the
// existing spans (they are equally complete), so events are never held twice.
func (c *cache) put(filter string, s span) {
	if !s.from.Before(s.to) {
		return
	}
	s.edge = nil // not complete, so never cached
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byFilter[filter]
	if !ok {
		el = c.lru.PushFront(&coverage{filter: filter})
		c.byFilter[filter] = el
	}
	c.lru.MoveToFront(el)
	cov := el.Value.(*coverage)
	pieces := subtract(s, cov.spans)
	for i := range pieces {
		pieces[i].notes = s.notes.within(pieces[i].from, pieces[i].to)
		if i > 0 {
			// An unreadable event has no date to place it by; it stays with one piece.
			pieces[i].unreadable = 0
		}
	}
	for _, piece := range pieces {
		cov.spans = append(cov.spans, piece)
		cov.size += len(piece.events)
		c.total += len(piece.events)
	}
	sort.Slice(cov.spans, func(i, j int) bool { return cov.spans[i].from.Before(cov.spans[j].from) })
	cov.spans = mergeTouching(cov.spans)
	c.evict(cov)
}

// collect returns the cached events of filter in [from, to), newest first, and the notes of the
// spans serving them (their unreadable elements whole, the dated notes within [from, to)).
func (c *cache) collect(filter string, from, to time.Time) ([]event.Event, notes) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byFilter[filter]
	if !ok {
		return nil, notes{}
	}
	c.lru.MoveToFront(el)
	spans := el.Value.(*coverage).spans
	var out []event.Event
	var n notes
	for i := len(spans) - 1; i >= 0; i-- {
		if s := spans[i]; s.to.After(from) && s.from.Before(to) {
			out = append(out, within(s.events, from, to)...)
			n.add(s.notes.within(from, to))
		}
	}
	return out, n
}

// coveredFrom returns the oldest time t such that [t, to) of filter is cached without a gap, or
// to when the newest part is not cached.
func (c *cache) coveredFrom(filter string, from, to time.Time) time.Time {
	if gaps := c.gaps(filter, from, to); len(gaps) > 0 {
		return gaps[0].To
	}
	return from
}

// overlapping counts the cached spans of filter that meet [from, to): the cache hits of a fetch.
func (c *cache) overlapping(filter string, from, to time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byFilter[filter]
	if !ok {
		return 0
	}
	n := 0
	for _, s := range el.Value.(*coverage).spans {
		if s.to.After(from) && s.from.Before(to) {
			n++
		}
	}
	return n
}

// evict drops least recently used filters until the cache fits, never the one just written.
func (c *cache) evict(keep *coverage) {
	for c.total > c.max {
		back := c.lru.Back()
		if back == nil || back.Value.(*coverage) == keep {
			return
		}
		cov := back.Value.(*coverage)
		c.total -= cov.size
		c.lru.Remove(back)
		delete(c.byFilter, cov.filter)
		c.evictions++
	}
}

func (c *cache) stats() (events, filters int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total, len(c.byFilter)
}

// within returns the events of a newest-first slice with dates in [from, to), sharing its memory.
func within(events []event.Event, from, to time.Time) []event.Event {
	lo := sort.Search(len(events), func(i int) bool { return events[i].Date.Before(to) })
	hi := sort.Search(len(events), func(i int) bool { return events[i].Date.Before(from) })
	return events[lo:hi]
}

// subtract returns the parts of s not covered by spans (sorted oldest first).
func subtract(s span, spans []span) []span {
	pieces := []span{s}
	for _, o := range spans {
		var next []span
		for _, p := range pieces {
			if !o.from.Before(p.to) || !p.from.Before(o.to) {
				next = append(next, p)
				continue
			}
			if p.from.Before(o.from) {
				next = append(next, span{from: p.from, to: o.from, events: within(p.events, p.from, o.from)})
			}
			if o.to.Before(p.to) {
				next = append(next, span{from: o.to, to: p.to, events: within(p.events, o.to, p.to)})
			}
		}
		pieces = next
	}
	return pieces
}

// mergeTouching joins spans that meet end to start, so lookups stay short.
func mergeTouching(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if last.to.Equal(s.from) {
			merged := make([]event.Event, 0, len(s.events)+len(last.events))
			merged = append(merged, s.events...) // newer span first: newest-first order
			merged = append(merged, last.events...)
			last.to, last.events = s.to, merged
			last.notes.add(s.notes)
			continue
		}
		out = append(out, s)
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
