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
	"city", "client_name", "client_id", "connection", "strategy", "hostname", "user_agent", "log_id",
	"risk_confidence", "risk_untrusted_ip", "risk_new_device", "risk_impossible_travel", "ja3", "ja4", "details",
}

// latencyColumn is the one number column, placed before details: the login's duration in ms,
// null when the event has none.
const latencyColumn = "latency_ms"

// Table builds a flat table of events: a time column, then one string column per tableColumns
// entry, with latency_ms (a nullable number) just before details. The risk columns hold the
// confidence of details.riskAssessment and of each assessment, ja3/ja4 the client's TLS
// fingerprints (see securityOf). log_id links to the event in the Auth0 dashboard when the
// domain names the tenant (see DashboardLogURL). details is Auth0's free-form details object as compact JSON ("" when absent), kept as one
// column because flattening it would change the schema from page to page. ip and user_id link to
// this data source's logs. Rows keep the order of events.
func Table(events []event.Event, o Options) *data.Frame {
	n := len(events)
	times := make([]time.Time, n)
	cols := make([][]string, len(tableColumns))
	for c := range cols {
		cols[c] = make([]string, n)
	}
	latency := make([]*int64, n)
	var buf bytes.Buffer
	for i := range events {
		e := &events[i]
		t := eventtypes.Lookup(e.Type)
		times[i] = e.Date
		sec := securityOf(e)
		var city string
		if e.Location != nil {
			city = e.Location.CityName
		}
		row := [...]string{
			e.Type, t.Name, t.Category, string(t.Outcome), e.Description, e.UserName, e.UserID, e.IP, e.Country(),
			city, e.ClientName, e.ClientID, e.Connection, e.Strategy, e.Hostname, e.UserAgent, e.LogID,
			sec.Risk, sec.Assessments[0], sec.Assessments[1], sec.Assessments[2], sec.JA3, sec.JA4,
			compactDetails(&buf, e.Details),
		}
		latency[i] = sec.LatencyMs
		for c := range row {
			cols[c][i] = row[c]
		}
	}
	fields := make([]*data.Field, 0, len(tableColumns)+2)
	fields = append(fields, data.NewField("time", nil, times))
	for c, name := range tableColumns {
		if name == "details" {
			fields = append(fields, data.NewField(latencyColumn, nil, latency))
		}
		f := data.NewField(name, nil, cols[c])
		switch name {
		case "user_name": // the table links by id, which is exact; names can repeat
		case "log_id":
			withDashboardLink(f, o)
		default:
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
