package framer

import (
	"regexp"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
)

// TimeSeries builds Grafana's multi-frame time series (one frame per series, each with a time
// field and a number field named name, e.g. "count" or "distinct"), the shape graphs and alert
// rules both read. Values are nullable float64, the number type every consumer, including
// server-side expressions, accepts: a bucket that overlaps o.Missing (events the fetch did not
// read) is null, drawn as a gap, because a zero there would claim that nothing happened. They are
// nullable in every answer, so a partial answer has the schema of a full one.
//
// Grouped (o.GroupBy set), each frame's number field has the label {GroupBy: group}, with the empty
// group shown as "(none)", and a display name from o.LegendFormat or, when that is empty, a
// readable default: the type code for type groups (names are too long for a legend), the category
// name for category groups, the value otherwise.
//
// "No data" versus zero matters to alerting, so empty results are shaped on purpose: ungrouped,
// the result is always one frame, zeros when there were no events (a quiet hour is 0, not "no
// data"); grouped with no groups, it is one frame with both fields, no rows and no labels, which
// Grafana reads as "no data" since there is no series to evaluate.
func TimeSeries(series []aggregate.Series, b aggregate.Buckets, name string, o Options) data.Frames {
	times := bucketTimes(b)
	if len(series) == 0 {
		if o.GroupBy != "" {
			return data.Frames{seriesFrame(nil, data.NewField(name, nil, []*float64{}), o)}
		}
		series = []aggregate.Series{{Values: make([]int64, len(times))}}
	}
	unread := unreadBuckets(b, o.Missing)
	frames := make(data.Frames, len(series))
	for i, s := range series {
		field := seriesField(name, s, unread, o)
		t := times
		if i > 0 { // each frame owns its time vector, so changing one frame never moves another
			t = append([]time.Time(nil), times...)
		}
		frames[i] = seriesFrame(t, field, o)
	}
	return frames
}

// bucketTimes are the start of each bucket, the times a series is plotted at.
func bucketTimes(b aggregate.Buckets) []time.Time {
	times := make([]time.Time, max(b.N, 0))
	for i := range times {
		times[i] = b.Time(i)
	}
	return times
}

// seriesField is one group's values as a nullable number field named for the legend: null where
// the bucket was not read, so a gap is never drawn as zero.
func seriesField(name string, s aggregate.Series, unread []bool, o Options) *data.Field {
	values := make([]*float64, len(s.Values))
	for j, v := range s.Values {
		if j < len(unread) && unread[j] {
			continue
		}
		f := float64(v)
		values[j] = &f
	}
	labels := seriesLabels(s.Group, o)
	field := data.NewField(name, labels, values)
	if dn := displayName(s.Group, labels, o); dn != "" {
		field.Config = &data.FieldConfig{DisplayNameFromDS: dn}
	}
	return field
}

// unreadBuckets marks the buckets that overlap missing, even in part: a bucket read in part would
// be drawn too low. It is nil when nothing is missing.
func unreadBuckets(b aggregate.Buckets, missing *backend.TimeRange) []bool {
	if missing == nil || !missing.From.Before(missing.To) || b.N <= 0 {
		return nil
	}
	out := make([]bool, b.N)
	for i := range out {
		out[i] = b.Overlaps(i, missing.From, missing.To)
	}
	return out
}

// seriesLabels are a series' labels: the group, and the tenant when o asks for it.
func seriesLabels(group string, o Options) data.Labels {
	var labels data.Labels
	if o.GroupBy != "" {
		labels = data.Labels{LabelName(o.GroupBy): groupLabel(group)}
	}
	if o.Tenant != "" {
		if labels == nil {
			labels = data.Labels{}
		}
		labels[TenantLabel] = o.Tenant
	}
	return labels
}

func seriesFrame(times []time.Time, value *data.Field, o Options) *data.Frame {
	if times == nil {
		times = []time.Time{}
	}
	frame := data.NewFrame("", data.NewField("time", nil, times), value)
	frame.RefID = o.RefID
	return frame.SetMeta(&data.FrameMeta{
		Type:                   data.FrameTypeTimeSeriesMulti,
		TypeVersion:            data.FrameTypeVersion{0, 1},
		PreferredVisualization: data.VisTypeGraph,
	})
}

// LabelName is the label a series grouped by field carries: the field's name, with every character
// outside [A-Za-z0-9_] of a field path made "_" (security_context.ja4 becomes security_context_ja4),
// since alerting label names and templates are safest in Prometheus's alphabet.
func LabelName(field string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, field)
}

// groupLabel is the label value of a group: the empty group gets a visible name.
func groupLabel(group string) string {
	if group == "" {
		return noneLabel
	}
	return group
}

// displayName is the series name a legend shows. "" leaves naming to Grafana, which for an
// ungrouped series without a legend format is the field name ("count").
func displayName(group string, labels data.Labels, o Options) string {
	if o.LegendFormat != "" {
		return expandLegend(o.LegendFormat, legendVars(labels, o.GroupBy))
	}
	switch {
	case o.GroupBy == "":
		return ""
	case group == "":
		return noneLabel
	case o.GroupBy == "category":
		return categoryName(group)
	}
	return group
}

// legendVars are the names a legend format may use: the series' labels, plus, for type groups,
// type_name, category and category_name, and for category groups, category_name, so a legend can
// read "{{type_name}}" instead of a bare code.
func legendVars(labels data.Labels, groupBy string) map[string]string {
	vars := make(map[string]string, len(labels)+3)
	for k, v := range labels {
		vars[k] = v
	}
	if name := LabelName(groupBy); name != groupBy {
		vars[groupBy] = labels[name] // {{security_context.ja4}} reads as well as {{security_context_ja4}}
	}
	switch groupBy {
	case "type":
		if code := labels["type"]; code != noneLabel {
			t := eventtypes.Lookup(code)
			vars["type_name"], vars["category"], vars["category_name"] = t.Name, t.Category, categoryName(t.Category)
		}
	case "category":
		vars["category_name"] = categoryName(labels["category"])
	}
	return vars
}

// legendVar matches a {{name}} placeholder, allowing spaces inside the braces as Prometheus does.
var legendVar = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// expandLegend replaces each {{name}} with its value; an unknown name becomes "", like
// Prometheus's legend format, so a typo shows as a gap rather than as raw braces.
func expandLegend(format string, vars map[string]string) string {
	return legendVar.ReplaceAllStringFunc(format, func(m string) string {
		return vars[legendVar.FindStringSubmatch(m)[1]]
	})
}
