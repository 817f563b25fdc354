package fetch

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Third-party sample data repeats log ids ("XXX") on events that differ. Those are all events and
// must all be counted; only the exact repeats keyset paging reads at each boundary are dropped.
func TestEventsSharingALogIDAreKeptUnlessTheyRepeat(t *testing.T) {
	events := tenantEvents(216, day0, 6*time.Hour)
	for i := range events {
		if i%4 == 0 {
			events[i].LogID = "XXX" // 54 events, 53 of them conflicting with the first
		}
	}
	// Two that share a millisecond and the id: still different events.
	events[100].Date, events[104].Date = events[102].Date, events[102].Date
	events[104].IP = "192.0.2.1"
	fake := &fakeAuth0{events: events}
	f := newTestFetcher(fake, day0.Add(24*time.Hour))
	r := Request{From: day0, To: day0.Add(6 * time.Hour)}

	res, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	assert.Equal(t, 216, len(res.Events), "every event is counted")
	assert.Equal(t, 53, res.Cost.Conflicting)

	again, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	assert.Zero(t, again.Cost.Requests, "served from the cache")
	assert.Equal(t, 216, len(again.Events))
	assert.Equal(t, 53, again.Cost.Conflicting, "and the cache still says so")

	half, err := f.Fetch(context.Background(), Request{From: day0.Add(3 * time.Hour), To: day0.Add(6 * time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, 26, half.Cost.Conflicting, "only the conflicts within the range asked for")
}

func TestExactRepeatsAreDropped(t *testing.T) {
	events := tenantEvents(150, day0, time.Hour)
	events = append(events, events[10], events[120]) // Auth0 sending one event twice
	fake := &fakeAuth0{events: events}
	res, err := newTestFetcher(fake, day0.Add(24*time.Hour)).Fetch(context.Background(), Request{From: day0, To: day0.Add(time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, 150, len(res.Events))
	assert.Zero(t, res.Cost.Conflicting)
}

// More events at one millisecond than Auth0's search pages through (1,000) used to end the read
// there, losing every older event of the range. The read now goes on past that instant.
func TestACrowdedInstantIsSkippedPastNotTheRestOfTheRange(t *testing.T) {
	events := tenantEvents(600, day0, 24*time.Hour)    // 300 before the instant, 300 after
	crowded := day0.Add(12*time.Hour - 72*time.Second) // between two of the spread events
	for i := range 1200 {
		events = append(events, event.Event{LogID: fmt.Sprintf("7%05d", i), Date: crowded, Type: "fu"})
	}
	fake := &fakeAuth0{events: events}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	r := Request{From: day0, To: day0.Add(24 * time.Hour)}

	res, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	assert.Nil(t, res.Missing)
	require.Equal(t, []Crowded{{At: crowded, Read: 1000}}, res.Crowded)
	assert.Equal(t, 600+1000, len(res.Events))
	older := 0
	for _, e := range res.Events {
		if e.Date.Before(crowded) {
			older++
		}
	}
	assert.Equal(t, 300, older, "the events older than the crowded instant are all read")
	assertNewestFirstUnique(t, res.Events)

	again, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	assert.Zero(t, again.Cost.Requests)
	assert.Equal(t, res.Crowded, again.Crowded, "a cached read still names the instant")
}
