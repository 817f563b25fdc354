package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// benchEnd is the end of the benchmark tenant's 30 days.
var benchEnd = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

// benchStore is 30 days of a 60k-a-day tenant (about 1.8M events), loaded once per run; the
// 7-day benchmarks read the last week of the same store.
var benchStore = sync.OnceValues(func() (*Engine, error) {
	if launchErr != nil {
		return nil, launchErr
	}
	ctx := context.Background()
	// The cluster is thrown away after the run, so the database needs no cleanup.
	if err := server.Exec(ctx, "postgres", "CREATE DATABASE bench"); err != nil {
		return nil, err
	}
	e, err := Open(ctx, server.ConnString("bench"), Options{ReplicaID: "bench"})
	if err != nil {
		return nil, err
	}
	fence, _, err := e.AcquireLease(ctx, tenantKey, "bench", time.Hour)
	if err != nil {
		return nil, err
	}
	events := tenant.Generate(tenant.Config{Seed: 11, End: benchEnd, Days: 30, EventsPerDay: 60000}).Events
	start := time.Now()
	for i := 0; i < len(events); i += 5000 {
		part := events[i:min(i+5000, len(events))]
		if _, err := e.Commit(ctx, tenantKey, store.Batch{Events: part, Fence: fence}); err != nil {
			return nil, err
		}
	}
	loaded := time.Since(start)
	if _, err := e.pool.Exec(ctx, "VACUUM ANALYZE events"); err != nil {
		return nil, err
	}
	fmt.Printf("loaded %d events in %v (%.0f events/s)\n", len(events), loaded.Round(time.Second), float64(len(events))/loaded.Seconds())
	return e, nil
})

// dashboardQueries are the anomaly dashboard's panels as store aggregations over [from, to).
func dashboardQueries(b *testing.B, from, to time.Time) []store.AggQuery {
	raw, err := os.ReadFile("../../../src/dashboards/anomaly-detection.json")
	if err != nil {
		b.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Targets []json.RawMessage `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		b.Fatal(err)
	}
	var out []store.AggQuery
	for _, p := range d.Panels {
		for _, target := range p.Targets {
			q, err := models.ParseQuery(target, "")
			if err != nil {
				b.Fatal(err)
			}
			// Grafana's interval for a week-wide panel of about 1,000 pixels.
			pl, err := plan.Build(q, plan.Input{From: from, To: to, Interval: to.Sub(from) / 1000})
			if err != nil {
				b.Fatal(err)
			}
			aq := store.AggQuery{Selection: store.Selection{From: pl.From, To: pl.To, Filter: pl.Filter}}
			switch q.QueryType {
			case models.QueryTypeCount:
				aq.Buckets, aq.Group = pl.Buckets, q.GroupBy
			case models.QueryTypeDistinct:
				aq.Buckets, aq.Group, aq.Of = pl.Buckets, q.GroupBy, q.DistinctField
			default: // top and values rank the grouped field
				aq.Of = q.GroupBy
			}
			out = append(out, aq)
		}
	}
	return out
}

// BenchmarkAnomalyDashboard answers all eleven panels of the anomaly dashboard from the store per
// op, over the last 7 and 30 days. Run: go test ./pkg/store/postgres -run '^$' -bench Anomaly
func BenchmarkAnomalyDashboard(b *testing.B) {
	e, err := benchStore()
	if err != nil {
		b.Skip(err)
	}
	st, err := e.State(testContext(b), tenantKey)
	if err != nil {
		b.Fatal(err)
	}
	var disk int64
	if err := e.pool.QueryRow(testContext(b), "SELECT pg_total_relation_size('events')").Scan(&disk); err != nil {
		b.Fatal(err)
	}
	for _, days := range []int{7, 30} {
		b.Run(fmt.Sprintf("%dd", days), func(b *testing.B) {
			queries := dashboardQueries(b, benchEnd.Add(-time.Duration(days)*24*time.Hour), benchEnd)
			cells := 0
			for b.Loop() {
				cells = 0
				for _, q := range queries {
					c, err := e.Aggregate(testContext(b), tenantKey, q)
					if err != nil {
						b.Fatal(err)
					}
					cells += len(c)
				}
			}
			b.ReportMetric(float64(cells), "cells/op")
			b.ReportMetric(float64(st.Events), "events-held")
			b.ReportMetric(float64(disk)/float64(st.Events), "disk-bytes/event")
		})
	}
}

// BenchmarkCount30d is one count over the whole 30 days, bucketed by hour.
func BenchmarkCount30d(b *testing.B) {
	e, err := benchStore()
	if err != nil {
		b.Skip(err)
	}
	from := benchEnd.Add(-30 * 24 * time.Hour)
	q := store.AggQuery{Selection: store.Selection{From: from, To: benchEnd}, Buckets: aggregate.NewBuckets(from, benchEnd, time.Hour)}
	for b.Loop() {
		if _, err := e.Aggregate(testContext(b), tenantKey, q); err != nil {
			b.Fatal(err)
		}
	}
}
