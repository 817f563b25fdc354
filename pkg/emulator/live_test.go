package emulator

import (
	"net/url"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spread returns n events a minute apart from start, with dates a second before their ingest.
func spread(n int, start time.Time) []event.Event {
	evs := make([]event.Event, n)
	for i := range evs {
		ingest := start.Add(time.Duration(i) * time.Minute)
		evs[i] = event.Event{LogID: logID(ingest, i), Date: ingest.Add(-time.Second), Type: "s"}
	}
	return evs
}

func TestLiveTenantRevealsEventsAsTheClockRuns(t *testing.T) {
	clock := newFakeClock()
	evs := spread(10, clock.Now().Add(-90*time.Second)) // 2 arrived, 8 in the future
	tn := newTenant(t, Options{Live: true, Now: clock.Now}, evs)

	assert.Equal(t, []string{evs[0].LogID, evs[1].LogID}, ids(tn.logs("/api/v2/logs?from=0&take=100")))
	assert.Len(t, tn.logs("/api/v2/logs?per_page=100"), 2, "search sees only what has arrived")
	resp, _ := tn.get("/api/v2/logs/" + url.PathEscape(evs[5].LogID))
	assert.Equal(t, 404, resp.StatusCode, "a future log does not exist yet")

	clock.Advance(3 * time.Minute)
	assert.Equal(t, []string{evs[2].LogID, evs[3].LogID, evs[4].LogID},
		ids(tn.logs("/api/v2/logs?take=100&from="+url.QueryEscape(evs[1].LogID))), "the checkpoint continues with the new arrivals")
}

func TestRetentionDropsOldEventsEverywhere(t *testing.T) {
	clock := newFakeClock()
	evs := spread(10, clock.Now().Add(-10*time.Minute)) // dates -10m1s ... -1m1s
	tn := newTenant(t, Options{Retention: 5*time.Minute + 2*time.Second, Now: clock.Now}, evs)

	held := ids(tn.logs("/api/v2/logs?from=0&take=100"))
	require.Equal(t, []string{evs[5].LogID, evs[6].LogID, evs[7].LogID, evs[8].LogID, evs[9].LogID}, held,
		"a checkpoint older than everything held starts at the oldest held")
	assert.Equal(t, held, ids(tn.logs("/api/v2/logs?take=100&from="+url.QueryEscape(evs[1].LogID))))
	assert.Len(t, tn.logs("/api/v2/logs?per_page=100"), 5)
	resp, _ := tn.get("/api/v2/logs/" + url.PathEscape(evs[0].LogID))
	assert.Equal(t, 404, resp.StatusCode)

	clock.Advance(2 * time.Minute)
	assert.Equal(t, 10, tn.srv.Len(), "dropped events stay in memory until pruned")
	assert.Equal(t, 7, tn.srv.Prune())
	assert.Equal(t, 3, tn.srv.Len())
	assert.Equal(t, []string{evs[7].LogID, evs[8].LogID, evs[9].LogID}, ids(tn.logs("/api/v2/logs?take=100")),
		"take without from reads from the oldest log held")
}

func TestRejectUnknownFromRefusesSyntheticIDs(t *testing.T) {
	clock := newFakeClock()
	evs := spread(5, clock.Now().Add(-time.Hour))
	tn := newTenant(t, Options{Now: clock.Now, Faults: &Faults{RejectUnknownFrom: true}}, evs)

	resp, body := tn.get("/api/v2/logs?take=10&from=900" + "20240501100000" + "000000000000000000000000000000000000000")
	assert.Equal(t, 400, resp.StatusCode, string(body))
	assert.Len(t, tn.logs("/api/v2/logs?take=10&from="+url.QueryEscape(evs[1].LogID)), 3, "a real id still works")
	assert.Len(t, tn.logs("/api/v2/logs?take=10"), 5, "and so does the oldest log")
}
