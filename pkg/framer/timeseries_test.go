package framer

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
)

func displayNames(frames data.Frames) []string {
	var names []string
	for _, f := range frames {
		name := ""
		if c := f.Fields[1].Config; c != nil {
			name = c.DisplayNameFromDS
		}
		names = append(names, name)
	}
	return names
}

func TestLegendFormat(t *testing.T) {
	series := []aggregate.Series{{Group: "fu", Values: []int64{1, 0, 0}}, {Group: "", Values: []int64{0, 1, 0}}}
	tests := []struct {
		groupBy, format string
		series          []aggregate.Series
		want            []string
	}{
		{"type", "{{type}}", series, []string{"fu", "(none)"}},
		{"type", "{{ type_name }} / {{category}} / {{category_name}}", series,
			[]string{"Failed Login (Invalid Email/Username) / login_failure / Failed logins", " /  / "}},
		{"type", "{{nope}}x", series, []string{"x", "x"}},
		{"type", "", series, []string{"fu", "(none)"}},
		{"category", "", []aggregate.Series{{Group: "mfa"}, {Group: "not_a_category"}}, []string{"Multi-factor authentication", "not_a_category"}},
		{"category", "{{category}}: {{category_name}}", []aggregate.Series{{Group: "mfa"}}, []string{"mfa: Multi-factor authentication"}},
		{"ip", "from {{ip}}", []aggregate.Series{{Group: "1.2.3.4"}}, []string{"from 1.2.3.4"}},
		{"", "All failures", []aggregate.Series{{}}, []string{"All failures"}},
		{"", "", []aggregate.Series{{}}, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.groupBy+" "+tt.format, func(t *testing.T) {
			frames := TimeSeries(tt.series, aggregate.Buckets{}, "count", Options{GroupBy: tt.groupBy, LegendFormat: tt.format})
			assert.Equal(t, tt.want, displayNames(frames))
		})
	}
}

func TestTimeSeriesShape(t *testing.T) {
	b := aggregate.NewBuckets(at("2024-03-10T00:00:00Z"), at("2024-03-10T03:00:00Z"), time.Hour)
	frames := TimeSeries([]aggregate.Series{{Group: "fu", Values: []int64{1, 2, 3}}, {Group: "s", Values: []int64{4, 5, 6}}},
		b, "distinct", Options{RefID: "C", GroupBy: "type"})
	require.Len(t, frames, 2)
	for _, f := range frames {
		assert.Equal(t, data.FrameTypeTimeSeriesMulti, f.Meta.Type)
		assert.Equal(t, data.FrameTypeVersion{0, 1}, f.Meta.TypeVersion)
		assert.Equal(t, "C", f.RefID)
		assert.Equal(t, []string{"time", "distinct"}, fieldNames(f))
		assert.Equal(t, at("2024-03-10T02:00:00Z"), f.Fields[0].At(2))
	}
	assert.Equal(t, data.Labels{"type": "s"}, frames[1].Fields[1].Labels)
	assert.Equal(t, 6.0, num(t, frames[1], 2))
	frames[0].Fields[0].Set(0, at("2000-01-01T00:00:00Z"))
	assert.Equal(t, b.Time(0), frames[1].Fields[0].At(0), "frames do not share their time vectors")
}

func TestTimeSeriesNoData(t *testing.T) {
	b := aggregate.NewBuckets(at("2024-03-10T00:00:00Z"), at("2024-03-10T03:00:00Z"), time.Hour)

	ungrouped := TimeSeries(nil, b, "count", Options{})
	require.Len(t, ungrouped, 1, "ungrouped is always one series")
	require.Equal(t, 3, ungrouped[0].Rows())
	assert.Equal(t, 0.0, num(t, ungrouped[0], 2), "a quiet period is zero, not no data")
	assert.Nil(t, ungrouped[0].Fields[1].Labels)

	grouped := TimeSeries(nil, b, "count", Options{GroupBy: "ip"})
	require.Len(t, grouped, 1)
	assert.Zero(t, grouped[0].Rows(), "no groups is no data")
	assert.Equal(t, []string{"time", "count"}, fieldNames(grouped[0]))
	assert.Nil(t, grouped[0].Fields[1].Labels)
	assert.Equal(t, data.FrameTypeTimeSeriesMulti, grouped[0].Meta.Type)
}

// num is the value of row i of a series frame; it fails the test on a null.
func num(t *testing.T, f *data.Frame, i int) float64 {
	t.Helper()
	v, ok := f.Fields[1].ConcreteAt(i)
	require.True(t, ok, "row %d is null", i)
	return v.(float64)
}

// A bucket whose events were not read is a gap, not a zero: on a security chart a false zero
// reads as "no attack".
func TestTimeSeriesUnreadBucketsAreNull(t *testing.T) {
	b := aggregate.NewBuckets(at("2024-03-10T00:00:00Z"), at("2024-03-10T04:00:00Z"), time.Hour)
	// The fetch stopped 30 minutes into the second hour: the first two buckets are not complete.
	missing := &backend.TimeRange{From: at("2024-03-10T00:00:00Z"), To: at("2024-03-10T01:30:00Z")}
	series := []aggregate.Series{{Group: "fu", Values: []int64{0, 3, 0, 5}}, {Group: "s", Values: []int64{0, 0, 2, 0}}}
	for name, frames := range map[string]data.Frames{
		"grouped":   TimeSeries(series, b, "count", Options{GroupBy: "type", Missing: missing}),
		"ungrouped": TimeSeries(nil, b, "count", Options{Missing: missing}),
	} {
		for _, f := range frames {
			require.Equal(t, 4, f.Rows(), name)
			for i := range 2 {
				_, ok := f.Fields[1].ConcreteAt(i)
				assert.False(t, ok, "%s: bucket %d was not read completely", name, i)
			}
			assert.True(t, f.Fields[1].Nullable())
		}
		assert.Equal(t, 0.0, num(t, frames[0], 2), "%s: a read bucket keeps its zero", name)
	}
	full := TimeSeries(series, b, "count", Options{GroupBy: "type"})
	assert.Equal(t, 0.0, num(t, full[0], 0), "nothing missing, nothing null")
	assert.True(t, full[0].Fields[1].Nullable(), "a full answer has a partial one's schema")
}
