package aggregate

import (
	"cmp"
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Cell is a partial aggregate: how many events of one bucket and group had one value of the field
// counted, and when the first and last of them happened. Cells are what a store answers with (a
// SQL GROUP BY) and what events reduce to, so both sources meet in one form: cells over disjoint
// time ranges merge exactly by concatenation, and memory grows with the cells, not the events.
type Cell struct {
	// Bucket is the index in the query's Buckets; 0 when the query has none.
	Bucket int
	// Group is the group's value ("" when not grouped, or the event lacks the field).
	Group string
	// Value is the counted field's value ("" when nothing is counted, or the event lacks it).
	Value string
	// N is the number of events in the cell.
	N int64
	// First and Last are the earliest and latest event dates in the cell.
	First, Last time.Time
}

// cellKey identifies a cell while events are reduced.
type cellKey struct {
	bucket       int
	group, value string
}

// CellsFromEvents reduces events to cells: one per bucket (when b.N > 0; events outside the buckets
// are dropped), group and value of `of`. A nil group or of leaves that part "". It is what the
// on-demand path does with fetched events so that they meet the store's answers in one form.
func CellsFromEvents(events []event.Event, b Buckets, group, of Key) []Cell {
	cb := NewCellBuilder(b, group, of)
	for i := range events {
		cb.Add(&events[i])
	}
	return cb.Cells()
}

// CellBuilder makes cells one event at a time, so events read from a scan need not be held.
type CellBuilder struct {
	b         Buckets
	c         cursor
	group, of Key
	index     map[cellKey]int
	cells     []Cell
}

// NewCellBuilder starts cells over b (N == 0: no bucketing) by group and of (nil: none).
func NewCellBuilder(b Buckets, group, of Key) *CellBuilder {
	return &CellBuilder{b: b, c: b.cursor(), group: group, of: of, index: map[cellKey]int{}}
}

// Add counts e in its cell; an event outside the buckets is skipped.
func (cb *CellBuilder) Add(e *event.Event) {
	k := cellKey{}
	if cb.b.N > 0 {
		if k.bucket = cb.c.index(e.Date); k.bucket < 0 {
			return
		}
	}
	if cb.group != nil {
		k.group = cb.group(e)
	}
	if cb.of != nil {
		k.value = cb.of(e)
	}
	j, ok := cb.index[k]
	if !ok {
		j = len(cb.cells)
		cb.index[k] = j
		cb.cells = append(cb.cells, Cell{Bucket: k.bucket, Group: k.group, Value: k.value, First: e.Date, Last: e.Date})
	}
	cell := &cb.cells[j]
	cell.N++
	if e.Date.Before(cell.First) {
		cell.First = e.Date
	}
	if e.Date.After(cell.Last) {
		cell.Last = e.Date
	}
}

// Cells are the cells made so far.
func (cb *CellBuilder) Cells() []Cell { return cb.cells }

// foldCells returns the group each cell's events count under: the limit largest groups by events
// keep their name and the rest become Other, exactly as Fold does with events. limit <= 0 keeps
// every group.
func foldCells(cells []Cell, limit int) func(string) string {
	same := func(g string) string { return g }
	if limit <= 0 {
		return same
	}
	totals := map[string]int64{}
	for _, c := range cells {
		totals[c.Group] += c.N
	}
	if len(totals) <= limit {
		return same
	}
	keep := largest(totals, limit)
	return func(g string) string {
		if keep[g] {
			return g
		}
		return Other
	}
}

// CountCells is Count after Fold, from cells: events per bucket per group, the limit largest
// groups kept (limit <= 0 keeps all). Grouped, a group with fewer than minCount events over the
// buckets is dropped before folding (see AtLeast); minCount <= 0 drops none. Ungrouped, it always
// returns exactly one series and ignores minCount.
func CountCells(cells []Cell, b Buckets, grouped bool, limit int, minCount int64) []Series {
	if !grouped {
		values := make([]int64, max(b.N, 0))
		for _, c := range cells {
			if c.Bucket >= 0 && c.Bucket < b.N {
				values[c.Bucket] += c.N
			}
		}
		return []Series{{Values: values}}
	}
	cells = AtLeast(cells, b, minCount, false)
	fold := foldCells(cells, limit)
	set := newSeriesSet(b.N)
	for _, c := range cells {
		if c.Bucket >= 0 && c.Bucket < b.N {
			set.values(fold(c.Group))[c.Bucket] += c.N
		}
	}
	return sortSeries(set.series)
}

// DistinctCells is Distinct after Fold, from cells: different non-empty values per bucket per
// group. Groups are folded before values are counted, so a value seen in two groups folded into
// Other counts once there. Grouped, a group with fewer than minCount different values over the
// buckets is dropped first (see AtLeast). Ungrouped, it always returns exactly one series and
// ignores minCount.
func DistinctCells(cells []Cell, b Buckets, grouped bool, limit int, minCount int64) []Series {
	fold := func(string) string { return "" }
	if grouped {
		cells = AtLeast(cells, b, minCount, true)
		fold = foldCells(cells, limit)
	}
	set := newSeriesSet(b.N)
	if !grouped {
		set.values("")
	}
	seen := map[cellKey]bool{}
	for _, c := range cells {
		if c.Bucket < 0 || c.Bucket >= b.N {
			continue
		}
		g := fold(c.Group)
		values := set.values(g)
		k := cellKey{bucket: c.Bucket, group: g, value: c.Value}
		if c.Value == "" || seen[k] {
			continue
		}
		seen[k] = true
		values[c.Bucket]++
	}
	if !grouped {
		return set.series
	}
	return sortSeries(set.series)
}

// TopCells is Top from cells: values ranked by events, descending, ties by value, the first n (all
// when n <= 0), and the number of events the cells hold (Share's denominator). Location is left
// nil: a store answers it for the few values shown (see the plugin's top handling).
func TopCells(cells []Cell, n int) (entries []TopEntry, total int64) {
	index := map[string]int{}
	for _, c := range cells {
		total += c.N
		if c.Value == "" {
			continue
		}
		j, ok := index[c.Value]
		if !ok {
			j = len(entries)
			index[c.Value] = j
			entries = append(entries, TopEntry{Value: c.Value, First: c.First, Last: c.Last})
		}
		e := &entries[j]
		e.Count += c.N
		if c.First.Before(e.First) {
			e.First = c.First
		}
		if c.Last.After(e.Last) {
			e.Last = c.Last
		}
	}
	slices.SortFunc(entries, func(a, b TopEntry) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	if n > 0 && n < len(entries) {
		entries = entries[:n]
	}
	for i := range entries {
		if total > 0 {
			entries[i].Share = float64(entries[i].Count) / float64(total)
		}
	}
	return entries, total
}

// ValuesCells is Values from cells: distinct non-empty values, most frequent first, ties by value,
// at most limit (all when limit <= 0).
func ValuesCells(cells []Cell, limit int) []string {
	entries, _ := TopCells(cells, limit)
	values := make([]string, len(entries))
	for i, e := range entries {
		values[i] = e.Value
	}
	return values
}
