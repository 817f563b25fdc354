package framer

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// assessmentNames are the riskAssessment.assessments Auth0 writes on a login, each shown as a
// column of its own holding that assessment's confidence. The shape is Auth0's documented log
// example (../shared/seeds/log-event-details-examples.txt: details.riskAssessment.confidence and
// assessments.{UntrustedIP,NewDevice,ImpossibleTravel}.{confidence,code}). A fixed list keeps the
// schema the same on every page, whatever the events hold.
var assessmentNames = []string{"UntrustedIP", "NewDevice", "ImpossibleTravel"}

// assessmentColumns are the column names of assessmentNames, in the same order.
var assessmentColumns = []string{"risk_untrusted_ip", "risk_new_device", "risk_impossible_travel"}

// security is what a frame shows of an event's risk and client fingerprint.
type security struct {
	// Risk is details.riskAssessment.confidence; Assessments[i] is the confidence of
	// assessmentNames[i]. "" when the event has none.
	Risk        string
	Assessments [3]string
	// JA3 and JA4 are the TLS fingerprints of the client, from the top-level security_context
	// object (the catalogue's queries read data.security_context.ja3/ja4: auth0/auth0-customer-
	// detections, detections/credential_stuffing_signals.yml).
	JA3, JA4 string
	// LatencyMs is details.elapsedTime, the login transaction's duration in milliseconds (the
	// seed example's "elapsedTime": 10824); nil when absent or null.
	LatencyMs *int64
}

// detailsShape is the part of details security reads; the rest of the object is skipped.
type detailsShape struct {
	ElapsedTime    *float64 `json:"elapsedTime"`
	RiskAssessment *struct {
		Confidence  string `json:"confidence"`
		Assessments map[string]struct {
			Confidence string `json:"confidence"`
		} `json:"assessments"`
	} `json:"riskAssessment"`
}

var (
	riskKey    = []byte(`"riskAssessment"`)
	elapsedKey = []byte(`"elapsedTime"`)
)

// securityOf reads the fields from e. Details that hold neither key are not decoded at all, so
// the events without them (most of a tenant's) cost a byte search, not a JSON parse. Details that
// are not valid JSON give empty values: a frame never fails on one odd event.
func securityOf(e *event.Event) security {
	var s security
	if raw := e.Extra["security_context"]; len(raw) > 0 {
		var sc struct {
			JA3 string `json:"ja3"`
			JA4 string `json:"ja4"`
		}
		if json.Unmarshal(raw, &sc) == nil {
			s.JA3, s.JA4 = sc.JA3, sc.JA4
		}
	}
	if !bytes.Contains(e.Details, riskKey) && !bytes.Contains(e.Details, elapsedKey) {
		return s
	}
	var d detailsShape
	if json.Unmarshal(e.Details, &d) != nil {
		return s
	}
	if d.ElapsedTime != nil && *d.ElapsedTime >= 0 {
		ms := int64(*d.ElapsedTime)
		s.LatencyMs = &ms
	}
	if r := d.RiskAssessment; r != nil {
		s.Risk = r.Confidence
		for i, name := range assessmentNames {
			s.Assessments[i] = r.Assessments[name].Confidence
		}
	}
	return s
}

// dashboardHost matches a tenant's own Auth0 domain: "<tenant>.<region>.auth0.com", or
// "<tenant>.auth0.com" for the US region, which has no region label.
var dashboardHost = regexp.MustCompile(`^([a-z0-9][a-z0-9-]*)(?:\.([a-z0-9-]+))?\.auth0\.com$`)

// DashboardLogURL is the prefix of an event's page in the Auth0 dashboard,
// https://manage.auth0.com/dashboard/<region>/<tenant>/logs/, to which the log_id is appended;
// "" for a custom domain, whose tenant and region cannot be told from its name.
func DashboardLogURL(domain string) string {
	m := dashboardHost.FindStringSubmatch(strings.ToLower(strings.TrimSpace(domain)))
	if m == nil {
		return ""
	}
	region := m[2]
	if region == "" {
		region = "us"
	}
	return "https://manage.auth0.com/dashboard/" + url.PathEscape(region) + "/" + url.PathEscape(m[1]) + "/logs/"
}

// withDashboardLink links a log id field to the event in the Auth0 dashboard when the domain
// names the tenant, keeping any link f already has.
func withDashboardLink(f *data.Field, o Options) *data.Field {
	prefix := DashboardLogURL(o.Domain)
	if prefix == "" {
		return f
	}
	if f.Config == nil {
		f.Config = &data.FieldConfig{}
	}
	f.Config.Links = append(f.Config.Links, data.DataLink{
		Title: "Open in the Auth0 dashboard", URL: prefix + "${__value.raw}", TargetBlank: true,
	})
	return f
}
