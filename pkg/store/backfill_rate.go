package store

import (
	"slices"
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
	// byHour is the same per clock hour (keyed by its start), so a silence can be judged by a
	// typical day's rate at that hour rather than by the mean, which one attack skews.
	byHour map[time.Time]*hourCount
	// oldest is the oldest event seen. The hours before it are silent because nothing was there
	// or because Auth0 dropped it, which is the question the silence is asked to answer, so they
	// do not count as ordinary hours.
	oldest time.Time
}

type hourCount struct{ events, seconds float64 }

// observe adds a page that covered [from, to) and read events.
func (m *rateModel) observe(from, to time.Time, events []event.Event) {
	if !to.After(from) || to.Sub(from) > maxChunkSpan {
		return
	}
	if m.byHour == nil {
		m.byHour = map[time.Time]*hourCount{}
	}
	hour := func(t time.Time) *hourCount {
		k := t.UTC().Truncate(time.Hour)
		c := m.byHour[k]
		if c == nil {
			c = &hourCount{}
			m.byHour[k] = c
		}
		return c
	}
	for i := range events {
		at := idTimeOr(events[i].LogID, events[i].Date)
		if m.oldest.IsZero() || at.Before(m.oldest) {
			m.oldest = at
		}
		m.events[at.UTC().Hour()]++
		hour(at).events++
	}
	for t := from; t.Before(to); {
		next := minTime(t.Truncate(time.Hour).Add(time.Hour), to)
		m.seconds[t.UTC().Hour()] += next.Sub(t).Seconds()
		hour(t).seconds += next.Sub(t).Seconds()
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

// quietExpected is how many events an ordinary day would bring in [from, to): for each hour of
// the day, that hour's rate over the days seen, less the busiest quarter of them (at least one);
// 0 until the model has seen enough. It judges whether a silence means Auth0 dropped events. The
// plain mean would not do: a credential-stuffing night makes every night look busy, and a quiet
// night then reads as Auth0's retention. Attacks only add events, so leaving out the busiest days
// leaves them out. A median would not do either: on a tenant quiet enough that most hours are
// empty it is 0, and no silence would ever mean anything.
func (m *rateModel) quietExpected(from, to time.Time) float64 {
	var total float64
	for _, e := range m.events {
		total += e
	}
	if total < PageSize || !to.After(from) {
		return 0
	}
	var byHourOfDay [24][]float64
	var all []float64
	first := m.oldest.UTC().Truncate(time.Hour)
	for start, c := range m.byHour {
		if c.seconds >= 600 && !start.Before(first) {
			r := c.events / c.seconds
			byHourOfDay[start.Hour()] = append(byHourOfDay[start.Hour()], r)
			all = append(all, r)
		}
	}
	sum := 0.0
	for t := from; t.Before(to); {
		next := minTime(t.Truncate(time.Hour).Add(time.Hour), to)
		rates := byHourOfDay[t.UTC().Hour()]
		if len(rates) == 0 {
			rates = all
		}
		sum += withoutBusiest(rates) * next.Sub(t).Seconds()
		t = next
	}
	return sum
}

// withoutBusiest is the mean of v without its largest quarter (rounded up, so one of two or of
// four); one value is its own mean, and none gives 0.
func withoutBusiest(v []float64) float64 {
	if len(v) <= 1 {
		if len(v) == 1 {
			return v[0]
		}
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	keep := s[:len(s)-(len(s)+3)/4]
	sum := 0.0
	for _, x := range keep {
		sum += x
	}
	return sum / float64(len(keep))
}
