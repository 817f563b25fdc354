package plugin

import (
	"context"
	"encoding/json"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
	"github.com/seed/auth0logs-datasource/pkg/source"
)

// truthFrames renders a query from the tenant's own events, filtered with the plan's matcher: the
// ground truth in the frames a panel would get, with no Auth0 and no store in between.
func truthFrames(t *testing.T, d *Datasource, events []event.Event, tr backend.TimeRange, model string) data.Frames {
	t.Helper()
	qm, err := models.ParseQuery(json.RawMessage(model), "")
	require.NoError(t, err)
	p, err := plan.Build(qm, plan.Input{From: tr.From, To: tr.To, Interval: time.Hour})
	require.NoError(t, err)
	var matched []event.Event
	for i := range events {
		e := &events[i]
		if !e.Date.Before(p.From) && e.Date.Before(p.To) && p.Matcher.Match(e) {
			matched = append(matched, *e)
		}
	}
	ans := source.Answer{Fetched: fetchResult(matched)}
	if qm.QueryType == models.QueryTypeLogs || qm.QueryType == models.QueryTypeTable {
		sortNewestFirst(matched)
		ans.Events = matched[:min(len(matched), p.Query.Limit)]
	} else {
		ans.Cells = aggregate.CellsFromEvents(matched, p.Buckets, p.Group, p.Of)
	}
	frames, err := d.frames(context.Background(), p, ans, "A")
	require.NoError(t, err)
	return frames
}

// TestStoreFullVolumeDashboards is the measure: 7 days of a 60,000-a-day tenant in the
// store, every bundled dashboard panel and alert query answered at zero Auth0 requests and equal
// to the ground truth. About three minutes; it runs with AUTH0LOGS_LONG=1 (mage long).
func TestStoreFullVolumeDashboards(t *testing.T) {
	if !longRuns() {
		t.Skip("set AUTH0LOGS_LONG=1: 7 days of a 60k-a-day tenant through the tail (see docs/benchmarks.md)")
	}
	st := newStoreTenant(t, relOptions{days: 7, perDay: 60_000})
	tr := backend.TimeRange{From: testEnd.Add(-7*24*time.Hour + time.Hour), To: testEnd}
	started := time.Now()
	d := st.instance(t, true)
	st.caughtUp(t, d, tr)
	status, err := d.store.handle.Status(context.Background())
	require.NoError(t, err)
	t.Logf("caught up in %s: %d events, %d bytes (%.0f bytes/event), backfill %d requests (%.4f × events/100)",
		time.Since(started).Round(time.Second), status.Events, status.Bytes, float64(status.Bytes)/float64(status.Events),
		status.Backfill.Requests, float64(status.Backfill.Requests)/(float64(status.Events)/100))

	ip := topOf(t, st, d, tr, `{"queryType":"top","eventTypes":["fu"],"groupBy":"ip","limit":1}`, "ip")
	user := topOf(t, st, d, tr, `{"queryType":"top","eventTypes":["s"],"groupBy":"user_id","limit":1}`, "user_id")
	queries := shippedQueries(t, map[string]string{"datasource": "auth0-rel", "ip": ip, "user_id": user})
	before := st.rec.searchRequests()
	// The store's answers first, timed and with the heap sampled after each, then the ground truth:
	// computing the truth holds every event, which must not count against the store.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heapBefore, heapPeak := ms.HeapInuse, ms.HeapInuse
	answers := map[string]backend.DataResponse{}
	start := time.Now()
	for name, q := range queries {
		answers[name] = st.query(context.Background(), t, d, tr, q)
		runtime.ReadMemStats(&ms)
		heapPeak = max(heapPeak, ms.HeapInuse)
	}
	took := time.Since(start)
	t.Logf("%d shipped queries answered from the store in %s, Auth0 searches %d, heap peak +%.0f MiB",
		len(queries), took.Round(time.Millisecond), st.rec.searchRequests()-before, float64(heapPeak-heapBefore)/(1<<20))
	for name, q := range queries {
		got := answers[name]
		require.NoError(t, got.Error, name)
		assert.Empty(t, warnings(got.Frames), name)
		assert.Equal(t, frameData(t, backend.DataResponse{Frames: truthFrames(t, d, st.events, tr, q)}), frameData(t, got), name)
	}
	assert.Equal(t, before, st.rec.searchRequests(), "no Auth0 search for stored ranges")
}

func fetchResult(events []event.Event) fetch.Result { return fetch.Result{Events: events} }

// sortNewestFirst orders events as the store scans them: date, then log_id, descending.
func sortNewestFirst(events []event.Event) {
	slices.SortStableFunc(events, func(a, b event.Event) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(b.LogID, a.LogID)
	})
}
