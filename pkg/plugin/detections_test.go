package plugin

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/framer"
)

// The detection scenarios, laid over two quiet days of the test tenant: all on the first day,
// each in its own hours, so the second day is a quiet day for every rule.
var (
	scenarioDay = testEnd.Add(-48 * time.Hour)
	// stuffing is the botnet: 3,000 IPs each sending more failures in an hour than the rule allows.
	stuffing = tenant.Detection{Scenario: tenant.StuffingPerIP, Start: scenarioDay.Add(2 * time.Hour), Duration: time.Hour, Actors: 3000, PerActor: 25, Seed: 1}
	// stuffingQuiet are IPs that also fail logins in that hour, but fewer times than the rule
	// allows: they must yield no series at all.
	stuffingQuiet = tenant.Detection{Scenario: tenant.StuffingPerIP, Start: scenarioDay.Add(2 * time.Hour), Duration: time.Hour, Actors: 500, PerActor: 8, FirstActor: 3000, Seed: 2}
	scenarios     = map[string]tenant.Detection{
		"auth0-detect-credential-stuffing-ip":        stuffing,
		"auth0-detect-refresh-token-reuse":           {Scenario: tenant.RefreshTokenReuse, Start: scenarioDay.Add(5 * time.Hour), Duration: 40 * time.Minute, Actors: 20, PerActor: 4, FirstActor: 4000, Seed: 3},
		"auth0-detect-mfa-push-fatigue":              {Scenario: tenant.PushFatigue, Start: scenarioDay.Add(8 * time.Hour), Duration: 8 * time.Minute, Actors: 15, PerActor: 8, FirstActor: 5000, Seed: 4},
		"auth0-detect-dynamic-client-registration":   {Scenario: tenant.DynamicRegistration, Start: scenarioDay.Add(11 * time.Hour), Duration: 30 * time.Minute, Actors: 1, PerActor: 15, FirstActor: 6000, Seed: 5},
		"auth0-detect-signup-burst-ip":               {Scenario: tenant.SignupBurst, Start: scenarioDay.Add(14 * time.Hour), Duration: 50 * time.Minute, Actors: 30, PerActor: 12, FirstActor: 7000, Seed: 6},
		"auth0-detect-refresh-token-many-ips":        {Scenario: tenant.RefreshFromManyIPs, Start: scenarioDay.Add(16 * time.Hour), Duration: 50 * time.Minute, Actors: 12, PerActor: 7, FirstActor: 8000, Seed: 7},
		"auth0-detect-signup-disposable-domains":     {Scenario: tenant.DisposableSignup, Start: scenarioDay.Add(18 * time.Hour), Duration: 30 * time.Minute, Actors: 3, PerActor: 2, FirstActor: 9000, Seed: 8},
		"auth0-detect-failed-authorization-requests": {Scenario: tenant.FailedAuthorization, Start: scenarioDay.Add(20 * time.Hour), Duration: 40 * time.Minute, Actors: 2, PerActor: 9, FirstActor: 9100, Seed: 9},
	}
	quietDay = testEnd.Add(-10 * time.Hour)
)

// detectionEvents is the tenant's own two days with every scenario laid over them, built once.
var detectionEvents = sync.OnceValues(func() ([]event.Event, error) {
	events := tenant.Generate(tenant.Config{Seed: 7, End: testEnd, Days: 2, EventsPerDay: 1500, Domain: testDomain, Attacks: []tenant.Attack{}}).Events
	events = append([]event.Event(nil), events...)
	for _, d := range append([]tenant.Detection{stuffingQuiet}, values(scenarios)...) {
		d.Domain = testDomain
		more, err := tenant.DetectionEvents(d)
		if err != nil {
			return nil, err
		}
		events = append(events, more...)
	}
	return events, nil
})

func values(m map[string]tenant.Detection) []tenant.Detection {
	out := make([]tenant.Detection, 0, len(m))
	for _, d := range m {
		out = append(out, d)
	}
	return out
}

func newDetectionTenant(t *testing.T) *testTenant {
	t.Helper()
	events, err := detectionEvents()
	require.NoError(t, err)
	emu := emulator.New(emulator.Options{
		Domain: testDomain, ClientID: testClientID, ClientSecret: testSecret,
		Now: func() time.Time { return testEnd.Add(time.Hour) },
	}, events)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &testTenant{emu: emu, url: srv.URL, events: events, end: testEnd, options: testTenantOptions{days: 2, perDay: 1500, requestsPerQuery: 2000}}
}

func loadDetections(t *testing.T) alertRules { return loadRuleFile(t, "detections.yml") }

// loadRuleFile reads one of provisioning/alerting's rule files.
func loadRuleFile(t *testing.T, name string) alertRules {
	t.Helper()
	b, err := os.ReadFile("../../provisioning/alerting/" + name)
	require.NoError(t, err)
	var rules alertRules
	require.NoError(t, yaml.Unmarshal(b, &rules))
	return rules
}

// alertSeries runs query A of a rule as Grafana's alerting sends it (the FromAlert header, the
// data item's queryType and model, the rule's relative range ending at `at`) and reduces each
// series as B does: the sum of its buckets, keyed by the series' labels.
func alertSeries(t *testing.T, d *Datasource, tn *testTenant, rule alertRule, at time.Time) map[string]float64 {
	t.Helper()
	r := alertQueryA(t, d, tn.pluginContext(), rule, at)
	out := map[string]float64{}
	for _, f := range r.Frames {
		if f.Rows() == 0 {
			continue // grouped with no group left: Grafana's "no data"
		}
		require.Len(t, f.Fields, 2, rule.UID)
		field := f.Fields[1] // the number field: "count" or "distinct"
		require.Equal(t, testDomain, field.Labels[framer.TenantLabel], "%s: every alert series names its tenant", rule.UID)
		key := field.Labels.String()
		_, dup := out[key]
		require.False(t, dup, "%s: two series with labels %s", rule.UID, key)
		out[key] = float64(sumField(t, f, field.Name))
	}
	return out
}

// alertQueryA sends query A of a rule as Grafana's alerting does: the FromAlert header, the data
// item's queryType and model, and the rule's relative range ending at `at`.
func alertQueryA(t *testing.T, d *Datasource, pc backend.PluginContext, rule alertRule, at time.Time) backend.DataResponse {
	t.Helper()
	a := rule.Data[0]
	model, err := json.Marshal(a.Model)
	require.NoError(t, err)
	window := time.Duration(a.RelativeTimeRange.From) * time.Second
	resp, err := d.QueryData(t.Context(), &backend.QueryDataRequest{
		PluginContext: pc,
		Headers:       map[string]string{backend.FromAlertHeaderName: "true"},
		Queries: []backend.DataQuery{{RefID: a.RefID, QueryType: a.QueryType, JSON: model, Interval: time.Minute,
			TimeRange: backend.TimeRange{From: at.Add(-window), To: at}}},
	})
	require.NoError(t, err)
	r := resp.Responses[a.RefID]
	require.NoError(t, r.Error, rule.UID)
	return r
}

type alertRule = struct {
	UID  string `yaml:"uid"`
	Data []struct {
		RefID             string `yaml:"refId"`
		QueryType         string `yaml:"queryType"`
		RelativeTimeRange struct {
			From int `yaml:"from"`
		} `yaml:"relativeTimeRange"`
		Model map[string]any `yaml:"model"`
	} `yaml:"data"`
}

// firing are the series C finds above its threshold.
func firing(series map[string]float64, threshold float64) []string {
	var out []string
	for k, v := range series {
		if v > threshold {
			out = append(out, k)
		}
	}
	return out
}

// TestDetectionRulesFireOnTheirScenarioOnly: each shipped detection, evaluated as Grafana's
// alerting sends it, fires on its scenario with one series per actor (grouped rules) and stays
// normal on a quiet tenant day.
func TestDetectionRulesFireOnTheirScenarioOnly(t *testing.T) {
	rules := loadDetections(t)
	tn := newDetectionTenant(t)
	d := tn.datasource(t)
	evaluated := 0
	for _, g := range rules.Groups {
		for _, rule := range g.Rules {
			sc, ok := scenarios[rule.UID]
			require.True(t, ok, "rule %s has no scenario", rule.UID)
			threshold := thresholdOf(t, rule.Data[2].Model)
			end := sc.Start.Add(sc.Duration)
			fired := firing(alertSeries(t, d, tn, rule, end), threshold)
			if _, grouped := rule.Data[0].Model["groupBy"]; grouped {
				assert.Len(t, fired, sc.Actors, "%s: one alerting series per actor", rule.UID)
			} else {
				assert.Len(t, fired, 1, rule.UID)
			}
			quiet := alertSeries(t, d, tn, rule, quietDay)
			assert.Empty(t, firing(quiet, threshold), "%s fires on a quiet day: %v", rule.UID, quiet)
			evaluated++
		}
	}
	assert.Equal(t, len(scenarios), evaluated)
}

// TestDetectionPerIPRuleOverAttackFrom3000IPs: the credential-stuffing rule over an attack from 3,000
// IPs returns exactly the attacking IPs, each alerting, and no series for the 500 IPs that failed
// fewer times than the rule allows nor for the tenant's own users.
func TestDetectionPerIPRuleOverAttackFrom3000IPs(t *testing.T) {
	var rule alertRule
	for _, r := range loadDetections(t).Groups[0].Rules {
		if r.UID == "auth0-detect-credential-stuffing-ip" {
			rule = r
		}
	}
	require.NotEmpty(t, rule.UID)
	tn := newDetectionTenant(t)
	d := tn.datasource(t)
	series := alertSeries(t, d, tn, rule, stuffing.Start.Add(stuffing.Duration))

	want := map[string]bool{}
	attack, err := tenant.DetectionEvents(stuffing)
	require.NoError(t, err)
	for _, e := range attack {
		want[data.Labels{"ip": e.IP, framer.TenantLabel: testDomain}.String()] = true
	}
	require.Len(t, want, 3000)
	require.Len(t, series, len(want), "one series per attacking IP and none for the others")
	threshold := thresholdOf(t, rule.Data[2].Model)
	for k, v := range series {
		assert.True(t, want[k], "series %s is not an attacking IP", k)
		assert.Greater(t, v, threshold, k)
		assert.Equal(t, float64(stuffing.PerActor), v, "%s: the series counts every event of its IP", k)
	}
}
