package plugin

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
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

// The detection scenarios, laid over the last two of three quiet days of the test tenant: all on
// the first of those two, each in its own hours, so the last day is a quiet day for every rule.
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
		// The rules on fields Auth0 cannot search, in the hours the first eight leave free.
		"auth0-detect-attack-protection-off":      {Scenario: tenant.AttackProtectionOff, Start: scenarioDay.Add(5 * time.Minute), Duration: 20 * time.Minute, Actors: 1, PerActor: 6, FirstActor: 10000, Seed: 10},
		"auth0-detect-bot-detection-off":          {Scenario: tenant.BotDetectionOff, Start: scenarioDay.Add(65 * time.Minute), Duration: 20 * time.Minute, Actors: 1, PerActor: 3, FirstActor: 10100, Seed: 11},
		"auth0-detect-mfa-factor-disabled":        {Scenario: tenant.MFAFactorDisabled, Start: scenarioDay.Add(210 * time.Minute), Duration: 20 * time.Minute, Actors: 1, PerActor: 2, FirstActor: 10200, Seed: 12},
		"auth0-detect-mfa-policy-never":           {Scenario: tenant.MFAPolicyNever, Start: scenarioDay.Add(250 * time.Minute), Duration: 20 * time.Minute, Actors: 1, PerActor: 1, FirstActor: 10300, Seed: 13},
		"auth0-detect-risk-assessment-off":        {Scenario: tenant.RiskAssessmentOff, Start: scenarioDay.Add(370 * time.Minute), Duration: 20 * time.Minute, Actors: 1, PerActor: 1, FirstActor: 10400, Seed: 14},
		"auth0-detect-tenant-takeover":            {Scenario: tenant.TenantTakeover, Start: scenarioDay.Add(421 * time.Minute), Duration: 8 * time.Minute, Actors: 1, PerActor: 4, FirstActor: 10500, Seed: 15},
		"auth0-detect-mgmt-api-scopes-granted":    {Scenario: tenant.MgmtScopesGranted, Start: scenarioDay.Add(550 * time.Minute), Duration: 20 * time.Minute, Actors: 1, PerActor: 2, FirstActor: 10600, Seed: 16},
		"auth0-detect-sms-bombing":                {Scenario: tenant.SMSBombing, Start: scenarioDay.Add(605 * time.Minute), Duration: 45 * time.Minute, Actors: 5, PerActor: 14, FirstActor: 10700, Seed: 17},
		"auth0-detect-suspicious-tls-fingerprint": {Scenario: tenant.SuspiciousTLSLogins, Start: scenarioDay.Add(12 * time.Hour), Duration: time.Hour, Actors: 3, PerActor: 40, FirstActor: 10800, Seed: 18},
		"auth0-detect-refresh-token-many-agents":  {Scenario: tenant.RefreshFromManyAgents, Start: scenarioDay.Add(785 * time.Minute), Duration: 45 * time.Minute, Actors: 4, PerActor: 6, FirstActor: 10900, Seed: 19},
		// the two enrolment rules look back a day: their scenarios sit before the 14 hours the
		// quiet day's window reaches back into the scenario day
		"auth0-detect-shared-mfa-phone":       {Scenario: tenant.SharedPhoneMFA, Start: scenarioDay.Add(100 * time.Minute), Duration: 10 * time.Minute, Actors: 3, PerActor: 3, FirstActor: 10950, Seed: 25},
		"auth0-detect-shared-guardian-device": {Scenario: tenant.SharedGuardianDevice, Start: scenarioDay.Add(175 * time.Minute), Duration: 10 * time.Minute, Actors: 2, PerActor: 4, FirstActor: 10970, Seed: 26},
	}
	// nearMisses are laid over the quiet day's evaluated hour (its last ten minutes for the
	// ten-minute rules): activity that looks like a scenario but stays on the safe side of its rule.
	nearMisses = []tenant.Detection{
		// every admin change the Management API rules watch, made the harmless way; one owner
		// invited and one member removed
		{Scenario: tenant.AdminRoutine, Start: quietDay.Add(-9 * time.Minute), Duration: 8 * time.Minute, Actors: 1, PerActor: tenant.AdminRoutineSteps(), FirstActor: 11000, Seed: 20},
		// ten texts to each of three users: at the SMS rule's line, not over it
		{Scenario: tenant.SMSBombing, Start: quietDay.Add(-50 * time.Minute), Duration: 40 * time.Minute, Actors: 3, PerActor: 10, FirstActor: 11100, Seed: 21},
		// tools whose fingerprint logs users in but fails only 20 times
		{Scenario: tenant.SuspiciousTLSLogins, Start: quietDay.Add(-50 * time.Minute), Duration: 40 * time.Minute, Actors: 2, PerActor: 22, FirstActor: 11200, Seed: 22},
		// busy browser fingerprints: 30 failures each, but as many successes
		{Scenario: tenant.BrowserTLSLogins, Start: quietDay.Add(-50 * time.Minute), Duration: 40 * time.Minute, Actors: 2, PerActor: 60, FirstActor: 11700, Seed: 29},
		// a fingerprint failing 30 times that logs nobody in
		{Scenario: tenant.StuffingPerIP, Start: quietDay.Add(-50 * time.Minute), Duration: 40 * time.Minute, Actors: 2, PerActor: 15, FirstActor: 11300, Seed: 23},
		// three user agents per user
		{Scenario: tenant.RefreshFromManyAgents, Start: quietDay.Add(-50 * time.Minute), Duration: 40 * time.Minute, Actors: 3, PerActor: 3, FirstActor: 11400, Seed: 24},
		// phones and Guardian apps enrolled by one user each
		{Scenario: tenant.SharedPhoneMFA, Start: quietDay.Add(-50 * time.Minute), Duration: 40 * time.Minute, Actors: 3, PerActor: 1, FirstActor: 11500, Seed: 27},
		{Scenario: tenant.SharedGuardianDevice, Start: quietDay.Add(-50 * time.Minute), Duration: 40 * time.Minute, Actors: 3, PerActor: 1, FirstActor: 11600, Seed: 28},
	}
	quietDay = testEnd.Add(-10 * time.Hour)
)

// detectionEvents is the tenant's own three days with every scenario laid over its last two, built
// once. The day before the scenarios keeps every rule's window inside what Auth0 holds: the store
// makes the time before a tenant's oldest log a gap (it cannot tell a new tenant from an expired
// retention), and a rule window reaching into it would see a gap where on-demand reads see nothing.
var detectionEvents = sync.OnceValues(func() ([]event.Event, error) {
	events := tenant.Generate(tenant.Config{Seed: 7, End: testEnd, Days: 3, EventsPerDay: 1500, Domain: testDomain, Attacks: []tenant.Attack{}}).Events
	events = append([]event.Event(nil), events...)
	for _, d := range append(append([]tenant.Detection{stuffingQuiet}, nearMisses...), values(scenarios)...) {
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

// newDetectionTenant serves detectionEvents, and extra events laid over them, as the emulator.
func newDetectionTenant(t *testing.T, extra ...event.Event) *testTenant {
	t.Helper()
	events, err := detectionEvents()
	require.NoError(t, err)
	events = append(slices.Clip(events), extra...)
	emu := emulator.New(emulator.Options{
		Domain: testDomain, ClientID: testClientID, ClientSecret: testSecret,
		Now: func() time.Time { return testEnd.Add(time.Hour) },
	}, events)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &testTenant{emu: emu, url: srv.URL, events: events, end: testEnd, options: testTenantOptions{days: 3, perDay: 1500, requestsPerQuery: 2000}}
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
func alertSeries(t *testing.T, d *Datasource, tn contexter, rule alertRule, at time.Time) map[string]float64 {
	t.Helper()
	return alertSeriesOf(t, d, tn, rule, 0, at)
}

// alertSeriesOf is alertSeries for the rule's i-th data item.
func alertSeriesOf(t *testing.T, d *Datasource, tn contexter, rule alertRule, i int, at time.Time) map[string]float64 {
	t.Helper()
	r := alertQueryItem(t, d, tn.pluginContext(), rule, i, at)
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
	return alertQueryItem(t, d, pc, rule, 0, at)
}

// alertQueryItem sends the rule's i-th data item, a data source query, as alertQueryA sends A.
func alertQueryItem(t *testing.T, d *Datasource, pc backend.PluginContext, rule alertRule, i int, at time.Time) backend.DataResponse {
	t.Helper()
	a := rule.Data[i]
	require.NotEmpty(t, a.QueryType, "%s: %s is an expression, not a query", rule.UID, a.RefID)
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
	UID  string      `yaml:"uid"`
	Data []alertData `yaml:"data"`
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

// mathTerm is one comparison of a correlation rule's math condition: "$C > 0", or "$C > 5 * $D".
var mathTerm = regexp.MustCompile(`^\$([A-Z]) > ([0-9]+)(?: \* \$([A-Z]))?$`)

// ruleFires evaluates a rule at `at` as Grafana does and returns the label sets of the series
// that alert. A rule is either A (a query), B (its sum) and C (a threshold on B), or, for a
// correlation, queries A and B, their sums C and D and a math condition E joining comparisons of
// sums with &&: a series alerts when the sums with its labels pass every comparison (Grafana's math
// joins series by labels; a series with no partner of the same labels gives no result).
func ruleFires(t *testing.T, d *Datasource, tn contexter, rule alertRule, at time.Time) []string {
	t.Helper()
	cond := rule.Data[len(rule.Data)-1].Model
	switch cond["type"] {
	case "threshold":
		require.Len(t, rule.Data, 3, rule.UID)
		return firing(alertSeries(t, d, tn, rule, at), thresholdOf(t, cond))
	case "math":
		sums := map[string]map[string]float64{}
		sumsOf := func(ref string) map[string]float64 {
			if got, ok := sums[ref]; ok {
				return got
			}
			reduce := dataItem(t, rule, ref)
			require.Equal(t, "reduce", reduce.Model["type"], rule.UID)
			require.Equal(t, "sum", reduce.Model["reducer"], rule.UID)
			query := slices.IndexFunc(rule.Data, func(x alertData) bool { return x.RefID == reduce.Model["expression"] })
			require.GreaterOrEqual(t, query, 0, rule.UID)
			sums[ref] = alertSeriesOf(t, d, tn, rule, query, at)
			return sums[ref]
		}
		// provisioning turns $$ into a literal $
		terms := strings.Split(strings.ReplaceAll(cond["expression"].(string), "$$", "$"), "&&")
		passed := map[string]int{}
		for _, term := range terms {
			m := mathTerm.FindStringSubmatch(strings.TrimSpace(term))
			require.NotNil(t, m, "%s: cannot read the condition term %q", rule.UID, term)
			k, err := strconv.ParseFloat(m[2], 64)
			require.NoError(t, err)
			for labels, v := range sumsOf(m[1]) {
				over := k
				if m[3] != "" {
					other, joined := sumsOf(m[3])[labels]
					if !joined {
						continue
					}
					over = k * other
				}
				if v > over {
					passed[labels]++
				}
			}
		}
		var out []string
		for k, n := range passed {
			if n == len(terms) {
				out = append(out, k)
			}
		}
		return out
	}
	t.Fatalf("%s: the condition is neither a threshold nor a math expression: %v", rule.UID, cond)
	return nil
}

type alertData = struct {
	RefID             string `yaml:"refId"`
	QueryType         string `yaml:"queryType"`
	RelativeTimeRange struct {
		From int `yaml:"from"`
	} `yaml:"relativeTimeRange"`
	Model map[string]any `yaml:"model"`
}

func dataItem(t *testing.T, rule alertRule, refID string) alertData {
	t.Helper()
	for _, x := range rule.Data {
		if x.RefID == refID {
			return x
		}
	}
	t.Fatalf("%s has no %s", rule.UID, refID)
	return alertData{}
}

// annotationLabels are the labels each rule's annotations name ({{ index .Labels "x" }}), by uid.
func annotationLabels(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile("../../provisioning/alerting/detections.yml")
	require.NoError(t, err)
	var file struct {
		Groups []struct {
			Rules []struct {
				UID         string            `yaml:"uid"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	require.NoError(t, yaml.Unmarshal(b, &file))
	named := regexp.MustCompile(`index \.Labels "([^"]+)"`)
	out := map[string][]string{}
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			for _, text := range r.Annotations {
				for _, m := range named.FindAllStringSubmatch(text, -1) {
					out[r.UID] = append(out[r.UID], m[1])
				}
			}
		}
	}
	return out
}

// TestDetectionRulesFireOnTheirScenarioOnly: each shipped detection, evaluated as Grafana's
// alerting sends it, fires on its scenario with one series per actor (grouped rules) and stays
// normal on a quiet tenant day, near misses included. Every label an annotation names is on each
// alerting series, so no notification shows an empty name.
func TestDetectionRulesFireOnTheirScenarioOnly(t *testing.T) {
	tn := newDetectionTenant(t)
	checkDetections(t, tn.datasource(t), tn)
}

// TestDetectionRulesFromTheStore: the same, answered from the tenant log store, where the rules
// on field paths are judged on the store's events, at no Auth0 cost.
func TestDetectionRulesFromTheStore(t *testing.T) {
	events, err := detectionEvents()
	require.NoError(t, err)
	st := newStoreTenant(t, relOptions{events: events})
	d := st.instance(t, true)
	st.caughtUp(t, d, backend.TimeRange{From: testEnd.Add(-71 * time.Hour), To: testEnd})
	before := st.rec.searchRequests()
	checkDetections(t, d, st)
	assert.Equal(t, before, st.rec.searchRequests(), "every rule is answered from the store")
}

// contexter is a test tenant that can say how Grafana addresses its data source.
type contexter interface{ pluginContext() backend.PluginContext }

// checkDetections evaluates every shipped detection at the end of its scenario and on the quiet day.
func checkDetections(t *testing.T, d *Datasource, tn contexter) {
	t.Helper()
	rules := loadDetections(t)
	labels := annotationLabels(t)
	evaluated := 0
	for _, g := range rules.Groups {
		for _, rule := range g.Rules {
			evaluated++
			t.Run(rule.UID, func(t *testing.T) {
				sc, ok := scenarios[rule.UID]
				require.True(t, ok, "rule %s has no scenario", rule.UID)
				end := sc.Start.Add(sc.Duration)
				fired := ruleFires(t, d, tn, rule, end)
				if _, grouped := rule.Data[0].Model["groupBy"]; grouped {
					assert.Len(t, fired, sc.Actors, "%s: one alerting series per actor", rule.UID)
				} else {
					assert.Len(t, fired, 1, rule.UID)
				}
				require.NotEmpty(t, labels[rule.UID], "%s: the annotations name the tenant at least", rule.UID)
				for _, series := range fired {
					for _, name := range labels[rule.UID] {
						assert.Contains(t, series, name+"=", "%s: the annotations name label %q", rule.UID, name)
					}
				}
				quiet := ruleFires(t, d, tn, rule, quietDay)
				assert.Empty(t, quiet, "%s fires on a quiet day", rule.UID)
			})
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
