package fetch

import (
	"sync"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// notes is what a read learnt besides its events, kept with the span (and the cache) so every
// fetch it serves says it again.
type notes struct {
	// unreadable counts the elements Auth0 sent that could not be read (see SearchFunc). They
	// carry no date, so they stay with the read that met them.
	unreadable int
	// conflicts holds the date of each event kept although its log_id was already taken by a
	// different event of the read.
	conflicts []time.Time
	// crowded lists the instants the read had to skip past.
	crowded []Crowded
}

// within keeps the dated notes in [from, to); unreadable, having no date, is kept whole.
func (n notes) within(from, to time.Time) notes {
	out := notes{unreadable: n.unreadable}
	for _, t := range n.conflicts {
		if !t.Before(from) && t.Before(to) {
			out.conflicts = append(out.conflicts, t)
		}
	}
	for _, c := range n.crowded {
		if !c.At.Before(from) && c.At.Before(to) {
			out.crowded = append(out.crowded, c)
		}
	}
	return out
}

func (n *notes) add(o notes) {
	n.unreadable += o.unreadable
	n.conflicts = append(n.conflicts, o.conflicts...)
	n.crowded = append(n.crowded, o.crowded...)
}

// reading is one read of [from, to) in progress. pageRange fills it page by page; a caller that
// must answer before the read ends takes a snapshot of what is complete so far, under the lock.
type reading struct {
	from, to time.Time

	mu       sync.Mutex
	events   []event.Event
	seen     map[string][]int // log_id -> indexes in events of the different events holding it
	notes    notes
	requests int
}

func newReading(from, to time.Time) *reading {
	return &reading{from: from, to: to, seen: make(map[string][]int)}
}

// add takes one page and returns how many of its events were new and how many the read holds.
// A repeated log_id is dropped only when the whole event repeats (keyset paging reads each
// boundary instant twice); a different event with a taken id is kept and noted.
func (r *reading) add(page []event.Event) (fresh, total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	for i := range page {
		e := &page[i]
		if e.LogID == "" {
			r.notes.unreadable++
			continue
		}
		if e.Date.Before(r.from) || !e.Date.Before(r.to) {
			continue // Auth0 already bounds the range; this guards the cache against a stray event
		}
		held := r.seen[e.LogID]
		if r.holds(held, e) {
			continue
		}
		if len(held) > 0 {
			r.notes.conflicts = append(r.notes.conflicts, e.Date)
		}
		r.seen[e.LogID] = append(held, len(r.events))
		r.events = append(r.events, *e)
		fresh++
	}
	return fresh, len(r.events)
}

func (r *reading) holds(held []int, e *event.Event) bool {
	for _, i := range held {
		if r.events[i].Same(e) {
			return true
		}
	}
	return false
}

// failed counts a request that brought no page.
func (r *reading) failed() {
	r.mu.Lock()
	r.requests++
	r.mu.Unlock()
}

// crowd notes that the read skips past at, and how many of its events it read.
func (r *reading) crowd(at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for i := range r.events {
		if r.events[i].Date.Equal(at) {
			n++
		}
	}
	r.notes.crowded = append(r.notes.crowded, Crowded{At: at, Read: n})
}

func (r *reading) spent() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}

// whole is the finished read: every event of [from, to).
func (r *reading) whole() span {
	r.mu.Lock()
	defer r.mu.Unlock()
	sortNewestFirst(r.events)
	return span{from: r.from, to: r.to, events: r.events, notes: r.notes}
}

// partial is the read stopped early: only what it read completely (see cut).
func (r *reading) partial() span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cutLocked(r.events)
}

// snapshot is partial for a read that goes on: it works on a copy, since the read still appends.
func (r *reading) snapshot() (span, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cutLocked(append([]event.Event(nil), r.events...)), r.requests
}

func (r *reading) cutLocked(events []event.Event) span {
	s := cut(r.from, r.to, events)
	s.notes = r.notes.within(s.from, s.to)
	return s
}
