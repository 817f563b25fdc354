package plugin

import (
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
)

// dashboardPanels are the four panels of the dashboard every simulated user opens: a count by
// type, the top IPs, the newest logs and distinct failing IPs per hour.
var dashboardPanels = []string{
	`{"queryType":"count","groupBy":"type","interval":"1h"}`,
	`{"queryType":"top","groupBy":"ip","limit":10}`,
	`{"queryType":"logs","limit":100}`,
	`{"queryType":"distinct","eventTypes":["fu","fp"],"distinctField":"ip","interval":"1h"}`,
}

// openDashboards opens n copies of the dashboard at once (each panel its own QueryData call, as
// Grafana sends them) and returns every panel's response.
func openDashboards(rt *relTenant, d *Datasource, n int, tr backend.TimeRange) [][]backend.DataResponse {
	out := make([][]backend.DataResponse, n)
	var wg sync.WaitGroup
	for i := range n {
		out[i] = make([]backend.DataResponse, len(dashboardPanels))
		for p, model := range dashboardPanels {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: rt.pluginContext(),
					Queries: []backend.DataQuery{{RefID: "A", TimeRange: tr, Interval: time.Hour, MaxDataPoints: 1000, JSON: []byte(model)}}})
				if err != nil {
					out[i][p] = backend.ErrDataResponse(backend.StatusInternal, err.Error())
					return
				}
				out[i][p] = resp.Responses["A"]
			}()
		}
	}
	finishes(2*time.Minute, "the dashboards", wg.Wait)
	return out
}

// settledGoroutines polls until the goroutine count is at most limit or 15 s have passed, and
// returns the last count: connections and cancelled fetches take a moment to wind down. When the
// count stays over the limit, the stacks are logged to show what was left behind.
func settledGoroutines(t *testing.T, limit int) int {
	deadline := time.Now().Add(15 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= limit {
			return n
		}
		if time.Now().After(deadline) {
			var b strings.Builder
			_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
			t.Logf("%d goroutines, %d expected:\n%s", n, limit, b.String())
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// steadyGoroutines waits until the goroutine count has not moved for 100 ms (at most 5 s) and
// returns it: the baseline before an instance starts.
func steadyGoroutines() int {
	last, same := runtime.NumGoroutine(), 0
	for deadline := time.Now().Add(5 * time.Second); same < 5 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		n := runtime.NumGoroutine()
		if n == last {
			same++
		} else {
			last, same = n, 0
		}
	}
	return last
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// TestTwentyDashboardsAtOnce opens 20 dashboards of 4 panels against one data source at the same
// time, three rounds over. Every panel is right, the API requests are those of one dashboard (the
// fetches are joined and then cached), the heap does not grow from round to round, and once the
// instance is disposed no goroutine it started is left. -race watches for data races.
func TestTwentyDashboardsAtOnce(t *testing.T) {
	rt := newRelTenant(t, relOptions{events: quietEvents(3, 1000)})
	tr := backend.TimeRange{From: testEnd.Add(-24 * time.Hour), To: testEnd}

	single := rt.datasource(t)
	one := openDashboards(rt, single, 1, tr)[0]
	oneLoad := rt.emu.Stats().Requests[emulator.EndpointLogs]
	single.Dispose()
	baseline := steadyGoroutines()
	rt.emu.ResetStats()

	inst, err := NewDatasource(context.Background(), rt.settings())
	require.NoError(t, err)
	d := inst.(*Datasource)
	var heaps []uint64
	rounds := 3
	if longRuns() {
		rounds = 20
	}
	for round := range rounds {
		for _, dash := range openDashboards(rt, d, 20, tr) {
			for p, r := range dash {
				require.NoError(t, r.Error, "panel %d", p)
				sameText(t, frameJSON(t, one[p]), frameJSON(t, r), "panel %d is what one dashboard alone shows", p)
			}
		}
		heaps = append(heaps, heapInUse())
		if round == 0 {
			t.Logf("20 dashboards x 4 panels: %d Auth0 requests; one dashboard alone: %d", rt.emu.Stats().Requests[emulator.EndpointLogs], oneLoad)
		}
	}
	requests := rt.emu.Stats().Requests[emulator.EndpointLogs]
	assert.LessOrEqual(t, requests, oneLoad+2, "20 concurrent dashboards cost what one does")
	assert.Less(t, int64(heaps[len(heaps)-1])-int64(heaps[0]), int64(16<<20), "no growth from round to round: %v", heaps)
	t.Logf("%d rounds: %d requests in all; heap in use after each round (MiB): %v", rounds, requests, mib(heaps))

	d.Dispose()
	after := settledGoroutines(t, baseline)
	assert.LessOrEqual(t, after, baseline, "no goroutine outlives the disposed instance")
}

// sameText compares two long texts and, when they differ, shows only where.
func sameText(t *testing.T, want, got string, msg string, args ...any) {
	t.Helper()
	if want == got {
		return
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-80)
	t.Errorf("%s: differs at byte %d:\nwant …%s…\ngot  …%s…", fmt.Sprintf(msg, args...), i, want[from:min(len(want), i+80)], got[from:min(len(got), i+80)])
}

func mib(v []uint64) []float64 {
	out := make([]float64, len(v))
	for i, b := range v {
		out[i] = float64(b*10>>20) / 10
	}
	return out
}

// frameJSON is a response's frames as JSON, the form Grafana receives, for comparing answers. The
// cost statistics differ between a fetch that ran and one that was joined, so they are left out.
func frameJSON(t *testing.T, r backend.DataResponse) string {
	t.Helper()
	for _, f := range r.Frames {
		if f.Meta != nil {
			f.Meta.Stats = nil
		}
	}
	b, err := r.MarshalJSON()
	require.NoError(t, err)
	return string(b)
}

// TestDisposeStopsAFetchInFlight saves new settings while a query is stuck on a slow Auth0, once
// while it fetches a token and once while it reads a log page: the old instance's Dispose ends the
// query at once with what it read marked partial, or a clear error; every goroutine it started
// returns, the new instance answers once Auth0 recovers, and the disposed instance spends nothing.
func TestDisposeStopsAFetchInFlight(t *testing.T) {
	stuck := emulator.Faults{Latency: time.Minute}
	t.Run("fetching a token", func(t *testing.T) {
		disposeInFlight(t, func(rt *relTenant) { rt.emu.SetFaults(stuck) }, func(rt *relTenant) bool { return rt.rec.tokenAsked() > 0 })
	})
	t.Run("reading a log page", func(t *testing.T) {
		disposeInFlight(t, func(rt *relTenant) { rt.rec.at(2, func() { rt.emu.SetFaults(stuck) }) },
			func(rt *relTenant) bool { return len(rt.rec.apiArrivals()) >= 2 })
	})
}

func disposeInFlight(t *testing.T, slow func(*relTenant), reached func(*relTenant) bool) {
	rt := newRelTenant(t, relOptions{now: realClock})
	baseline := steadyGoroutines()
	slow(rt)
	inst, err := NewDatasource(context.Background(), rt.settings())
	require.NoError(t, err)
	old := inst.(*Datasource)
	tr := lastDay(&testTenant{end: testEnd})

	done := make(chan backend.DataResponse, 1)
	go func() {
		resp, err := old.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: rt.pluginContext(),
			Queries: []backend.DataQuery{{RefID: "A", TimeRange: tr, Interval: time.Hour, JSON: []byte(faultModel)}}})
		if err != nil {
			done <- backend.ErrDataResponse(backend.StatusInternal, err.Error())
			return
		}
		done <- resp.Responses["A"]
	}()
	require.Eventually(t, func() bool { return reached(rt) }, 10*time.Second, 10*time.Millisecond, "the query reached Auth0")

	s := rt.settings()
	s.Updated = time.Unix(2, 0)
	renewed := instanceFor(t, s)

	var r backend.DataResponse
	finishes(10*time.Second, "the query on the disposed instance", func() {
		old.Dispose()
		r = <-done
	})
	t.Logf("the query ended with: %v %v", r.Error, warnings(r.Frames))
	if r.Error == nil {
		require.NotEmpty(t, warnings(r.Frames), "what was read, marked partial")
	} else {
		assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
		assert.Contains(t, r.Error.Error(), "cancelled")
	}

	rt.emu.SetFaults(emulator.Faults{})
	again := rt.query(t.Context(), t, renewed, tr, faultModel)
	require.NoError(t, again.Error)
	assert.Equal(t, rt.truth("", tr), total(t, again.Frames, "count"))
	renewed.Dispose()
	assert.LessOrEqual(t, settledGoroutines(t, baseline), baseline, "every goroutine of both instances returned")

	asked := len(rt.rec.apiArrivals())
	stale := rt.query(t.Context(), t, old, tr, faultModel)
	if stale.Error == nil {
		assert.NotEmpty(t, warnings(stale.Frames), "a disposed instance answers at most from its cache, marked partial")
	}
	assert.Len(t, rt.rec.apiArrivals(), asked, "and spends nothing")
}
