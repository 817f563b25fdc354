package source

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func hoursAgo(h float64) time.Time { return now.Add(-time.Duration(h * float64(time.Hour))) }

func seg(fromH, toH float64) store.Segment {
	return store.Segment{From: hoursAgo(fromH), To: hoursAgo(toH)}
}

func TestDecide(t *testing.T) {
	tn := &Tenant{Slack: time.Minute, Now: func() time.Time { return now }}
	caughtUp := []store.Segment{seg(48, 30.0/3600)} // complete up to 30 s ago
	cases := []struct {
		name     string
		segments []store.Segment
		from, to time.Time
		store    *fetch.Interval
		onDemand *fetch.Interval
	}{
		{"empty store: all on demand", nil, hoursAgo(2), now, nil, &fetch.Interval{From: hoursAgo(2), To: now}},
		{"caught up: a range ending now is the store's", caughtUp, hoursAgo(24), now, &fetch.Interval{From: hoursAgo(24), To: now}, nil},
		{"older than the store: the old part on demand", caughtUp, hoursAgo(72), now,
			&fetch.Interval{From: hoursAgo(48), To: now}, &fetch.Interval{From: hoursAgo(72), To: hoursAgo(48)}},
		{"wholly before the store", caughtUp, hoursAgo(80), hoursAgo(60), nil, &fetch.Interval{From: hoursAgo(80), To: hoursAgo(60)}},
		{"tail behind: the newest part is not held, so all on demand", []store.Segment{seg(48, 2)}, hoursAgo(3), now, nil, &fetch.Interval{From: hoursAgo(3), To: now}},
		{"tail behind but the range is old enough", []store.Segment{seg(48, 2)}, hoursAgo(5), hoursAgo(3), &fetch.Interval{From: hoursAgo(5), To: hoursAgo(3)}, nil},
		{"an older stretch holds the range", []store.Segment{seg(100, 90), seg(48, 0.01)}, hoursAgo(99), hoursAgo(91), &fetch.Interval{From: hoursAgo(99), To: hoursAgo(91)}, nil},
		{"a hole before the newest stretch: everything before it on demand, never a silent gap", []store.Segment{seg(100, 90), seg(48, 0.01)}, hoursAgo(95), hoursAgo(40),
			&fetch.Interval{From: hoursAgo(48), To: hoursAgo(40)}, &fetch.Interval{From: hoursAgo(95), To: hoursAgo(48)}},
		{"a hole between older stretches, the range ending before the newest: all on demand", []store.Segment{seg(100, 90), seg(80, 70), seg(48, 0.01)}, hoursAgo(95), hoursAgo(75),
			nil, &fetch.Interval{From: hoursAgo(95), To: hoursAgo(75)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt := tn.Decide(store.State{Segments: c.segments}, c.from, c.to)
			assert.Equal(t, c.store, rt.Store)
			assert.Equal(t, c.onDemand, rt.OnDemand)
			if rt.Store != nil && c.to.After(c.segments[len(c.segments)-1].To) {
				require.NotNil(t, rt.Pending, "the part the tail has not read yet is said, not claimed")
				assert.Equal(t, c.segments[len(c.segments)-1].To, rt.Pending.From)
				assert.Equal(t, c.to, rt.Pending.To)
			} else {
				assert.Nil(t, rt.Pending)
			}
			if rt.OnDemand != nil {
				assert.NotEmpty(t, rt.Why, "a query that goes to Auth0 with the store on says why")
			}
		})
	}
}
