package plugin

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
)

// detectionRows are the rows of the Detections dashboard, one per family of detections, in order.
var detectionRows = []string{"Attack protection", "MFA", "Tokens", "Signup fraud", "Tenant administration"}

// adminChanges are tenant changes no detection scenario generates: Management API writes (sapi,
// with the {request, response} details of the recorded ones) to attack protection, Guardian, a
// user's authentication methods, clients and client grants, and a user removing an MFA device.
// Each is {type, description, details}; their dates are two minutes apart from scenarioDay+22h.
var adminChanges = [][3]string{
	{"sapi", "Update brute-force settings", `{"request":{"method":"patch","path":"/api/v2/attack-protection/brute-force-protection","body":{"enabled":false}},"response":{"statusCode":200}}`},
	{"sapi", "Update breached password detection settings", `{"request":{"method":"patch","path":"/api/v2/attack-protection/breached-password-detection","body":{"enabled":true,"shields":["block"]}},"response":{"statusCode":200}}`},
	{"sapi", "Update a multi-factor authentication factor", `{"request":{"method":"put","path":"/api/v2/guardian/factors/sms","body":{"enabled":false}},"response":{"statusCode":200}}`},
	{"sapi", "Delete an authentication method", `{"request":{"method":"delete","path":"/api/v2/users/auth0%7C64f1c0ffee00000000000001/authentication-methods/phone%7Cdev_1","body":{}},"response":{"statusCode":204}}`},
	{"gd_unenroll", "Unenroll device account", `{"enrollment":{"type":"pn"}}`},
	{"sapi", "Create client grant", `{"request":{"method":"post","path":"/api/v2/client-grants","body":{"client_id":"m2mNewClient00000000000000000000","audience":"https://` + testDomain + `/api/v2/","scope":["read:users","delete:users"]}},"response":{"statusCode":201}}`},
	{"sapi", "Update a client", `{"request":{"method":"patch","path":"/api/v2/clients/m2mNewClient00000000000000000000","body":{"grant_types":["client_credentials"]}},"response":{"statusCode":200}}`},
}

// adminChangeEvents builds adminChanges as events from one admin at one IP.
func adminChangeEvents() []event.Event {
	out := make([]event.Event, len(adminChanges))
	for i, c := range adminChanges {
		date := scenarioDay.Add(22*time.Hour + time.Duration(2*i)*time.Minute)
		out[i] = event.Event{
			// Auth0's layout: "900", the ingest second, six digits of fraction, 14 zeros, a sequence
			// far above the tenant's and the scenarios'.
			LogID: fmt.Sprintf("900%s%06d%014d%019d", date.Add(time.Second).UTC().Format("20060102150405"), 0, 0, uint64(8_000_000_000_000_000_000)+uint64(i)),
			Date:  date, Hostname: testDomain, IP: "203.0.113.77", Type: c[0], Description: c[1], Details: json.RawMessage(c[2]),
			ClientName: "Tenant admin script", ClientID: "adminScript00000000000000000000000", UserID: "auth0|64f1c0ffee00000000000001",
		}
	}
	return out
}

// panelRows names the row each panel of a dashboard sits under (rows are full-width headers:
// a panel belongs to the nearest row above it); "" for a panel above the first row.
func panelRows(d dashboard) map[string]string {
	var rows []dashboardPanel
	for _, p := range d.Panels {
		if p.Type == "row" {
			rows = append(rows, p)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].GridPos.Y < rows[j].GridPos.Y })
	out := map[string]string{}
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		out[p.Title] = ""
		for _, r := range rows {
			if r.GridPos.Y < p.GridPos.Y {
				out[p.Title] = r.Title
			}
		}
	}
	return out
}

// TestDetectionsDashboardHasARowPerFamily: the rows named in issue 17, in order, each with
// panels under it.
func TestDetectionsDashboardHasARowPerFamily(t *testing.T) {
	dash := loadDashboards(t)["detections.json"]
	assert.Equal(t, "Auth0 — Detections", dash.Title)
	var rows []string
	for _, p := range dash.Panels {
		if p.Type == "row" {
			rows = append(rows, p.Title)
		}
	}
	assert.Equal(t, detectionRows, rows)
	under := map[string]int{}
	for _, row := range panelRows(dash) {
		under[row]++
	}
	for _, row := range detectionRows {
		assert.GreaterOrEqual(t, under[row], 3, "row %s has its panels", row)
	}
}

// TestDetectionsDashboardShowsTheScenarios runs every panel of the Detections dashboard over the
// detection tenant (two days of ordinary traffic with every detection scenario and adminChanges
// laid over them): every panel answers without an error and shows events, the ranking panels put
// the scenario's actors first, and the panels on details.request.* find exactly their changes.
func TestDetectionsDashboardShowsTheScenarios(t *testing.T) {
	tn := newDetectionTenant(t, adminChangeEvents()...)
	d := tn.datasource(t)
	tr := backend.TimeRange{From: testEnd.Add(-48 * time.Hour), To: testEnd}
	dash := loadDashboards(t)["detections.json"]
	rows := panelRows(dash)

	answers := map[string]data.Frames{}
	for _, p := range dash.Panels {
		for _, target := range p.Targets {
			t.Run(p.Title, func(t *testing.T) {
				var m models.Query
				require.NoError(t, json.Unmarshal(target, &m))
				r := tn.query(t, d, tr, string(interpolate(target, map[string]string{"datasource": "auth0-test"})))
				require.NoError(t, r.Error, "%s / %s", rows[p.Title], p.Title)
				require.NotEmpty(t, r.Frames)
				checkShape(t, m, r.Frames)
				assert.Positive(t, answered(t, m, r.Frames), "%s / %s shows no events", rows[p.Title], p.Title)
				if len(p.Targets) == 1 {
					answers[p.Title] = r.Frames
				}
			})
		}
	}

	actors := func(t *testing.T, name string) (ips, users map[string]bool) {
		t.Helper()
		events, err := tenant.DetectionEvents(scenarios[name])
		require.NoError(t, err)
		ips, users = map[string]bool{}, map[string]bool{}
		for _, e := range events {
			ips[e.IP], users[e.UserID] = true, true
		}
		return ips, users
	}
	column := func(t *testing.T, title, name string) []string {
		t.Helper()
		frames, ok := answers[title]
		require.True(t, ok, "panel %q answered", title)
		f, _ := frames[0].FieldByName(name)
		require.NotNil(t, f, "%s has a %s column", title, name)
		out := make([]string, f.Len())
		for i := range out {
			out[i] = f.At(i).(string)
		}
		return out
	}

	t.Run("the botnet's TLS fingerprint tops the failed logins", func(t *testing.T) {
		ja4 := column(t, "TLS fingerprints (JA4) of failed logins", "security_context.ja4")
		require.NotEmpty(t, ja4)
		assert.Equal(t, "t10d1309h1_5b57614c22b0_3d5424432f57", ja4[0])
	})
	t.Run("the pushed users top the push ranking", func(t *testing.T) {
		_, users := actors(t, "auth0-detect-mfa-push-fatigue")
		top := column(t, "Users sent the most pushes", "user_id")
		require.Len(t, top, len(users))
		for _, u := range top {
			assert.True(t, users[u], "%s is not a push-fatigue user", u)
		}
	})
	t.Run("every user whose token was reused is ranked", func(t *testing.T) {
		_, users := actors(t, "auth0-detect-refresh-token-reuse")
		assert.ElementsMatch(t, keys(users), column(t, "Users whose tokens were reused", "user_id"))
	})
	t.Run("every user exchanging refresh tokens from many IPs has a series", func(t *testing.T) {
		_, users := actors(t, "auth0-detect-refresh-token-many-ips")
		var got []string
		for _, f := range answers["IPs per user exchanging refresh tokens"] {
			if f.Rows() > 0 {
				got = append(got, f.Fields[1].Labels["user_id"])
			}
		}
		assert.Subset(t, got, keys(users))
	})
	t.Run("the signup-burst IPs top the signup ranking, and their domain the domains", func(t *testing.T) {
		ips, _ := actors(t, "auth0-detect-signup-burst-ip")
		top := column(t, "IPs with the most signups", "ip")
		require.NotEmpty(t, top)
		for _, ip := range top[:min(len(top), len(ips))] {
			assert.True(t, ips[ip], "%s is not a signup-burst IP", ip)
		}
		assert.Equal(t, "example.com", column(t, "Signups by email domain", "user_name.domain")[0])
	})
	t.Run("dynamic client registration is among the API paths", func(t *testing.T) {
		assert.Contains(t, column(t, "Most-called API paths", "details.request.path"), "/oidc/register")
	})
	t.Run("each change panel finds exactly its changes", func(t *testing.T) {
		// The admin's changes are among them, and each panel holds exactly the tenant's events its
		// query selects (the scenarios add more changes of the same kinds).
		assert.Subset(t, column(t, "Attack-protection settings changed", "description"),
			[]string{"Update brute-force settings", "Update breached password detection settings"})
		assert.Subset(t, column(t, "MFA factor and policy changes", "description"),
			[]string{"Update a multi-factor authentication factor", "Delete an authentication method", "Unenroll device account"})
		assert.Subset(t, column(t, "Clients and client grants changed", "description"), []string{"Create client grant", "Update a client"})
		for _, title := range []string{"Attack-protection settings changed", "MFA factor and policy changes", "Clients and client grants changed"} {
			assert.Len(t, column(t, title, "description"), int(panelTruth(t, tn, dash, title, tr)), title)
		}
		var off int64
		for _, f := range answers["Protections turned off"] {
			off += sumField(t, f, f.Fields[1].Name)
		}
		assert.Equal(t, panelTruth(t, tn, dash, "Protections turned off", tr), off)
		assert.Positive(t, off, "the admin's brute-force change at least")
	})
}

// panelTruth is how many of the tenant's events a panel's query selects in tr, counted with the
// plan's matcher on the events themselves: the ground truth a panel's rows or counts must equal.
func panelTruth(t *testing.T, tn *testTenant, dash dashboard, title string, tr backend.TimeRange) int64 {
	t.Helper()
	for _, p := range dash.Panels {
		if p.Title != title {
			continue
		}
		require.Len(t, p.Targets, 1, title)
		q, err := models.ParseQuery(interpolate(p.Targets[0], map[string]string{"datasource": "auth0-test"}), "")
		require.NoError(t, err, title)
		pl, err := plan.Build(q, plan.Input{From: tr.From, To: tr.To, Interval: time.Hour})
		require.NoError(t, err, title)
		var n int64
		for i := range tn.events {
			e := &tn.events[i]
			if !e.Date.Before(tr.From) && e.Date.Before(tr.To) && pl.Matcher.Match(e) {
				n++
			}
		}
		return n
	}
	t.Fatalf("no panel %q", title)
	return 0
}

// answered is how much a panel's answer holds: the events counted for count and distinct, the rows
// of the other query types.
func answered(t *testing.T, m models.Query, frames data.Frames) int64 {
	t.Helper()
	var n int64
	for _, f := range frames {
		switch m.QueryType {
		case models.QueryTypeCount, models.QueryTypeDistinct:
			if f.Rows() > 0 {
				n += sumField(t, f, f.Fields[1].Name)
			}
		default:
			n += int64(f.Rows())
		}
	}
	return n
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
