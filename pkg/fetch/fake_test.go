package fetch

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// fakeAuth0 answers searches the way Auth0 does for the queries fetch composes: a date range,
// optionally ANDed with type:"x"; newest first; 100 a page; 400 past 1,000 results.
type fakeAuth0 struct {
	mu       sync.Mutex
	events   []event.Event
	calls    atomic.Int64
	gate     chan struct{} // when set, every search waits for it
	failAt   int64         // when > 0, that call fails
	failWith error
	// hang, when set, holds every call after the first answered ones until it is closed:
	// an Auth0 (or token endpoint) that stops answering in the middle of a read.
	hang     chan struct{}
	answered int64
}

var rangeRe = regexp.MustCompile(`date:\[(\S+) TO (\S+)([\]}])$`)
var typeRe = regexp.MustCompile(`^\(type:"([^"]+)"\) AND `)

func (f *fakeAuth0) search(ctx context.Context, q string, page, perPage int) ([]event.Event, error) {
	n := f.calls.Add(1)
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.hang != nil && n > f.answered {
		select {
		case <-f.hang:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if n == f.failAt {
		return nil, f.failWith
	}
	if (page+1)*perPage > 1000 {
		return nil, fmt.Errorf("400: Requesting page %d exceeds the allowed maximum of 1000 records", page+1)
	}
	m := rangeRe.FindStringSubmatch(q)
	if m == nil {
		return nil, fmt.Errorf("fake cannot read %q", q)
	}
	from, _ := time.Parse(event.DateLayout, m[1])
	to, _ := time.Parse(event.DateLayout, m[2])
	inclusive := m[3] == "]"
	typ := ""
	if t := typeRe.FindStringSubmatch(q); t != nil {
		typ = t[1]
	}
	f.mu.Lock()
	var hits []event.Event
	for _, e := range f.events {
		if e.Date.Before(from) || e.Date.After(to) || (!inclusive && e.Date.Equal(to)) || (typ != "" && e.Type != typ) {
			continue
		}
		hits = append(hits, e)
	}
	f.mu.Unlock()
	sortNewestFirst(hits)
	lo := min(page*perPage, len(hits))
	hi := min(lo+perPage, len(hits))
	return slices.Clone(hits[lo:hi]), nil
}

// tenantEvents makes n events spread evenly over [from, from+span), types alternating s and fu.
func tenantEvents(n int, from time.Time, span time.Duration) []event.Event {
	out := make([]event.Event, n)
	step := span / time.Duration(n)
	for i := range out {
		typ := "s"
		if i%2 == 1 {
			typ = "fu"
		}
		out[i] = event.Event{
			LogID: fmt.Sprintf("9%05d", i),
			Date:  from.Add(time.Duration(i) * step).Truncate(time.Millisecond),
			Type:  typ,
		}
	}
	return out
}

var errBoom = errors.New("503 Service Unavailable")
