package store

import (
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// rateModel is the tenant's event rate by UTC hour of day, learned from the pages the tail
// reads. Traffic follows the day (a login peak in the afternoon can be three times the night), so
// a chunk sized from the average rate would come out short at night and waste more at its
// boundary; sizing it hour by hour keeps every chunk near its target.
type rateModel struct {
	events  [24]float64
	seconds [24]float64
}

// observe adds a page that covered [from, to) and read events.
func (m *rateModel) observe(from, to time.Time, events []event.Event) {
	if !to.After(from) || to.Sub(from) > maxChunkSpan {
		return
	}
	for i := range events {
		m.events[idTimeOr(events[i].LogID, events[i].Date).UTC().Hour()]++
	}
	for t := from; t.Before(to); {
		next := minTime(t.Truncate(time.Hour).Add(time.Hour), to)
		m.seconds[t.UTC().Hour()] += next.Sub(t).Seconds()
		t = next
	}
}

// perSecond is the rate in hour h. An hour not yet seen for long enough to judge takes the
// slowest rate seen: a chunk that comes out longer than planned costs nothing, while one that
// comes out short wastes a larger share at its boundary.
func (m *rateModel) perSecond(h int) float64 {
	if m.seconds[h] >= 600 {
		return m.events[h] / m.seconds[h]
	}
	slowest := -1.0
	for i := range 24 {
		if m.seconds[i] >= 600 && (slowest < 0 || m.events[i]/m.seconds[i] < slowest) {
			slowest = m.events[i] / m.seconds[i]
		}
	}
	return max(slowest, 0)
}

// spanEnding is how far back from end one must go to expect want events; ok is false until the
// model has seen enough events to say.
func (m *rateModel) spanEnding(end time.Time, want float64) (time.Duration, bool) {
	var total float64
	for _, e := range m.events {
		total += e
	}
	if total < PageSize {
		return 0, false
	}
	const step = time.Minute
	expected := 0.0
	span := time.Duration(0)
	for span < maxChunkSpan && expected < want {
		span += step
		expected += m.perSecond(end.Add(-span).UTC().Hour()) * step.Seconds()
	}
	return max(span, minChunkSpan), true
}

// expected is how many events the model expects in [from, to); 0 until it has seen enough.
func (m *rateModel) expected(from, to time.Time) float64 {
	var total float64
	for _, e := range m.events {
		total += e
	}
	if total < PageSize || !to.After(from) {
		return 0
	}
	sum := 0.0
	for t := from; t.Before(to); {
		next := minTime(t.Truncate(time.Hour).Add(time.Hour), to)
		sum += m.perSecond(t.UTC().Hour()) * next.Sub(t).Seconds()
		t = next
	}
	return sum
}
