package aggregate

import (
	"cmp"
	"slices"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Other is the group that Fold puts every group but the largest ones in.
const Other = "(other)"

// Fold keeps the n groups with the most events and sends every other event to the group Other.
// Grouping a count by ip or user can give thousands of series, which no panel can draw and which
// would hold groups × buckets numbers; after Fold it holds at most (n+1) × buckets. The first pass
// only counts events per group, so its memory is one integer a group. n <= 0 keeps every group.
func Fold(events []event.Event, group Key, n int) Key {
	if group == nil || n <= 0 {
		return group
	}
	totals := make(map[string]int64)
	for i := range events {
		totals[group(&events[i])]++
	}
	if len(totals) <= n {
		return group
	}
	keep := largest(totals, n)
	return func(e *event.Event) string {
		g := group(e)
		if keep[g] {
			return g
		}
		return Other
	}
}

// largest names the n groups with the highest totals, ties broken by name so the choice never
// depends on map order. Fold (events) and the cells' fold share it, so both keep the same groups.
func largest(totals map[string]int64, n int) map[string]bool {
	type total struct {
		group string
		n     int64
	}
	ranked := make([]total, 0, len(totals))
	for g, c := range totals {
		ranked = append(ranked, total{g, c})
	}
	slices.SortFunc(ranked, func(a, b total) int {
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		return cmp.Compare(a.group, b.group)
	})
	keep := make(map[string]bool, n)
	for _, t := range ranked[:min(n, len(ranked))] {
		keep[t.group] = true
	}
	return keep
}
