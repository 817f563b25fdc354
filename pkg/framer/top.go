package framer

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
)

// Top builds the ranking table of a top query: a column named after the field (e.g. "ip"), count,
// share (0..1, shown as a percentage through the percentunit unit), first_seen and last_seen. For
// ip it adds country, city, latitude and longitude, so a Geomap panel can place each IP directly;
// latitude and longitude are null when Auth0 gave no location. The value column links to this data
// source's logs for ip, user_name and user_id. Shares are recomputed as count/total when total is
// positive, so the column always agrees with the count column and the stated denominator.
func Top(entries []aggregate.TopEntry, total int64, field string, o Options) *data.Frame {
	n := len(entries)
	values := make([]string, n)
	counts := make([]int64, n)
	shares := make([]float64, n)
	first := make([]time.Time, n)
	last := make([]time.Time, n)
	for i, e := range entries {
		values[i], counts[i], shares[i], first[i], last[i] = e.Value, e.Count, e.Share, e.First, e.Last
		if total > 0 {
			shares[i] = float64(e.Count) / float64(total)
		}
	}
	share := data.NewField("share", nil, shares)
	share.Config = &data.FieldConfig{Unit: "percentunit"}
	frame := data.NewFrame("",
		withLinks(data.NewField(field, nil, values), o),
		data.NewField("count", nil, counts),
		share,
		data.NewField("first_seen", nil, first),
		data.NewField("last_seen", nil, last),
	)
	if field == "ip" {
		frame.Fields = append(frame.Fields, locationFields(entries)...)
	}
	frame.RefID = o.RefID
	return frame.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})
}

// locationFields are the geolocation columns of a top-IP table. Coordinates are nullable so an IP
// without a location is left off the map instead of being drawn at 0,0.
func locationFields(entries []aggregate.TopEntry) []*data.Field {
	n := len(entries)
	countries := make([]string, n)
	cities := make([]string, n)
	lats := make([]*float64, n)
	longs := make([]*float64, n)
	for i, e := range entries {
		if l := e.Location; l != nil {
			countries[i], cities[i] = l.CountryCode, l.CityName
			lats[i], longs[i] = copyFloat(l.Latitude), copyFloat(l.Longitude)
		}
	}
	return []*data.Field{
		data.NewField("country", nil, countries),
		data.NewField("city", nil, cities),
		data.NewField("latitude", nil, lats),
		data.NewField("longitude", nil, longs),
	}
}

// copyFloat keeps the frame from sharing memory with the events it was built from.
func copyFloat(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Values builds the frame a template variable query returns: text and value columns holding the
// same strings, in the given order, which Grafana turns into the variable's options.
func Values(values []string) *data.Frame {
	text := append([]string{}, values...)
	value := append([]string{}, values...)
	return data.NewFrame("", data.NewField("text", nil, text), data.NewField("value", nil, value))
}
