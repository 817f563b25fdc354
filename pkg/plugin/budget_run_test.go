package plugin

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
)

// panelQuery is one panel's query as Grafana sends it: the target with variables interpolated.
type panelQuery struct {
	title string
	model json.RawMessage
}

func anomalyPanels(t testing.TB) []panelQuery {
	t.Helper()
	b, err := os.ReadFile("../../src/dashboards/anomaly-detection.json")
	require.NoError(t, err)
	var d dashboard
	require.NoError(t, json.Unmarshal(b, &d))
	var out []panelQuery
	for _, p := range d.Panels {
		for _, target := range p.Targets {
			out = append(out, panelQuery{title: p.Title, model: interpolate(target, map[string]string{"datasource": "auth0-budget"})})
		}
	}
	require.NotEmpty(t, out)
	return out
}

// alertQuery is the credential-stuffing rule's query A, as Grafana's alerting sends it.
type alertQuery struct {
	queryType string
	model     json.RawMessage
	window    time.Duration
}

func credentialStuffingRule(t testing.TB) alertQuery {
	t.Helper()
	b, err := os.ReadFile("../../provisioning/alerting/alert-rules.yml")
	require.NoError(t, err)
	var rules alertRules
	require.NoError(t, yaml.Unmarshal(b, &rules))
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			if r.UID == "auth0-credential-stuffing" {
				a := r.Data[0]
				model, err := json.Marshal(a.Model)
				require.NoError(t, err)
				return alertQuery{queryType: a.QueryType, model: model, window: time.Duration(a.RelativeTimeRange.From) * time.Second}
			}
		}
	}
	t.Fatal("no rule auth0-credential-stuffing in provisioning/alerting/alert-rules.yml")
	return alertQuery{}
}

// panelOutcome is what one panel query got: whether its answer was cut short.
type panelOutcome struct {
	partial bool
	err     error
}

// strategy answers one query at the virtual clock's now.
type strategy interface {
	query(ctx context.Context, queryType string, model json.RawMessage, tr backend.TimeRange, interval time.Duration) panelOutcome
}

// pluginStrategy is the plugin as shipped: one instance, its cache, single-flight and per-type parts.
type pluginStrategy struct{ d *Datasource }

func (s pluginStrategy) query(ctx context.Context, queryType string, model json.RawMessage, tr backend.TimeRange, interval time.Duration) panelOutcome {
	resp, err := s.d.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", QueryType: queryType, JSON: model, TimeRange: tr, Interval: interval, MaxDataPoints: 1000}}})
	if err != nil {
		return panelOutcome{err: err}
	}
	r := resp.Responses["A"]
	if r.Error != nil {
		return panelOutcome{err: r.Error}
	}
	for _, f := range r.Frames {
		if f.Meta == nil {
			continue
		}
		for _, n := range f.Meta.Notices {
			if strings.HasPrefix(n.Text, "Partial result") {
				return panelOutcome{partial: true}
			}
		}
	}
	return panelOutcome{}
}

// naiveStrategy is what a plugin without this design would do: each query pages its own whole
// filter (no per-type split) through a Fetcher of its own (so no cache or single-flight is
// shared), under the same per-query budget.
type naiveStrategy struct {
	api    *simAPI
	budget int
}

func (s naiveStrategy) query(ctx context.Context, queryType string, model json.RawMessage, tr backend.TimeRange, interval time.Duration) panelOutcome {
	q, err := models.ParseQuery(model, queryType)
	if err != nil {
		return panelOutcome{err: err}
	}
	p, err := plan.Build(q, plan.Input{From: tr.From, To: tr.To, Interval: interval})
	if err != nil {
		return panelOutcome{err: err}
	}
	r := p.Requests()[0]
	r.Filter = p.FilterText
	f := s.api.newFetcher()
	defer f.Close()
	_, err = fetch.FetchParts(ctx, f, []fetch.Request{r}, s.budget)
	return panelOutcome{partial: err != nil}
}

// phase is one measured step: what the emulator saw and how far the virtual clock moved.
type phase struct {
	apiCount
	wall    time.Duration
	partial int
}

// loadDashboard sends every panel's query at once, as Grafana does when a dashboard opens, over
// the last week ending at the clock's now, and waits for all of them.
func loadDashboard(t testing.TB, api *simAPI, s strategy, panels []panelQuery) phase {
	t.Helper()
	start := api.clock.Now()
	tr := backend.TimeRange{From: start.Add(-7 * 24 * time.Hour), To: start}
	out := make([]panelOutcome, len(panels))
	var wg sync.WaitGroup
	for i, p := range panels {
		wg.Go(func() { out[i] = s.query(t.Context(), "", p.model, tr, 10*time.Minute) })
	}
	wg.Wait()
	ph := phase{apiCount: api.take(), wall: api.clock.Now().Sub(start)}
	for i, o := range out {
		require.NoError(t, o.err, panels[i].title)
		if o.partial {
			ph.partial++
		}
	}
	return ph
}

// evaluateAlert runs the rule once a minute, n times, starting at the clock's next minute, and
// returns each evaluation's phase.
func evaluateAlert(t testing.TB, api *simAPI, s strategy, rule alertQuery, n int) []phase {
	t.Helper()
	at := api.clock.Now().Truncate(time.Minute).Add(time.Minute)
	var out []phase
	for range n {
		api.clock.advanceTo(at)
		start := api.clock.Now()
		o := s.query(t.Context(), rule.queryType, rule.model, backend.TimeRange{From: start.Add(-rule.window), To: start}, time.Minute)
		require.NoError(t, o.err)
		ph := phase{apiCount: api.take(), wall: api.clock.Now().Sub(start)}
		if o.partial {
			ph.partial = 1
		}
		out = append(out, ph)
		at = at.Add(time.Minute)
	}
	return out
}

// distinctParts counts the different fetches the panels' plans make over tr: the floor of what any
// load costs, since each part costs a request even when it finds nothing.
func distinctParts(t testing.TB, panels []panelQuery, tr backend.TimeRange) int {
	t.Helper()
	seen := map[string]bool{}
	for _, p := range panels {
		q, err := models.ParseQuery(p.model, "")
		require.NoError(t, err)
		pl, err := plan.Build(q, plan.Input{From: tr.From, To: tr.To, Interval: 10 * time.Minute})
		require.NoError(t, err)
		for _, part := range pl.Parts {
			seen[part] = true
		}
	}
	return len(seen)
}

func sumPhases(ps []phase) phase {
	var out phase
	for _, p := range ps {
		out.requests += p.requests
		out.tooMany += p.tooMany
		out.wall += p.wall
		out.partial += p.partial
	}
	return out
}
