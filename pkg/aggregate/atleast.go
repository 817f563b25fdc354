package aggregate

// AtLeast returns the cells of the groups whose total over the buckets reaches minCount, in their
// order; minCount <= 0 returns cells unchanged. The total is the group's events, or, when
// distinct is set, its different non-empty values over the whole range (an IP that tried 30 users
// across three buckets tried 30, not the sum of each bucket's count). Dropping happens before any
// fold, so the quiet groups vanish instead of piling up in "(other)": an alert rule over an
// attack from thousands of IPs gets a series per attacking IP and nothing for the rest.
func AtLeast(cells []Cell, b Buckets, minCount int64, distinct bool) []Cell {
	if minCount <= 0 {
		return cells
	}
	totals := map[string]int64{}
	seen := map[[2]string]bool{}
	for _, c := range cells {
		if c.Bucket < 0 || c.Bucket >= b.N {
			continue
		}
		if !distinct {
			totals[c.Group] += c.N
			continue
		}
		k := [2]string{c.Group, c.Value}
		if c.Value == "" || seen[k] {
			continue
		}
		seen[k] = true
		totals[c.Group]++
	}
	out := make([]Cell, 0, len(cells))
	for _, c := range cells {
		if totals[c.Group] >= minCount {
			out = append(out, c)
		}
	}
	return out
}
