package framer

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/baseline"
)

// baselineFixture is three days of hourly counts, the last day the range, the hour before the
// range's last hour an attack.
func baselineFixture() (aggregate.Series, baseline.Band, aggregate.Buckets) {
	start := time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)
	all := aggregate.NewBuckets(start, start.Add(72*time.Hour), time.Hour)
	c := baseline.Counts{Buckets: all, Values: make([]int64, all.N), Known: make([]bool, all.N)}
	for i := range all.N {
		c.Values[i], c.Known[i] = int64(10+i%24), true
	}
	c.Values[all.N-2] += 200
	first := all.N - 24
	band := baseline.Estimate(c, first, all.End())
	rng := aggregate.Buckets{Start: all.Time(first), Step: time.Hour, N: 24}
	return aggregate.Series{Values: c.Values[first:]}, band, rng
}

func TestGoldenCountWithBaselineBand(t *testing.T) {
	count, band, b := baselineFixture()
	missing := &backend.TimeRange{From: b.Start, To: b.Time(1)}
	frame := Baseline(count, band, b, false, Options{RefID: "A", Missing: missing})
	require.Len(t, frame.Fields, 6)
	v, ok := frame.Fields[1].ConcreteAt(0)
	assert.False(t, ok, "a bucket not read is null, not zero: %v", v)
	checkGoldenFrames(t, "count_baseline_band", []*data.Frame{frame})
}

func TestGoldenBaselineScoreForAnAlert(t *testing.T) {
	count, band, b := baselineFixture()
	frame := Baseline(count, band, b, true, Options{RefID: "A", Tenant: "acme.eu.auth0.com"})
	require.Len(t, frame.Fields, 2, "time and score alone: an alert rule judges every numeric field")
	assert.Equal(t, "acme.eu.auth0.com", frame.Fields[1].Labels[TenantLabel])
	checkGoldenFrames(t, "baseline_score_alert", []*data.Frame{frame})
}
