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
	// notes say what the read met besides events; a span with unreadable elements is cached
	// with them, so every fetch it serves says so.
	notes
	// edge holds the events read at the oldest timestamp of a read that stopped early. More events
	// may share that timestamp, so they are not part of the span (nor of the cache), but they are
	// among the newest events and complete a Latest fetch.
	edge []event.Event
}

// pageRange reads rd's range newest first with keyset paging on date. It stops when the range is
// exhausted, when stopAfter events are in hand (if > 0), or when spend says no more requests. The
// returned span covers only what was read completely, so it is safe to cache; err is set when it
// stopped short of the range's start. An instant with more events than one search can page
// through is skipped past and noted (see Crowded), not a reason to stop: every older event of the
// range would be lost with it.
func pageRange(ctx context.Context, search SearchFunc, filter string, rd *reading, stopAfter int, spend func() bool) (span, error) {
	upper, inclusive, page := rd.to, false, 0
	for {
		if !spend() {
			return rd.partial(), fmt.Errorf("%w after %d requests", ErrBudget, rd.spent())
		}
		got, err := search(ctx, compose(filter, rd.from, upper, inclusive), page, PerPage)
		if err != nil {
			rd.failed()
			return rd.partial(), err
		}
		fresh, total := rd.add(got)
		if len(got) < PerPage {
			return rd.whole(), nil
		}
		if stopAfter > 0 && total >= stopAfter {
			return rd.partial(), nil
		}
		oldest, ok := oldestReadable(got)
		if !ok {
			return rd.partial(), fmt.Errorf("Auth0 sent a page of %d log events none of which could be read", len(got))
		}
		switch {
		case fresh == 0 || (inclusive && oldest.Equal(upper)):
			// A whole page at one timestamp: step through it by page number, as far as Auth0's
			// search goes, then on past that instant.
			page++
			if page >= maxTiePages {
				rd.crowd(oldest)
				upper, inclusive, page = oldest, false, 0
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
