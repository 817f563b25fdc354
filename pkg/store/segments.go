package store

import (
	"slices"
	"strings"
	"time"
)

// MergeSegments adds s to held (ascending, disjoint) and returns the new list. Stretches that
// overlap or touch (one's ToID is the other's FromID, as when a backfill chunk reaches the next
// stretch) become one, so the list only ever shrinks to the holes that were never read. held is not
// modified. A segment with ToID before FromID is ignored.
func MergeSegments(held []Segment, s Segment) []Segment {
	if strings.Compare(s.ToID, s.FromID) < 0 {
		return slices.Clone(held)
	}
	out := make([]Segment, 0, len(held)+1)
	for _, h := range held {
		if h.ToID < s.FromID || s.ToID < h.FromID {
			out = append(out, h)
			continue
		}
		s = union(s, h)
	}
	i, _ := slices.BinarySearchFunc(out, s, func(a, b Segment) int { return strings.Compare(a.FromID, b.FromID) })
	return slices.Insert(out, i, s)
}

// union of two touching stretches: the outer ids, and the times that belong to them.
func union(a, b Segment) Segment {
	u := a
	if b.FromID < u.FromID || b.FromID == u.FromID && b.From.Before(u.From) {
		u.FromID, u.From = b.FromID, b.From
	}
	if b.ToID > u.ToID || b.ToID == u.ToID && b.To.After(u.To) {
		u.ToID, u.To = b.ToID, b.To
	}
	return u
}

// TrimSegments drops what eviction removed: stretches that end at or before `before` go, and one
// that straddles it starts at `before`. FromID keeps the stretch's first id, since ids only order
// the tail's reads, while From is what routing trusts.
func TrimSegments(held []Segment, before time.Time) []Segment {
	out := make([]Segment, 0, len(held))
	for _, h := range held {
		if !h.To.After(before) {
			continue
		}
		if h.From.Before(before) {
			h.From = before
		}
		out = append(out, h)
	}
	return out
}

// Covers reports whether the segments hold every event dated in [from, to): one segment must span
// the whole range, since a hole between two means events were never read.
func Covers(held []Segment, from, to time.Time) bool {
	for _, h := range held {
		if !from.Before(h.From) && !to.After(h.To) {
			return true
		}
	}
	return false
}
