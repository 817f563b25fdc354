package aggregate

import (
	"cmp"
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// TopEntry is one ranked value: how often it occurs and when it was first and last seen, which is
// what someone investigating an attack asks of an IP or a user.
type TopEntry struct {
	// Value is the field's value; never empty.
	Value string
	// Count is the number of events with Value.
	Count int64
	// Share is Count divided by all events given to Top, including those without a value, so it
	// reads as "this IP caused 40% of the failed logins".
	Share float64
	// First and Last are the earliest and latest event dates with Value.
	First, Last time.Time
	// Location is the location_info of the latest event with Value that has one, or nil. It is what
	// a Geomap shows for an IP; for other fields it is just where the value was last seen from.
	Location *event.Location
}

// topAcc is the running state of one value; locAt is the date Location was taken from.
type topAcc struct {
	TopEntry
	locAt time.Time
}

// Top ranks the non-empty values of `of` by event count, descending, ties broken by value, and
// returns the first n (all when n <= 0) together with the number of events it was given (the
// denominator of Share). Events without a value count in total but are not ranked.
func Top(events []event.Event, of Key, n int) (entries []TopEntry, total int64) {
	index := map[string]int{}
	var accs []topAcc
	for i := range events {
		e := &events[i]
		v := of(e)
		if v == "" {
			continue
		}
		j, ok := index[v]
		if !ok {
			j = len(accs)
			index[v] = j
			accs = append(accs, topAcc{TopEntry: TopEntry{Value: v, First: e.Date, Last: e.Date}})
		}
		a := &accs[j]
		a.Count++
		if e.Date.Before(a.First) {
			a.First = e.Date
		}
		if e.Date.After(a.Last) {
			a.Last = e.Date
		}
		if e.Location != nil && (a.Location == nil || e.Date.After(a.locAt)) {
			a.Location, a.locAt = e.Location, e.Date
		}
	}
	total = int64(len(events))
	slices.SortFunc(accs, func(a, b topAcc) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	if n > 0 && n < len(accs) {
		accs = accs[:n]
	}
	entries = make([]TopEntry, len(accs))
	for i := range accs {
		entries[i] = accs[i].TopEntry
		if total > 0 {
			entries[i].Share = float64(accs[i].Count) / float64(total)
		}
	}
	return entries, total
}

// Values returns the distinct non-empty values of `of`, most frequent first, ties by value, at most
// limit of them (all when limit <= 0). Frequency order puts the values a user most likely wants at
// the top of a template variable's dropdown.
func Values(events []event.Event, of Key, limit int) []string {
	counts := map[string]int64{}
	for i := range events {
		if v := of(&events[i]); v != "" {
			counts[v]++
		}
	}
	values := make([]string, 0, len(counts))
	for v := range counts {
		values = append(values, v)
	}
	slices.SortFunc(values, func(a, b string) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	if limit > 0 && limit < len(values) {
		values = values[:limit]
	}
	return values
}
