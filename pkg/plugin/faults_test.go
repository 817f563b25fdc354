package plugin

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
)

// faultRPM is the data source's budget in the fault tests: low enough that the limiter paces a
// fetch (so the budget check below means something), high enough to keep the tests short.
const faultRPM = 600

// outcome is what a query under a fault may end with.
type outcome int

const (
	exact   outcome = iota // the ground truth, no warning
	partial                // what was read, correct, plus a warning naming what is missing
	failed                 // a clear error, from the user's or Auth0's side
)

type faultCase struct {
	name string
	// start is active from the first request; mid replaces it when log search number midAt
	// (default 4, retries included) arrives, in the middle of the fetch.
	start, mid *emulator.Faults
	midAt      int
	want       outcome
	// says is a phrase the warning or error must hold; status is the error's status.
	says   string
	status backend.Status
	// deadline bounds the query when the case is about deadlines; 0 means none, so the outcome
	// never depends on how fast the machine is (a loaded machine used to turn "exact" into a
	// timeout at a fixed 30 s).
	deadline time.Duration
}

func faultCases() []faultCase {
	return []faultCase{
		{name: "429 burst with x-ratelimit-reset", start: &emulator.Faults{TooManyRequests: 3}, want: exact},
		{name: "429 burst without x-ratelimit-reset", start: &emulator.Faults{TooManyRequests: 2, OmitRateLimitReset: true}, want: exact},
		{name: "429 storm mid-fetch", mid: &emulator.Faults{TooManyRequests: 1000}, want: partial, says: "rate limit"},
		{name: "429 storm from the start", start: &emulator.Faults{TooManyRequests: 1000}, want: failed, says: "rate limit", status: backend.StatusTooManyRequests},
		{name: "503 burst", start: &emulator.Faults{ServerErrors: 2, ServerErrorStatus: http.StatusServiceUnavailable}, want: exact},
		{name: "500 storm mid-fetch", mid: &emulator.Faults{ServerErrors: 1000}, want: partial, says: "server error"},
		{name: "502 storm from the start", start: &emulator.Faults{ServerErrors: 1000, ServerErrorStatus: http.StatusBadGateway}, want: failed, says: "server error", status: backend.StatusBadGateway},
		{name: "slow responses", start: &emulator.Faults{Latency: 30 * time.Millisecond}, want: exact},
		{name: "responses slower than the deadline", start: &emulator.Faults{Latency: 4 * time.Second}, want: failed, says: "timed out", status: backend.StatusTimeout, deadline: time.Second},
		{name: "connections reset mid-body", start: &emulator.Faults{ResetConnections: 2}, mid: &emulator.Faults{ResetConnections: 1}, want: exact},
		{name: "truncated JSON mid-fetch", mid: &emulator.Faults{TruncatedBodies: 1}, want: partial, says: "cannot be read"},
		{name: "malformed JSON mid-fetch", mid: &emulator.Faults{MalformedBodies: 1}, want: partial, says: "cannot be read"},
		{name: "malformed JSON on the first page", start: &emulator.Faults{MalformedBodies: 1}, want: failed, says: "cannot be read", status: backend.StatusBadGateway},
		{name: "token expires mid-fetch", mid: &emulator.Faults{ExpireTokens: true}, want: exact},
		{name: "secret revoked mid-fetch, token still valid", mid: &emulator.Faults{RevokeSecret: true}, want: exact},
		{name: "secret revoked and token expired mid-fetch", mid: &emulator.Faults{RevokeSecret: true, ExpireTokens: true}, want: partial, says: "rejected the client credentials"},
		{name: "secret revoked before the first token", start: &emulator.Faults{RevokeSecret: true}, want: failed, says: "rejected the client credentials", status: backend.StatusUnauthorized},
		{name: "a bit of everything", start: &emulator.Faults{TooManyRequests: 1, ServerErrors: 1, ResetConnections: 1, Latency: 5 * time.Millisecond}, mid: &emulator.Faults{ExpireTokens: true, ResetConnections: 1}, midAt: 8, want: exact},
	}
}

// TestQueriesSurviveFaults injects each fault through the emulator and runs a count over a day
// (about 16 pages) through QueryData. Every query must end before its deadline with the ground
// truth, or with correct partial data and a warning saying what is missing, or with a clear error;
// the data source's request budget must hold throughout. A query after the fault clears must give
// the ground truth again. The cases run side by side (each on its own tenant): they mostly wait.
func TestQueriesSurviveFaults(t *testing.T) {
	t.Parallel()
	runs := make([]*faultRun, 0, len(faultCases()))
	for _, c := range faultCases() {
		runs = append(runs, newFaultRun(t, c))
	}
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Add(1)
		go func() { defer wg.Done(); r.execute() }()
	}
	finishes(2*time.Minute, "the fault cases", wg.Wait)
	for _, r := range runs {
		t.Run(r.c.name, r.check)
	}
}

// faultRun is one case: its tenant and instance, and what its two queries returned.
type faultRun struct {
	c                  faultCase
	rt                 *relTenant
	d                  *Datasource
	tr                 backend.TimeRange
	want               int64
	first, again       backend.DataResponse
	firstErr, againErr error
	took               time.Duration
	requests           int
}

const faultModel = `{"queryType":"count","interval":"1h"}`

func newFaultRun(t *testing.T, c faultCase) *faultRun {
	rt := newRelTenant(t, relOptions{rpm: faultRPM, now: realClock})
	if c.start != nil {
		rt.emu.SetFaults(*c.start)
	}
	if c.mid != nil {
		mid := *c.mid
		rt.rec.at(cmpOr(c.midAt, 4), func() { rt.emu.SetFaults(mid) })
	}
	tr := backend.TimeRange{From: testEnd.Add(-24 * time.Hour), To: testEnd}
	return &faultRun{c: c, rt: rt, d: rt.datasource(t), tr: tr, want: rt.truth("", tr)}
}

// execute runs the faulted query (under its deadline, if it has one), then, with the faults
// cleared, again. It runs on its own goroutine, so it only records; check asserts.
func (r *faultRun) execute() {
	ctx, cancel := context.WithCancel(context.Background())
	if r.c.deadline > 0 {
		ctx, cancel = context.WithTimeout(context.Background(), r.c.deadline)
	}
	defer cancel()
	start := time.Now()
	r.first, r.firstErr = r.queryOnce(ctx)
	r.took = time.Since(start)
	r.requests = len(r.rt.rec.apiArrivals())
	r.rt.emu.SetFaults(emulator.Faults{})
	r.again, r.againErr = r.queryOnce(context.Background())
}

func (r *faultRun) queryOnce(ctx context.Context) (backend.DataResponse, error) {
	resp, err := r.d.QueryData(ctx, &backend.QueryDataRequest{
		PluginContext: r.rt.pluginContext(),
		Queries:       []backend.DataQuery{{RefID: "A", TimeRange: r.tr, Interval: time.Hour, MaxDataPoints: 1000, JSON: []byte(faultModel)}},
	})
	if err != nil {
		return backend.DataResponse{}, err
	}
	return resp.Responses["A"], nil
}

func (r *faultRun) check(t *testing.T) {
	require.NoError(t, r.firstErr)
	checkOutcome(t, r.rt, r.c, r.first, r.want)
	assert.LessOrEqual(t, bucketExcess(r.rt.rec.apiArrivals(), faultRPM), 0.0, "requests kept within the data source's budget")
	t.Logf("%s after %d API requests in %s", outcomeName(r.first), r.requests, r.took.Round(10*time.Millisecond))

	// Once Auth0 behaves again, the same query gives the ground truth.
	require.NoError(t, r.againErr)
	require.NoError(t, r.again.Error)
	assert.Equal(t, r.want, total(t, r.again.Frames, "count"))
	assert.Empty(t, warnings(r.again.Frames))
}

func outcomeName(r backend.DataResponse) string {
	switch {
	case r.Error != nil:
		return "error " + r.Error.Error()
	case len(warnings(r.Frames)) > 0:
		return "partial: " + warnings(r.Frames)[0]
	}
	return "exact"
}

func checkOutcome(t *testing.T, rt *relTenant, c faultCase, r backend.DataResponse, want int64) {
	t.Helper()
	switch c.want {
	case exact:
		require.NoError(t, r.Error)
		assert.Equal(t, want, total(t, r.Frames, "count"), "the ground truth despite the fault")
		assert.Empty(t, warnings(r.Frames))
	case partial:
		require.NoError(t, r.Error, "events were read before the fault: show them")
		notes := warnings(r.Frames)
		require.Len(t, notes, 1)
		assert.Contains(t, notes[0], "Partial result")
		assert.Contains(t, notes[0], c.says)
		// Every hour after the missing range is complete: partial data is correct data. Every
		// hour that overlaps it is a gap, not a zero.
		start, end := missingRange(t, notes[0])
		checkedHours, got := 0, int64(0)
		for at, n := range bucketValues(t, r.Frames[0]) {
			if at.Add(time.Hour).After(start) && at.Before(end) {
				assert.Nil(t, n, "the hour from %s was not read completely", at)
				continue
			}
			require.NotNil(t, n, "the hour from %s was read", at)
			hour := backend.TimeRange{From: at, To: at.Add(time.Hour)}
			assert.Equal(t, rt.truth("", hour), *n, "the hour from %s", at)
			checkedHours++
			got += *n
		}
		assert.Positive(t, checkedHours)
		assert.Positive(t, got)
		assert.Less(t, got, want)
	case failed:
		require.Error(t, r.Error)
		assert.Contains(t, r.Error.Error(), c.says)
		assert.Equal(t, c.status, r.Status)
		assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource, "Auth0's faults are not the plugin's")
	}
}

// hourlyCounts maps each bucket start of an ungrouped count frame to its count; a gap fails.
func hourlyCounts(t *testing.T, f *data.Frame) map[time.Time]int64 {
	t.Helper()
	out := map[time.Time]int64{}
	for at, n := range bucketValues(t, f) {
		require.NotNil(t, n, "the bucket from %s is a gap", at)
		out[at] = *n
	}
	return out
}

// bucketValues maps each bucket start of an ungrouped count frame to its count, nil for a gap.
func bucketValues(t *testing.T, f *data.Frame) map[time.Time]*int64 {
	t.Helper()
	require.Len(t, f.Fields, 2)
	out := map[time.Time]*int64{}
	for i := 0; i < f.Rows(); i++ {
		var n *int64
		if v, ok := f.Fields[1].ConcreteAt(i); ok {
			c := int64(v.(float64))
			n = &c
		}
		out[f.Fields[0].At(i).(time.Time)] = n
	}
	return out
}

// missingRange reads the missing range from a partial-result notice.
func missingRange(t *testing.T, notice string) (from, to time.Time) {
	t.Helper()
	m := missingRe.FindStringSubmatch(notice)
	require.NotNil(t, m, "the notice names the missing range: %s", notice)
	from, err := time.Parse(time.RFC3339, m[1])
	require.NoError(t, err)
	to, err = time.Parse(time.RFC3339, m[2])
	require.NoError(t, err)
	return from, to
}
