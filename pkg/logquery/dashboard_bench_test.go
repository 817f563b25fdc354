package logquery_test

import (
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
)

// dashboardEvents are a generated tenant's events, attacks included, so each filter meets the type
// mix it meets in production (BenchmarkMatch draws uniformly random events).
var dashboardEvents = sync.OnceValue(func() []event.Event {
	end := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	return tenant.Generate(tenant.Config{Seed: 5, End: end, Days: 3, EventsPerDay: 20000}).Events
})

// namedMatcher is one filter a panel fetches, named after the first panel that uses it.
type namedMatcher struct {
	name string
	m    *logquery.Matcher
}

// dashboardFilters are the distinct filters the anomaly dashboard's panels fetch, as plan builds
// them, each also as the keyset q the fetcher sends (the filter AND a date range): what the
// emulator, and a local store, evaluate per event.
func dashboardFilters(b *testing.B) []namedMatcher {
	raw, err := os.ReadFile("../../src/dashboards/anomaly-detection.json")
	if err != nil {
		b.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string            `json:"title"`
			Targets []json.RawMessage `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		b.Fatal(err)
	}
	to := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	from := to.Add(-7 * 24 * time.Hour)
	seen := map[string]bool{}
	var out []namedMatcher
	for _, p := range d.Panels {
		for _, target := range p.Targets {
			q, err := models.ParseQuery(target, "")
			if err != nil {
				b.Fatal(err)
			}
			pl, err := plan.Build(q, plan.Input{From: from, To: to, Interval: time.Hour})
			if err != nil {
				b.Fatal(err)
			}
			if seen[pl.FilterText] {
				continue
			}
			seen[pl.FilterText] = true
			n, err := logquery.Parse(logquery.Compose(pl.Filter, from, to))
			if err != nil {
				b.Fatal(err)
			}
			keyset, err := logquery.Compile(n)
			if err != nil {
				b.Fatal(err)
			}
			name := strings.ReplaceAll(p.Title, " ", "_")
			out = append(out, namedMatcher{name, pl.Matcher}, namedMatcher{name + "+date", keyset})
		}
	}
	return out
}

// BenchmarkMatchDashboard filters 1e6 generated events per op with each dashboard filter.
func BenchmarkMatchDashboard(b *testing.B) {
	const total = 1_000_000
	events := dashboardEvents()
	for _, f := range dashboardFilters(b) {
		m := f.m
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			hits := 0
			for b.Loop() {
				for i := range total {
					if m.Match(&events[i%len(events)]) {
						hits++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/total, "ns/event")
			b.ReportMetric(float64(hits)/float64(b.N)/total, "hit-ratio")
		})
	}
}
