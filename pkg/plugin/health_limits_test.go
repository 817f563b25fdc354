package plugin

import (
	"context"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
)

func oldestDate(rt *relTenant) time.Time {
	oldest := rt.events[0].Date
	for _, e := range rt.events {
		if e.Date.Before(oldest) {
			oldest = e.Date
		}
	}
	return oldest
}

// TestHealthSaysRetentionAndRateHeadroom: Save & test names the oldest log Auth0 holds (one
// search, oldest first) and the bucket Auth0 reports, and advises lowering a requests-per-minute
// setting above it, only then.
func TestHealthSaysRetentionAndRateHeadroom(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rpm    int
		advice bool
	}{
		{"a setting above the bucket gets advice", 6000, true},
		{"a setting within the bucket gets none", 40, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := newRelTenant(t, relOptions{days: 3, perDay: 500, rpm: tc.rpm, rateLimit: emulator.RateLimit{Burst: 50, PerMinute: 50}})
			d := rt.datasource(t)
			res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: rt.pluginContext()})
			require.NoError(t, err)
			assert.Equal(t, backend.HealthStatusOk, res.Status, res.Message)
			assert.Contains(t, res.Message, "back to "+oldestDate(rt).UTC().Format("2006-01-02 15:04 UTC"))
			assert.Regexp(t, `Rate limit: 4\d of 50 requests left`, res.Message)
			assert.Equal(t, 2, rt.rec.searchRequests(), "the newest and the oldest log, one request each")
			if tc.advice {
				assert.Contains(t, res.Message, "Lower Requests per minute to 50 or less")
			} else {
				assert.NotContains(t, res.Message, "Lower Requests per minute")
			}
		})
	}
}

// TestHealthRetentionFromTheStoreCostsNothing: with the store on and its backfill having found
// where Auth0's logs end, Save & test says so without a search of its own for the oldest log.
func TestHealthRetentionFromTheStoreCostsNothing(t *testing.T) {
	st := newStoreTenant(t, relOptions{days: 2, perDay: 1500})
	d := st.instance(t, true)
	st.caughtUp(t, d, backend.TimeRange{From: testEnd.Add(-47 * time.Hour), To: testEnd})
	status, err := d.store.handle.Status(context.Background())
	require.NoError(t, err)
	require.False(t, status.Backfill.Auth0HoldsFrom.IsZero(), "the backfill found where Auth0's logs begin: %+v", status.Backfill)

	before := st.rec.searchRequests()
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.Equal(t, 1, st.rec.searchRequests()-before, "only the newest log is searched for")
	assert.Contains(t, res.Message, "back to "+status.Backfill.Auth0HoldsFrom.UTC().Format("2006-01-02 15:04 UTC"))
	assert.Contains(t, res.Message, "where the store's backfill found Auth0's logs end")
	assert.Contains(t, res.Message, "Rate limit: Auth0's answer carried no x-ratelimit headers")
	assert.Contains(t, res.Message, "on a self-service plan lower Requests per minute to 100 or less",
		"without Auth0's headers, 6,000 a minute is compared with the documented 100")
}
