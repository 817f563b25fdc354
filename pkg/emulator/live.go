package emulator

import (
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// idStampLayout is the UTC ingest second a log_id carries after its "900" prefix.
const idStampLayout = "20060102150405"

// idTime reads the ingest second from a log_id; ok is false for ids that carry none, which a live
// tenant then serves at once rather than never.
func idTime(id string) (time.Time, bool) {
	if len(id) < 3+len(idStampLayout) || id[:3] != "900" {
		return time.Time{}, false
	}
	t, err := time.Parse(idStampLayout, id[3:3+len(idStampLayout)])
	return t, err == nil
}

// arrivedFunc reports whether an event exists yet on a live tenant, fixed at request time. Arrival
// follows the log_id's ingest second, which is the checkpoint order, so the events that have
// arrived are always a prefix of the log_id order and a checkpoint reader never skips one.
func (s *Server) arrivedFunc() func(*event.Event) bool {
	if !s.opts.Live {
		return func(*event.Event) bool { return true }
	}
	now := s.opts.Now()
	return func(e *event.Event) bool {
		t, ok := idTime(e.LogID)
		return !ok || !t.After(now)
	}
}

// heldFunc reports whether Retention still keeps an event, fixed at request time. Dates are not
// quite in log_id order, so checkpoint mode skips dropped events instead of stopping at them.
func (s *Server) heldFunc() func(*event.Event) bool {
	if s.opts.Retention <= 0 {
		return func(*event.Event) bool { return true }
	}
	cutoff := s.opts.Now().Add(-s.opts.Retention)
	return func(e *event.Event) bool { return !e.Date.Before(cutoff) }
}

// Prune forgets the events Retention has dropped, so a long-running live tenant does not grow
// without bound, and returns how many it removed. Requests never see a difference.
func (s *Server) Prune() int {
	return s.store.remove(func(e *event.Event) bool { return !s.heldFunc()(e) })
}

// remove deletes the events drop selects and reports how many.
func (st *store) remove(drop func(*event.Event) bool) int {
	st.mu.Lock()
	defer st.mu.Unlock()
	before := len(st.byID)
	// New slices rather than in-place deletion: readers may still hold the old headers.
	st.byID = slices.DeleteFunc(slices.Clone(st.byID), drop)
	st.byDate = slices.DeleteFunc(slices.Clone(st.byDate), drop)
	st.fieldMu.Lock()
	st.byField = nil
	st.fieldMu.Unlock()
	return before - len(st.byID)
}
