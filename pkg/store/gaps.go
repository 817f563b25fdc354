package store

import "time"

// Gap is a stretch inside the store's window that was never read: the ids after FromID up to and
// including ToID, and the times they stand for.
type Gap struct {
	FromID string    `json:"fromId"`
	ToID   string    `json:"toId"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	// Lost is true when Auth0 no longer holds this stretch (it is older than the plan's
	// retention), so nothing can fill it: queries over it say so instead of asking Auth0.
	Lost bool `json:"lost"`
	// OpenStart is true when no held stretch precedes the gap, so FromID is synthetic (the start
	// of the window or of Auth0's retention) rather than an id the tail read.
	OpenStart bool `json:"openStart,omitempty"`
}

// Duration is how much time the gap spans.
func (g Gap) Duration() time.Duration { return g.To.Sub(g.From) }

// Gaps lists the holes in held (ascending, disjoint segments) from floor on, oldest first: time
// before the first segment back to floor, and between consecutive segments. A hole that reaches
// back past lostBefore (now minus Auth0's retention) is split: the older part is Lost. floor zero
// means no window: only holes between segments count.
func Gaps(held []Segment, floor, lostBefore time.Time) []Gap {
	var out []Gap
	add := func(g Gap) {
		if !lostBefore.IsZero() && g.From.Before(lostBefore) {
			if !g.To.After(lostBefore) {
				g.Lost = true
				out = append(out, g)
				return
			}
			lost := g
			lost.ToID, lost.To, lost.Lost = FloorLogID(lostBefore), lostBefore, true
			out = append(out, lost)
			g.FromID, g.From, g.OpenStart = lost.ToID, lostBefore, true
		}
		out = append(out, g)
	}
	if len(held) == 0 {
		return nil
	}
	if first := held[0]; !floor.IsZero() && floor.Before(first.From) && FloorLogID(floor) < first.FromID {
		add(Gap{FromID: FloorLogID(floor), ToID: first.FromID, From: floor, To: first.From, OpenStart: true})
	}
	for i := 1; i < len(held); i++ {
		a, b := held[i-1], held[i]
		if a.ToID >= b.FromID {
			continue // touching: MergeSegments would have joined them
		}
		add(Gap{FromID: a.ToID, ToID: b.FromID, From: a.To, To: maxTime(a.To, b.From)})
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
