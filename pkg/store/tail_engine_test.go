package store_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// memEngine is an in-memory Engine with the contract's commit semantics (atomic batch, identical
// duplicates dropped, conflicts counted, segments merged) and switches to fail commits. It stands
// in for the SQLite engine in the tail's tests and counts how the tail used it.
type memEngine struct {
	mu       sync.Mutex
	byTenant map[string]*memTenant

	commits, concurrent, maxConcurrent atomic.Int64
	// failCommits refuses the next n commits without storing; loseAnswers stores the next n and
	// then reports an error, as when a connection drops after the transaction committed.
	failCommits, loseAnswers int
	failErr                  error
	// log is every successful commit's segment and event count, in order.
	log []commitRecord
}

type commitRecord struct {
	seg    store.Segment
	events int
}

type memTenant struct {
	events                map[string]event.Event
	segments              []store.Segment
	duplicates, conflicts int64
}

func newMemEngine() *memEngine { return &memEngine{byTenant: map[string]*memTenant{}} }

func (m *memEngine) tenant(key string) *memTenant {
	t := m.byTenant[key]
	if t == nil {
		t = &memTenant{events: map[string]event.Event{}}
		m.byTenant[key] = t
	}
	return t
}

func (m *memEngine) Commit(ctx context.Context, tenant string, b store.Batch) (store.CommitResult, error) {
	n := m.concurrent.Add(1)
	defer m.concurrent.Add(-1)
	for {
		old := m.maxConcurrent.Load()
		if n <= old || m.maxConcurrent.CompareAndSwap(old, n) {
			break
		}
	}
	m.commits.Add(1)
	if err := ctx.Err(); err != nil {
		return store.CommitResult{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failCommits > 0 {
		m.failCommits--
		return store.CommitResult{}, m.failErr
	}
	t := m.tenant(tenant)
	var res store.CommitResult
	for _, e := range b.Events {
		if old, ok := t.events[e.LogID]; ok {
			if old.Same(&e) {
				res.Duplicates++
			} else {
				res.Conflicts++
			}
			continue
		}
		t.events[e.LogID] = e
		res.Stored++
	}
	t.duplicates += int64(res.Duplicates)
	t.conflicts += int64(res.Conflicts)
	t.segments = store.MergeSegments(t.segments, b.Segment)
	m.log = append(m.log, commitRecord{seg: b.Segment, events: len(b.Events)})
	if m.loseAnswers > 0 {
		m.loseAnswers--
		return res, m.failErr
	}
	return res, nil
}

func (m *memEngine) State(ctx context.Context, tenant string) (store.State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.tenant(tenant)
	st := store.State{Segments: slices.Clone(t.segments), Events: int64(len(t.events)), Conflicts: t.conflicts}
	for _, e := range t.events {
		if st.Oldest.IsZero() || e.Date.Before(st.Oldest) {
			st.Oldest = e.Date
		}
		if e.Date.After(st.Newest) {
			st.Newest = e.Date
		}
	}
	return st, nil
}

func (m *memEngine) Aggregate(context.Context, string, store.AggQuery) ([]aggregate.Cell, error) {
	return nil, errors.New("the tail's test engine does not aggregate")
}

// Scan honours the date range and limit only; the tail's tests use no filter.
func (m *memEngine) Scan(ctx context.Context, tenant string, q store.ScanQuery, fn func(*event.Event) error) error {
	for _, e := range m.sorted(tenant, q.From, q.To) {
		if err := fn(&e); err != nil {
			return err
		}
	}
	return nil
}

func (m *memEngine) DeleteUser(ctx context.Context, tenant, userID string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := int64(0)
	for id, e := range m.tenant(tenant).events {
		if e.UserID == userID {
			delete(m.tenant(tenant).events, id)
			n++
		}
	}
	return n, nil
}

func (m *memEngine) Evict(ctx context.Context, tenant string, before time.Time, maxBytes int64) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, n := m.tenant(tenant), int64(0)
	for id, e := range t.events {
		if e.Date.Before(before) {
			delete(t.events, id)
			n++
		}
	}
	t.segments = store.TrimSegments(t.segments, before)
	return n, nil
}

func (m *memEngine) Close() error { return nil }

// sorted returns the tenant's events dated in [from, to) (zero bounds: all), ascending by log_id.
func (m *memEngine) sorted(tenant string, from, to time.Time) []event.Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []event.Event
	for _, e := range m.tenant(tenant).events {
		if (from.IsZero() || !e.Date.Before(from)) && (to.IsZero() || e.Date.Before(to)) {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogID < out[j].LogID })
	return out
}

func (m *memEngine) duplicates(tenant string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tenant(tenant).duplicates
}

func (m *memEngine) commitLog() []commitRecord {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.log)
}

func (m *memEngine) setFaults(fail, lose int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failCommits, m.loseAnswers, m.failErr = fail, lose, err
}
