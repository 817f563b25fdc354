package fetch

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
)

// maxTiePages bounds paging inside one timestamp: Auth0 serves at most 1,000 results of a search.
const maxTiePages = 1000 / PerPage

// span is a fetched part of a range: every matching event with a date in [from, to), newest first.
type span struct {
	from, to time.Time
	events   []event.Event
	// unreadable counts the elements Auth0 sent that could not be read (see SearchFunc); a span
	// with any is not cached, so every fetch of it says so.
	unreadable int
	// edge holds the events read at the oldest timestamp of a read that stopped early. More events
	// may share that timestamp, so they are not part of the span (nor of the cache), but they are
	// among the newest events and complete a Latest fetch.
	edge []event.Event
}

// pageRange reads [from, to) newest first with keyset paging on date. It stops when the range is
// exhausted, when stopAfter events are in hand (if > 0), or when spend says no more requests. The
// returned span covers only what was read completely, so it is safe to cache; requests is what it
// spent, and err is set when it stopped short of from.
func pageRange(ctx context.Context, search SearchFunc, filter string, from, to time.Time, stopAfter int, spend func() bool) (s span, requests int, err error) {
	upper, inclusive, page := to, false, 0
	seen := make(map[string]struct{})
	var events []event.Event
	unreadable := 0
	defer func() { s.unreadable = unreadable }()
	for {
		if !spend() {
			return cut(from, to, events), requests, fmt.Errorf("%w after %d requests", ErrBudget, requests)
		}
		got, err := search(ctx, compose(filter, from, upper, inclusive), page, PerPage)
		requests++
		if err != nil {
			return cut(from, to, events), requests, err
		}
		fresh := 0
		for _, e := range got {
			if e.LogID == "" {
				unreadable++
				continue
			}
			if e.Date.Before(from) || !e.Date.Before(to) {
				continue // Auth0 already bounds the range; this guards the cache against a stray event
			}
			key := e.LogID
			if _, dup := seen[key]; dup {
				continue
			}
			seen[key] = struct{}{}
			events = append(events, e)
			fresh++
		}
		if len(got) < PerPage {
			sortNewestFirst(events)
			return span{from: from, to: to, events: events}, requests, nil
		}
		if stopAfter > 0 && len(events) >= stopAfter {
			return cut(from, to, events), requests, nil
		}
		oldest, ok := oldestReadable(got)
		if !ok {
			return cut(from, to, events), requests, fmt.Errorf("Auth0 sent a page of %d log events none of which could be read", len(got))
		}
		switch {
		case fresh == 0 || (inclusive && oldest.Equal(upper)):
			// A whole page at one timestamp: step through it by page number.
			page++
			if page >= maxTiePages {
				return cut(from, to, events), requests, fmt.Errorf("%w (over %d at %s), so the events at that instant were not read: add event-type or field filters so fewer events match it",
					ErrTooManyTies, maxTiePages*PerPage, upper.UTC().Format(event.DateLayout))
			}
		default:
			upper, inclusive, page = oldest, true, 0
		}
	}
}

// cut keeps the events that were read completely: those strictly after the oldest timestamp seen
// (events at that timestamp may continue on the next page).
func cut(from, to time.Time, events []event.Event) span {
	if len(events) == 0 {
		return span{from: to, to: to}
	}
	sortNewestFirst(events)
	oldest := events[len(events)-1].Date
	boundary := oldest.Add(time.Millisecond).Truncate(time.Millisecond)
	if boundary.Before(from) {
		boundary = from
	}
	n := len(events)
	for n > 0 && events[n-1].Date.Before(boundary) {
		n--
	}
	return span{from: boundary, to: to, events: events[:n], edge: events[n:]}
}

func sortNewestFirst(events []event.Event) {
	slices.SortStableFunc(events, func(a, b event.Event) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		switch {
		case a.LogID > b.LogID:
			return -1
		case a.LogID < b.LogID:
			return 1
		}
		return 0
	})
}

// compose adds the time range to the filter as Auth0 expects it, rendered by logquery like every
// other q: date:[from TO to}, or to] when the upper bound must include the boundary timestamp.
func compose(filter string, from, to time.Time, inclusiveTo bool) string {
	r := logquery.Render(logquery.DateRangeTo(from, to, inclusiveTo))
	if filter == "" {
		return r
	}
	return "(" + filter + ") AND " + r
}

// oldestReadable is the date of the last readable event of a newest-first page: the keyset
// boundary. Unreadable placeholders carry no date.
func oldestReadable(page []event.Event) (time.Time, bool) {
	for i := len(page) - 1; i >= 0; i-- {
		if page[i].LogID != "" {
			return page[i].Date, true
		}
	}
	return time.Time{}, false
}
