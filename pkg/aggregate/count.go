package aggregate

import (
	"cmp"
	"slices"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Series is one group's value per bucket; Values has exactly Buckets.N entries, zeros included, so
// a panel draws a gap-free line and an alert sees 0 rather than "no data".
type Series struct {
	// Group is the group's value; "" is both "not grouped" and "events without the field".
	Group string
	// Values holds one number per bucket, in bucket order.
	Values []int64
}

// seriesSet accumulates per-group bucket values. It remembers the last group it resolved because
// events usually arrive in runs of the same group, which saves a map lookup per event.
type seriesSet struct {
	n      int
	index  map[string]int
	series []Series
	last   string
	lastI  int
}

func newSeriesSet(n int) *seriesSet {
	return &seriesSet{n: n, index: map[string]int{}, lastI: -1}
}

// values returns the bucket values of group g, creating a zero-filled series on first sight.
func (s *seriesSet) values(g string) []int64 {
	if s.lastI >= 0 && g == s.last {
		return s.series[s.lastI].Values
	}
	i, ok := s.index[g]
	if !ok {
		i = len(s.series)
		s.index[g] = i
		s.series = append(s.series, Series{Group: g, Values: make([]int64, s.n)})
	}
	s.last, s.lastI = g, i
	return s.series[i].Values
}

// Count returns the number of events per bucket for each group, or one series with Group "" when
// group is nil. Events outside the buckets are ignored. With a nil group the result always has
// exactly one series, even for no events; with a group it has one series per group present.
// Memory is groups × b.N numbers, so grouping by a high-cardinality field (ip, user_id) over many
// buckets is the caller's to limit.
func Count(events []event.Event, b Buckets, group Key) []Series {
	if group == nil {
		values := make([]int64, max(b.N, 0))
		c := b.cursor()
		for i := range events {
			if bi := c.index(events[i].Date); bi >= 0 {
				values[bi]++
			}
		}
		return []Series{{Values: values}}
	}
	set := newSeriesSet(b.N)
	c := b.cursor()
	for i := range events {
		e := &events[i]
		bi := c.index(e.Date)
		if bi < 0 {
			continue
		}
		set.values(group(e))[bi]++
	}
	return sortSeries(set.series)
}

// distinctKey identifies one value within one group's bucket. Groups and values are numbered
// first, so the key is three integers: hashing twelve bytes is much cheaper than hashing a string,
// and the set holds no string headers for the garbage collector to scan.
type distinctKey struct {
	group, bucket, value int32
}

// Distinct returns, per bucket and group, how many different non-empty values of `of` the events
// have (e.g. distinct IPs per hour per event type). A nil group gives one series with Group "",
// always present as in Count; with a group, every group that has events in the buckets gets a
// series, even when none of its events has a value. of must not be nil.
func Distinct(events []event.Event, b Buckets, group Key, of Key) []Series {
	set := newSeriesSet(b.N)
	if group == nil {
		set.values("")
	}
	ids := map[string]int32{}
	seen := map[distinctKey]struct{}{}
	c := b.cursor()
	for i := range events {
		e := &events[i]
		bi := c.index(e.Date)
		if bi < 0 {
			continue
		}
		g := ""
		if group != nil {
			g = group(e)
		}
		// Resolve the group before looking at the value, so a group whose events all lack it still
		// shows as zeros: Count and Distinct over the same events have the same groups.
		values := set.values(g)
		v := of(e)
		if v == "" {
			continue
		}
		id, ok := ids[v]
		if !ok {
			id = int32(len(ids))
			ids[v] = id
		}
		k := distinctKey{group: int32(set.lastI), bucket: int32(bi), value: id}
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		values[bi]++
	}
	if group == nil {
		return set.series
	}
	return sortSeries(set.series)
}

// sortSeries orders series by total descending, then by group name, so the biggest groups come
// first in a legend and the order never depends on map iteration.
func sortSeries(series []Series) []Series {
	type ranked struct {
		s     Series
		total int64
	}
	r := make([]ranked, len(series))
	for i, s := range series {
		var t int64
		for _, v := range s.Values {
			t += v
		}
		r[i] = ranked{s, t}
	}
	slices.SortFunc(r, func(a, b ranked) int {
		if c := cmp.Compare(b.total, a.total); c != 0 {
			return c
		}
		return cmp.Compare(a.s.Group, b.s.Group)
	})
	for i := range r {
		series[i] = r[i].s
	}
	return series
}
