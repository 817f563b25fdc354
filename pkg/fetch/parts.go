package fetch

import (
	"context"
	"fmt"
)

// FetchParts runs the fetches of one query in turn under one request budget (0 = none) and ORs
// their events. The parts must be disjoint (each names other event types), so no event is counted
// twice. It stops at the first error, keeping what was read, and reports the widest missing range.
func FetchParts(ctx context.Context, src Source, reqs []Request, budget int) (Result, error) {
	var out Result
	left := budget
	for _, r := range reqs {
		if budget > 0 && left <= 0 {
			out.Missing = widen(out.Missing, &Interval{From: r.From, To: r.To})
			return out, fmt.Errorf("%w before every event type was read", ErrBudget)
		}
		if budget > 0 {
			r.Budget = left
		}
		res, err := src.Fetch(ctx, r)
		out.Events = append(out.Events, res.Events...)
		out.Cost.Add(res.Cost)
		out.Cost.Events += res.Cost.Events
		out.Crowded = append(out.Crowded, res.Crowded...)
		left -= res.Cost.Requests
		out.Missing = widen(out.Missing, res.Missing)
		if err != nil {
			if res.Missing == nil {
				out.Missing = widen(out.Missing, &Interval{From: r.From, To: r.To})
			}
			return out, err
		}
	}
	return out, nil
}

func widen(a, b *Interval) *Interval {
	switch {
	case b == nil:
		return a
	case a == nil:
		c := *b
		return &c
	}
	w := *a
	if b.From.Before(w.From) {
		w.From = b.From
	}
	if b.To.After(w.To) {
		w.To = b.To
	}
	return &w
}
