package framer

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
)

// tableColumns is the Table frame's schema, in order. It is fixed whatever the events hold, so a
// table panel's column overrides survive every refresh.
var tableColumns = []string{
	"type", "type_name", "category", "outcome", "description", "user_name", "user_id", "ip", "country",
	"city", "client_name", "client_id", "connection", "strategy", "hostname", "user_agent", "log_id", "details",
}

// Table builds a flat table of events: a time column, then one string column per tableColumns
// entry. details is Auth0's free-form details object as compact JSON ("" when absent), kept as one
// column because flattening it would change the schema from page to page. ip and user_id link to
// this data source's logs. Rows keep the order of events.
func Table(events []event.Event, o Options) *data.Frame {
	n := len(events)
	times := make([]time.Time, n)
	cols := make([][]string, len(tableColumns))
	for c := range cols {
		cols[c] = make([]string, n)
	}
	var buf bytes.Buffer
	for i := range events {
		e := &events[i]
		t := eventtypes.Lookup(e.Type)
		times[i] = e.Date
		var city string
		if e.Location != nil {
			city = e.Location.CityName
		}
		row := [...]string{
			e.Type, t.Name, t.Category, string(t.Outcome), e.Description, e.UserName, e.UserID, e.IP, e.Country(),
			city, e.ClientName, e.ClientID, e.Connection, e.Strategy, e.Hostname, e.UserAgent, e.LogID,
			compactDetails(&buf, e.Details),
		}
		for c := range row {
			cols[c][i] = row[c]
		}
	}
	fields := make([]*data.Field, 0, len(tableColumns)+1)
	fields = append(fields, data.NewField("time", nil, times))
	for c, name := range tableColumns {
		f := data.NewField(name, nil, cols[c])
		if name != "user_name" { // the table links by id, which is exact; names can repeat
			withLinks(f, o)
		}
		fields = append(fields, f)
	}
	frame := data.NewFrame("", fields...)
	frame.RefID = o.RefID
	return frame.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})
}

// compactDetails renders details on one line. Invalid JSON (which Auth0 should never send) is
// shown as it came rather than dropped, and JSON null counts as no details.
func compactDetails(buf *bytes.Buffer, raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	buf.Reset()
	if err := json.Compact(buf, raw); err != nil {
		return string(raw)
	}
	if s := buf.String(); s != "null" {
		return s
	}
	return ""
}
