package plugin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/framer"
	"github.com/seed/auth0logs-datasource/pkg/models"
)

type dashboard struct {
	Title  string           `json:"title"`
	Panels []dashboardPanel `json:"panels"`
}

type dashboardPanel struct {
	ID      int    `json:"id"`
	Type    string `json:"type"`
	Title   string `json:"title"`
	GridPos struct {
		Y int `json:"y"`
	} `json:"gridPos"`
	Targets []json.RawMessage `json:"targets"`
}

func loadDashboards(t *testing.T) map[string]dashboard {
	t.Helper()
	files, err := filepath.Glob("../../src/dashboards/*.json")
	require.NoError(t, err)
	require.Len(t, files, 4)
	out := map[string]dashboard{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var d dashboard
		require.NoError(t, json.Unmarshal(b, &d), f)
		out[filepath.Base(f)] = d
	}
	return out
}

// interpolate stands in for Grafana's template service: the variables the dashboards use.
func interpolate(target json.RawMessage, vars map[string]string) json.RawMessage {
	s := string(target)
	for k, v := range vars {
		s = strings.ReplaceAll(s, "${"+k+"}", v)
		s = strings.ReplaceAll(s, "$"+k, v)
	}
	return json.RawMessage(s)
}

// TestBundledDashboardsAgainstTheAttackTenant runs every panel's query of every bundled dashboard
// through the backend, over the tenant with the seed documents' attacks injected.
func TestBundledDashboardsAgainstTheAttackTenant(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{days: 7, perDay: 1500})
	d := tn.datasource(t)
	week := backend.TimeRange{From: tn.end.Add(-7 * 24 * time.Hour), To: tn.end}
	attacker := topValue(t, tn, d, week, `{"queryType":"top","eventTypes":["fu"],"groupBy":"ip","limit":1}`, "ip")
	user := topValue(t, tn, d, week, `{"queryType":"top","eventTypes":["s"],"groupBy":"user_id","limit":1}`, "user_id")
	vars := map[string]string{"datasource": "auth0-test", "ip": attacker, "user_id": user}

	for file, dash := range loadDashboards(t) {
		for _, p := range dash.Panels {
			for _, target := range p.Targets {
				t.Run(file+"/"+p.Title, func(t *testing.T) {
					var m models.Query
					require.NoError(t, json.Unmarshal(target, &m))
					r := tn.query(t, d, week, string(interpolate(target, vars)))
					require.NoError(t, r.Error)
					require.NotEmpty(t, r.Frames)
					checkShape(t, m, r.Frames)
				})
			}
		}
	}

	t.Run("failure trends show the credential-stuffing surge on the attack day", func(t *testing.T) {
		target := panelTarget(t, loadDashboards(t)["anomaly-detection.json"], "Traffic failure trends")
		r := tn.query(t, d, week, string(interpolate(target, vars)))
		require.NoError(t, r.Error)
		attackDay := tenant.DefaultAttacks(testEnd)[0].Start.Truncate(24 * time.Hour)
		fu := seriesByLabel(t, r.Frames, "type", "fu")
		times, counts := fu.Fields[0], fu.Fields[1]
		var onAttack, otherMax float64
		for i := 0; i < times.Len(); i++ {
			// Counts are nullable: a bucket that was not read is a gap, not a zero.
			c, read := counts.ConcreteAt(i)
			require.True(t, read, "bucket %d of the week was not read", i)
			v := c.(float64)
			if times.At(i).(time.Time).Equal(attackDay) {
				onAttack = v
			} else {
				otherMax = max(otherMax, v)
			}
		}
		assert.Greater(t, onAttack, 10*otherMax, "the attack day's fu bar towers over the others")
	})
}

// TestDashboardDayPiecesAddUpToTheWhole checks, against the real backend, what the frontend relies on
// when it asks for a long range a day at a time (src/loading): for every count and distinct
// panel, the series of the day pieces put together are the series of the whole range, bucket
// for bucket, with ends that are not on a day boundary.
func TestDashboardDayPiecesAddUpToTheWhole(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{days: 7, perDay: 1500})
	d := tn.datasource(t)
	whole := backend.TimeRange{From: tn.end.Add(-7*24*time.Hour + 5*time.Hour + 30*time.Minute), To: tn.end.Add(-5*time.Hour - 30*time.Minute)}
	pieces := dayPieces(whole)
	require.Len(t, pieces, 7, "a part-day, five days and a part-day")
	dash := loadDashboards(t)["anomaly-detection.json"]
	for _, p := range dash.Panels {
		for _, target := range p.Targets {
			var m models.Query
			require.NoError(t, json.Unmarshal(target, &m))
			if m.QueryType != models.QueryTypeCount && m.QueryType != models.QueryTypeDistinct || m.Baseline != "" {
				continue // a baseline is asked for whole (src/loading), never in pieces
			}
			t.Run(p.Title, func(t *testing.T) {
				r := tn.query(t, d, whole, string(target))
				require.NoError(t, r.Error)
				want := seriesBuckets(t, r.Frames)
				step := time.Hour // tn.query's Grafana interval
				if m.Interval != "" {
					var err error
					step, err = models.ParseInterval(m.Interval)
					require.NoError(t, err)
				}
				got := map[string]float64{}
				groups := map[string]bool{}
				var starts []string
				for _, piece := range pieces {
					r := tn.query(t, d, piece, string(target))
					require.NoError(t, r.Error)
					for k, v := range seriesBuckets(t, r.Frames) {
						_, twice := got[k]
						require.False(t, twice, "bucket %s is in two pieces", k)
						got[k] = v
						groups[k[:strings.LastIndex(k, "@")]] = true
					}
					for b := piece.From.Truncate(step); b.Before(piece.To); b = b.Add(step) {
						starts = append(starts, b.Format(time.RFC3339))
					}
				}
				// A group with no events in a piece is absent from its answer; the frontend puts
				// the zeros the whole range has there (src/loading/merge.ts fillSeries).
				for g := range groups {
					for _, b := range starts {
						if _, ok := got[g+"@"+b]; !ok {
							got[g+"@"+b] = 0
						}
					}
				}
				assert.Equal(t, want, got)
			})
		}
	}
}

// dayPieces cuts a range at UTC midnights, newest first, as src/loading/plan.ts cutRange does.
func dayPieces(tr backend.TimeRange) []backend.TimeRange {
	var out []backend.TimeRange
	for end := tr.To; end.After(tr.From); {
		start := end.Add(-time.Nanosecond).Truncate(24 * time.Hour)
		if start.Before(tr.From) {
			start = tr.From
		}
		out = append(out, backend.TimeRange{From: start, To: end})
		end = start
	}
	return out
}

// seriesBuckets reads count or distinct series as "labels@time" -> value; a bucket not read fails.
func seriesBuckets(t *testing.T, frames data.Frames) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, f := range frames {
		if f.Rows() == 0 {
			continue
		}
		require.Len(t, f.Fields, 2)
		for i := 0; i < f.Rows(); i++ {
			v, read := f.Fields[1].ConcreteAt(i)
			require.True(t, read, "bucket %d was not read", i)
			key := f.Fields[1].Labels.String() + "@" + f.Fields[0].At(i).(time.Time).Format(time.RFC3339)
			out[key] = toFloat(v)
		}
	}
	return out
}

func checkShape(t *testing.T, m models.Query, frames data.Frames) {
	t.Helper()
	switch m.QueryType {
	case models.QueryTypeCount, models.QueryTypeDistinct:
		for _, f := range frames {
			if m.Baseline == models.BaselineBand {
				require.Len(t, f.Fields, 6, "time, count, expected, band low and high, score")
				continue
			}
			require.Len(t, f.Fields, 2)
			assert.Equal(t, data.FieldTypeTime, f.Fields[0].Type())
			assert.True(t, f.Fields[1].Type().Numeric())
			if m.GroupBy != "" && f.Rows() > 0 {
				// A series grouped by a field path carries it with its dots made "_".
				assert.Contains(t, f.Fields[1].Labels, framer.LabelName(m.GroupBy))
			}
		}
	case models.QueryTypeLogs:
		require.Len(t, frames, 1)
		assert.Equal(t, data.FrameTypeLogLines, frames[0].Meta.Type)
	case models.QueryTypeTop:
		require.Len(t, frames, 1)
		f, _ := frames[0].FieldByName(m.GroupBy)
		assert.NotNil(t, f, "top frame has a %q column", m.GroupBy)
	case models.QueryTypeTable:
		require.Len(t, frames, 1)
		f, _ := frames[0].FieldByName("log_id")
		assert.NotNil(t, f)
	}
}

func panelTarget(t *testing.T, d dashboard, title string) json.RawMessage {
	t.Helper()
	for _, p := range d.Panels {
		if p.Title == title {
			return p.Targets[0]
		}
	}
	t.Fatalf("no panel %q", title)
	return nil
}

func seriesByLabel(t *testing.T, frames data.Frames, label, value string) *data.Frame {
	t.Helper()
	for _, f := range frames {
		if f.Fields[1].Labels[label] == value {
			return f
		}
	}
	t.Fatalf("no series with %s=%s", label, value)
	return nil
}

func topValue(t *testing.T, tn *testTenant, d *Datasource, tr backend.TimeRange, model, field string) string {
	t.Helper()
	r := tn.query(t, d, tr, model)
	require.NoError(t, r.Error)
	f, _ := r.Frames[0].FieldByName(field)
	require.NotNil(t, f)
	require.Positive(t, f.Len())
	return f.At(0).(string)
}

type alertRules struct {
	Groups []struct {
		Rules []alertRule `yaml:"rules"`
	} `yaml:"groups"`
}

// TestAlertRulesFireOnTheAttackOnly evaluates each provisioned rule as Grafana's alerting does (the
// data item's queryType and model, no frontend defaults), at the height of its attack and on a
// quiet day.
func TestAlertRulesFireOnTheAttackOnly(t *testing.T) {
	b, err := os.ReadFile("../../provisioning/alerting/alert-rules.yml")
	require.NoError(t, err)
	var rules alertRules
	require.NoError(t, yaml.Unmarshal(b, &rules))
	attacks := map[tenant.AttackKind]tenant.Attack{}
	for _, a := range tenant.DefaultAttacks(testEnd) {
		attacks[a.Kind] = a
	}
	attackFor := map[string]tenant.AttackKind{"fu": tenant.CredentialStuffing, "pwd_leak": tenant.BreachedPassword, "limit_wc": tenant.BruteForce}

	tn := newTestTenant(t, testTenantOptions{days: 7, perDay: 1500})
	d := tn.datasource(t)
	quiet := testEnd.Add(-10 * time.Hour) // the last day carries no attack
	evaluated := 0
	for _, g := range rules.Groups {
		for _, rule := range g.Rules {
			a := rule.Data[0]
			threshold := thresholdOf(t, rule.Data[2].Model)
			model, err := json.Marshal(a.Model)
			require.NoError(t, err)
			codes := a.Model["eventTypes"].([]any)
			attack := attacks[attackFor[codes[0].(string)]]
			window := time.Duration(a.RelativeTimeRange.From) * time.Second
			at := attack.Start.Add(attack.Duration / 2)
			for _, c := range []struct {
				at   time.Time
				fire bool
			}{{at, true}, {quiet, false}} {
				resp, err := d.QueryData(t.Context(), &backend.QueryDataRequest{
					PluginContext: tn.pluginContext(),
					Queries: []backend.DataQuery{{RefID: a.RefID, QueryType: a.QueryType, JSON: model, Interval: time.Minute,
						TimeRange: backend.TimeRange{From: c.at.Add(-window), To: c.at}}},
				})
				require.NoError(t, err)
				r := resp.Responses[a.RefID]
				require.NoError(t, r.Error)
				var sum int64
				for _, f := range r.Frames {
					sum += sumField(t, f, "count")
				}
				assert.Equal(t, c.fire, float64(sum) > threshold, "%s at %s: %d vs threshold %v", rule.UID, c.at, sum, threshold)
				evaluated++
			}
		}
	}
	assert.Equal(t, 6, evaluated)
}

func thresholdOf(t *testing.T, model map[string]any) float64 {
	t.Helper()
	conds := model["conditions"].([]any)
	eval := conds[0].(map[string]any)["evaluator"].(map[string]any)
	require.True(t, slices.Contains([]string{"gt"}, eval["type"].(string)))
	return toFloat(eval["params"].([]any)[0])
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	return -1
}
