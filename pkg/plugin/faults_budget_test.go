package plugin

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
)

// auth0LogsBucket is Auth0's own limit for GET /api/v2/logs on self-service plans.
var auth0LogsBucket = emulator.RateLimit{Burst: 10, PerMinute: 100}

// TestBudgetHoldsAcrossInstancesAndFaults gives the data source a small budget (60 requests a
// minute) and the emulator Auth0's real logs bucket, then runs queries on two instances of the same
// data source at once (the old and the new one after a settings save, which Grafana keeps side by
// side for a few seconds) while 429s, a 503 and a dropped connection are injected. Every answer is
// the ground truth; the requests the emulator saw fit the promised token bucket, so Auth0's own
// bucket never refused one.
func TestBudgetHoldsAcrossInstancesAndFaults(t *testing.T) {
	t.Parallel()
	const rpm = 60
	rt := newRelTenant(t, relOptions{rpm: rpm, now: realClock, rateLimit: auth0LogsBucket})
	old := rt.datasource(t)
	s := rt.settings()
	s.Updated = time.Unix(2, 0)
	renewed := instanceFor(t, s)
	const injected429 = 2
	rt.emu.SetFaults(emulator.Faults{TooManyRequests: injected429, ServerErrors: 1, ServerErrorStatus: 503, ResetConnections: 1})

	type job struct {
		d     *Datasource
		tr    backend.TimeRange
		model string
		want  int64
	}
	var jobs []job
	for i, d := range []*Datasource{old, renewed, old, renewed} {
		tr := backend.TimeRange{From: testEnd.Add(-time.Duration(6*(i+1)) * time.Hour), To: testEnd.Add(-time.Duration(6*i) * time.Hour)}
		jobs = append(jobs, job{d, tr, `{"queryType":"count","interval":"1h"}`, rt.truth("", tr)})
	}
	got := make([]backend.DataResponse, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := j.d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: rt.pluginContext(),
				Queries: []backend.DataQuery{{RefID: "A", TimeRange: j.tr, Interval: time.Hour, JSON: []byte(j.model)}}})
			if err == nil {
				got[i] = resp.Responses["A"]
			}
		}()
	}
	finishes(2*time.Minute, "the budget queries", wg.Wait)
	for i, j := range jobs {
		require.NoError(t, got[i].Error, "query %d", i)
		assert.Equal(t, j.want, total(t, got[i].Frames, "count"), "query %d", i)
	}
	arrivals := rt.rec.apiArrivals()
	require.Greater(t, len(arrivals), min(10, rpm)+5, "enough requests that the limiter had to pace them")
	assert.LessOrEqual(t, bucketExcess(arrivals, rpm), 0.0, "within burst %d plus %d a minute", min(10, rpm), rpm)
	assert.Equal(t, injected429, rt.emu.Stats().TooManyRequests, "Auth0's bucket refused nothing; only the injected 429s")
	t.Logf("%d API requests in %s; at most %d in any 10 s", len(arrivals),
		arrivals[len(arrivals)-1].Sub(arrivals[0]).Round(100*time.Millisecond), maxInWindow(arrivals, 10*time.Second))
}

// TestBudgetHoldsForMinutes is the long version: AUTH0LOGS_LONG=1. Four panels keep asking for
// fresh hours (each one request) for 150 s against a 30-a-minute budget; every 60 s window of
// arrivals at the emulator must stay within the bucket (30 a minute after a burst of 10).
func TestBudgetHoldsForMinutes(t *testing.T) {
	if !longRuns() {
		t.Skip("long run: set AUTH0LOGS_LONG=1")
	}
	const rpm = 30
	rt := newRelTenant(t, relOptions{days: 7, perDay: 1500, rpm: rpm, now: realClock, rateLimit: auth0LogsBucket})
	d := rt.datasource(t)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	var next atomic.Int64
	var wg sync.WaitGroup
	var answered, failed atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				h := next.Add(1)
				tr := backend.TimeRange{From: testEnd.Add(-time.Duration(h) * time.Hour), To: testEnd.Add(-time.Duration(h-1) * time.Hour)}
				model := fmt.Sprintf(`{"queryType":"count","interval":"1m","eventTypes":["%s"]}`, []string{"s", "fu", "fp", "seccft"}[h%4])
				resp, err := d.QueryData(ctx, &backend.QueryDataRequest{PluginContext: rt.pluginContext(),
					Queries: []backend.DataQuery{{RefID: "A", TimeRange: tr, Interval: time.Minute, JSON: []byte(model)}}})
				if err == nil && resp.Responses["A"].Error == nil {
					answered.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	arrivals := rt.rec.apiArrivals()
	assert.LessOrEqual(t, bucketExcess(arrivals, rpm), 0.0)
	worst := maxInWindow(arrivals, time.Minute)
	assert.LessOrEqual(t, worst, rpm+min(10, rpm)+1, "any minute: the refill plus the burst")
	assert.Zero(t, rt.emu.Stats().TooManyRequests, "Auth0's bucket never refused a request")
	t.Logf("%d requests in %s (%d queries answered, %d cut by the end of the run); most in any 60 s window: %d (budget %d/min, burst %d)",
		len(arrivals), arrivals[len(arrivals)-1].Sub(arrivals[0]).Round(time.Second), answered.Load(), failed.Load(), worst, rpm, min(10, rpm))
}
