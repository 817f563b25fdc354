package framer

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
)

// Logs builds the logs frame of Grafana's logs data-plane contract, for Explore and logs panels.
// Fields, in order: timestamp, body, severity, id, labels, then ip, user_name and user_id as
// plain fields carrying links to "logs from this IP / of this user", then ja3, ja4 and latency_ms
// (see securityOf). The risk assessment's confidences are labels, since they take few values and
// Explore filters and counts by labels. id links to the event in the Auth0 dashboard when the
// domain names the tenant (see DashboardLogURL). Rows keep the order of events
// (newest first, as Auth0 returns them). No events gives the same fields with no rows.
func Logs(events []event.Event, o Options) *data.Frame {
	n := len(events)
	timestamps := make([]time.Time, n)
	bodies := make([]string, n)
	severities := make([]string, n)
	ids := make([]string, n)
	labels := make([]json.RawMessage, n)
	ips := make([]string, n)
	userNames := make([]string, n)
	userIDs := make([]string, n)
	ja3s, ja4s := make([]string, n), make([]string, n)
	latency := make([]*int64, n)
	cache := labelCache{}
	for i := range events {
		e := &events[i]
		t := eventtypes.Lookup(e.Type)
		timestamps[i] = e.Date
		bodies[i] = body(e, t)
		severities[i] = t.Outcome.LogLevel()
		ids[i] = e.LogID
		sec := securityOf(e)
		labels[i] = cache.get(e, t, &sec)
		ips[i], userNames[i], userIDs[i] = e.IP, e.UserName, e.UserID
		ja3s[i], ja4s[i], latency[i] = sec.JA3, sec.JA4, sec.LatencyMs
	}
	frame := data.NewFrame("",
		data.NewField("timestamp", nil, timestamps),
		data.NewField("body", nil, bodies),
		data.NewField("severity", nil, severities),
		withDashboardLink(data.NewField("id", nil, ids), o),
		data.NewField("labels", nil, labels),
		withLinks(data.NewField("ip", nil, ips), o),
		withLinks(data.NewField("user_name", nil, userNames), o),
		withLinks(data.NewField("user_id", nil, userIDs), o),
		data.NewField("ja3", nil, ja3s),
		data.NewField("ja4", nil, ja4s),
		data.NewField(latencyColumn, nil, latency),
	)
	frame.RefID = o.RefID
	return frame.SetMeta(&data.FrameMeta{
		Type:                   data.FrameTypeLogLines,
		TypeVersion:            data.FrameTypeVersion{0, 0},
		PreferredVisualization: data.VisTypeLogs,
	})
}

// body is the log line a reader scans: what happened (code and name), Auth0's description when it
// adds something, then who and from where. For example:
//
//	fu Failed Login (Invalid Email/Username): Wrong email or password. user=a@b.c ip=1.2.3.4
//
// The code comes first because it is what users filter on; user falls back to user_id when the
// event has no user_name.
func body(e *event.Event, t eventtypes.EventType) string {
	var b strings.Builder
	b.Grow(len(e.Type) + len(t.Name) + len(e.Description) + len(e.UserName) + len(e.UserID) + len(e.IP) + 16)
	switch {
	case e.Type == "":
		b.WriteString("(no type)")
	case t.Name == "" || t.Name == e.Type:
		b.WriteString(e.Type)
	default:
		b.WriteString(e.Type)
		b.WriteByte(' ')
		b.WriteString(t.Name)
	}
	if e.Description != "" && e.Description != t.Name {
		b.WriteString(": ")
		b.WriteString(e.Description)
	}
	user := e.UserName
	if user == "" {
		user = e.UserID
	}
	if user != "" {
		b.WriteString(" user=")
		b.WriteString(user)
	}
	if e.IP != "" {
		b.WriteString(" ip=")
		b.WriteString(e.IP)
	}
	return b.String()
}

// logLabels are the low-cardinality labels of a log line: Explore offers them as filters and
// counts them in its log volume, so high-cardinality values (ip, user) stay out. Field order is
// the JSON order; empty values are left out rather than shown as "".
type logLabels struct {
	Type       string `json:"type,omitempty"`
	TypeName   string `json:"type_name,omitempty"`
	Category   string `json:"category,omitempty"`
	Outcome    string `json:"outcome,omitempty"`
	Connection string `json:"connection,omitempty"`
	ClientName string `json:"client_name,omitempty"`
	Country    string `json:"country,omitempty"`
	// The risk assessment's overall confidence and each assessment's (see securityOf).
	Risk                 string `json:"risk_confidence,omitempty"`
	RiskUntrustedIP      string `json:"risk_untrusted_ip,omitempty"`
	RiskNewDevice        string `json:"risk_new_device,omitempty"`
	RiskImpossibleTravel string `json:"risk_impossible_travel,omitempty"`
}

// labelCache encodes each distinct label set once. The key holds only the inputs that vary (the
// rest follow from the type), and because label sets are few, most rows share one encoded slice.
type labelCache map[labelKey]json.RawMessage

type labelKey struct {
	typ, connection, client, country string
	risk                             string
	assessments                      [3]string
}

func (c labelCache) get(e *event.Event, t eventtypes.EventType, sec *security) json.RawMessage {
	k := labelKey{e.Type, e.Connection, e.ClientName, e.Country(), sec.Risk, sec.Assessments}
	if raw, ok := c[k]; ok {
		return raw
	}
	raw, err := json.Marshal(logLabels{
		Type: e.Type, TypeName: t.Name, Category: t.Category, Outcome: string(t.Outcome),
		Connection: e.Connection, ClientName: e.ClientName, Country: e.Country(),
		Risk: sec.Risk, RiskUntrustedIP: sec.Assessments[0], RiskNewDevice: sec.Assessments[1], RiskImpossibleTravel: sec.Assessments[2],
	})
	if err != nil { // cannot happen for a struct of strings; keep the row rather than fail the query
		raw = json.RawMessage(`{}`)
	}
	c[k] = raw
	return raw
}
