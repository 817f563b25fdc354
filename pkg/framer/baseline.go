package framer

import (
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/baseline"
)

// Names of the baseline fields. The anomaly dashboard's overrides match their display names
// ("band high" filled down to "band low", "anomaly score" hidden), so both are part of the
// frame's contract.
const (
	BaselineExpected = "expected"
	BaselineLower    = "lower"
	BaselineUpper    = "upper"
	BaselineScore    = "score"
)

// Baseline is a count with what it should be: one wide frame of time, the count (null where it
// was not read), its expected value, the band's lower and upper edges and the anomaly score. With
// scoreOnly the frame holds the score alone, so an alert rule that reduces every numeric field
// judges only the score.
func Baseline(count aggregate.Series, band baseline.Band, b aggregate.Buckets, scoreOnly bool, o Options) *data.Frame {
	times := bucketTimes(b)
	labels := seriesLabels("", o)
	score := data.NewField(BaselineScore, labels, band.Score)
	score.Config = &data.FieldConfig{DisplayNameFromDS: "anomaly score",
		Description: "How far the count is from its expected value, in spreads; the band is ±4"}
	if scoreOnly {
		return seriesFrame(times, score, o)
	}
	frame := seriesFrame(times, seriesField("count", count, unreadBuckets(b, o.Missing), o), o)
	for _, f := range []struct {
		name, display string
		values        []*float64
	}{
		{BaselineExpected, "expected", band.Expected},
		{BaselineLower, "band low", band.Lower},
		{BaselineUpper, "band high", band.Upper},
	} {
		field := data.NewField(f.name, labels, f.values)
		field.Config = &data.FieldConfig{DisplayNameFromDS: f.display}
		frame.Fields = append(frame.Fields, field)
	}
	frame.Fields = append(frame.Fields, score)
	frame.Meta.Type = data.FrameTypeTimeSeriesWide
	return frame
}
