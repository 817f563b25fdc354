package plugin

import (
	"context"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
)

// TestFaultSoak is the long version of the fault tests (AUTH0LOGS_LONG=1): for three minutes it
// draws a random mix of faults, some from the first request and some switched on mid-fetch, and
// runs a count over a random stretch of a week. Every answer must be one of the three allowed
// outcomes, checked against the ground truth; the budget must hold over the whole run. Every ten
// queries the instance is replaced, as after a settings save, so the cache does not hide the API.
func TestFaultSoak(t *testing.T) {
	if !longRuns() {
		t.Skip("long run: set AUTH0LOGS_LONG=1")
	}
	rt := newRelTenant(t, relOptions{days: 7, perDay: 1500, rpm: faultRPM, now: realClock})
	rng := rand.New(rand.NewPCG(7, 11))
	stop := time.Now().Add(3 * time.Minute)
	counts := map[outcome]int{}
	var d *Datasource
	for round := 0; time.Now().Before(stop); round++ {
		if round%10 == 0 {
			if d != nil {
				d.Dispose()
			}
			s := rt.settings()
			s.Updated = time.Unix(int64(round+1), 0)
			inst, err := NewDatasource(context.Background(), s)
			require.NoError(t, err)
			d = inst.(*Datasource)
		}
		rt.emu.SetFaults(randomFaults(rng))
		mid := randomFaults(rng)
		rt.rec.at(rt.searchCount()+1+rng.IntN(6), func() { rt.emu.SetFaults(mid) })
		from := testEnd.Add(-time.Duration(1+rng.IntN(160)) * time.Hour)
		tr := backend.TimeRange{From: from, To: from.Add(time.Duration(1+rng.IntN(8)) * time.Hour)}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		var r backend.DataResponse
		finishes(time.Minute, "a soak query", func() { r = rt.query(ctx, t, d, tr, faultModel) })
		cancel()
		counts[anyOutcome(t, rt, r, tr)]++
	}
	d.Dispose()
	arrivals := rt.rec.apiArrivals()
	assert.LessOrEqual(t, bucketExcess(arrivals, faultRPM), 0.0)
	st := rt.emu.Stats()
	t.Logf("%d queries: %d exact, %d partial with a notice, %d clear errors; %d API requests, %d faults served, %d tokens issued",
		counts[exact]+counts[partial]+counts[failed], counts[exact], counts[partial], counts[failed], len(arrivals), st.FaultsServed, st.TokensIssued)
}

// searchCount is how many log searches have arrived so far.
func (rt *relTenant) searchCount() int {
	rt.rec.mu.Lock()
	defer rt.rec.mu.Unlock()
	return rt.rec.searches
}

func randomFaults(rng *rand.Rand) emulator.Faults {
	pick := func(p float64, n int) int {
		if rng.Float64() < p {
			return 1 + rng.IntN(n)
		}
		return 0
	}
	return emulator.Faults{
		TooManyRequests:    pick(0.3, 5),
		OmitRateLimitReset: rng.IntN(2) == 0,
		ServerErrors:       pick(0.3, 5),
		ServerErrorStatus:  []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[rng.IntN(3)],
		Latency:            time.Duration(pick(0.2, 40)) * time.Millisecond,
		ResetConnections:   pick(0.3, 3),
		TruncatedBodies:    pick(0.05, 1),
		MalformedBodies:    pick(0.05, 1),
		ExpireTokens:       rng.Float64() < 0.2,
		RevokeSecret:       rng.Float64() < 0.05,
	}
}

// anyOutcome checks an answer against the three allowed outcomes and says which it was.
func anyOutcome(t *testing.T, rt *relTenant, r backend.DataResponse, tr backend.TimeRange) outcome {
	t.Helper()
	want := rt.truth("", tr)
	switch {
	case r.Error != nil:
		assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource, "%v", r.Error)
		assert.NotEqual(t, "context deadline exceeded", r.Error.Error())
		return failed
	case len(warnings(r.Frames)) > 0:
		notes := warnings(r.Frames)
		if !missingRe.MatchString(notes[0]) {
			return partial // a crowded instant or unreadable events: nothing is missing by range
		}
		from, to := missingRange(t, notes[0])
		for at, n := range bucketValues(t, r.Frames[0]) {
			if at.Add(time.Hour).After(from) && at.Before(to) {
				assert.Nil(t, n, "hour %s of the missing range is a gap, not a number", at)
				continue
			}
			if assert.NotNil(t, n, "hour %s was read", at) {
				assert.Equal(t, rt.truth("", backend.TimeRange{From: at, To: at.Add(time.Hour)}), *n, "complete hour %s of a partial answer", at)
			}
		}
		return partial
	}
	assert.Equal(t, want, total(t, r.Frames, "count"), "an answer without a notice is the ground truth")
	return exact
}
