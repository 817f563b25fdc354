package emulator

import (
	"cmp"
	"slices"
	"sort"
	"sync"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// store keeps the tenant's events in the orders the API serves them, so a request walks an index
// and stops once it has a page instead of sorting the whole tenant. Stored events are never
// mutated, so pointers handed out stay valid after the lock is released.
type store struct {
	mu     sync.RWMutex
	byID   []*event.Event // ascending log_id: checkpoint order and the default search order
	byDate []*event.Event // ascending (date, log_id): sort=date

	// byField caches indexes for the rarer sort fields; built on first use, dropped by add.
	fieldMu sync.Mutex
	byField map[string][]*event.Event
}

func newStore(events []event.Event) *store {
	st := &store{}
	st.add(events)
	return st
}

func compareID(a, b *event.Event) int { return cmp.Compare(a.LogID, b.LogID) }

func compareDate(a, b *event.Event) int {
	if c := a.Date.Compare(b.Date); c != 0 {
		return c
	}
	return compareID(a, b)
}

// add stores copies of events. A live tenant appends newer events, which is the cheap path; events
// that land in the middle cost one merge of the indexes.
func (st *store) add(events []event.Event) {
	if len(events) == 0 {
		return
	}
	own := slices.Clone(events)
	fresh := make([]*event.Event, len(own))
	for i := range own {
		fresh[i] = &own[i]
	}
	slices.SortFunc(fresh, compareID)
	freshByDate := slices.Clone(fresh)
	slices.SortFunc(freshByDate, compareDate)

	st.mu.Lock()
	defer st.mu.Unlock()
	st.byID = mergeSorted(st.byID, fresh, compareID)
	st.byDate = mergeSorted(st.byDate, freshByDate, compareDate)
	st.fieldMu.Lock()
	st.byField = nil
	st.fieldMu.Unlock()
}

// mergeSorted merges two sorted slices. Appending in place is safe for readers because they only
// look at the slice header they were given under the read lock.
func mergeSorted(old, fresh []*event.Event, compare func(a, b *event.Event) int) []*event.Event {
	if len(old) == 0 || compare(old[len(old)-1], fresh[0]) <= 0 {
		return append(old, fresh...)
	}
	out := make([]*event.Event, 0, len(old)+len(fresh))
	i, j := 0, 0
	for i < len(old) && j < len(fresh) {
		if compare(fresh[j], old[i]) < 0 {
			out = append(out, fresh[j])
			j++
		} else {
			out = append(out, old[i])
			i++
		}
	}
	out = append(out, old[i:]...)
	return append(out, fresh[j:]...)
}

// index returns the events ascending by a sort field ("" means log_id). Call with st.mu read-locked.
func (st *store) index(field string) []*event.Event {
	switch field {
	case "":
		return st.byID
	case "date":
		return st.byDate
	}
	st.fieldMu.Lock()
	defer st.fieldMu.Unlock()
	if idx, ok := st.byField[field]; ok {
		return idx
	}
	idx := slices.Clone(st.byID)
	slices.SortStableFunc(idx, func(a, b *event.Event) int {
		return cmp.Compare(sortValue(a, field), sortValue(b, field))
	})
	if st.byField == nil {
		st.byField = map[string][]*event.Event{}
	}
	st.byField[field] = idx
	return idx
}

// sortValue is the value an event sorts by; details is not searchable but is sortable in Auth0's
// contract, so it sorts by its raw JSON.
func sortValue(e *event.Event, field string) string {
	if field == "details" {
		return string(e.Details)
	}
	v, _ := e.Field(field)
	return v
}

// search walks the index for order and returns matches number skip..skip+limit-1.
func (st *store) search(keep func(*event.Event) bool, order sortOrder, skip, limit int) []*event.Event {
	st.mu.RLock()
	defer st.mu.RUnlock()
	idx := st.index(order.field)
	out := make([]*event.Event, 0, min(limit, 100))
	if limit <= 0 {
		return out
	}
	matched := 0
	for n := range idx {
		e := idx[n]
		if order.desc {
			e = idx[len(idx)-1-n]
		}
		if !keep(e) {
			continue
		}
		matched++
		if matched <= skip {
			continue
		}
		out = append(out, e)
		if len(out) == limit {
			break
		}
	}
	return out
}

// after returns up to take events with a log_id greater than from, ascending. It stops at the first
// event indexed rejects, so a hidden (not yet indexed) event is never skipped by a checkpoint, and
// it skips the events held rejects (dropped by retention), so a from older than everything held
// starts at the oldest event held.
func (st *store) after(from string, take int, indexed, held func(*event.Event) bool) []*event.Event {
	st.mu.RLock()
	defer st.mu.RUnlock()
	start := sort.Search(len(st.byID), func(i int) bool { return st.byID[i].LogID > from })
	out := make([]*event.Event, 0, min(take, 100))
	for i := start; i < len(st.byID) && len(out) < take; i++ {
		if !indexed(st.byID[i]) {
			break
		}
		if held(st.byID[i]) {
			out = append(out, st.byID[i])
		}
	}
	return out
}

// get finds one event by log_id.
func (st *store) get(id string) (*event.Event, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	i := sort.Search(len(st.byID), func(i int) bool { return st.byID[i].LogID >= id })
	if i < len(st.byID) && st.byID[i].LogID == id {
		return st.byID[i], true
	}
	return nil, false
}

// len reports how many events are stored.
func (st *store) len() int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return len(st.byID)
}
