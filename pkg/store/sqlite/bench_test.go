package sqlite

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// The benchmarks read a store of a 60,000-events-a-day tenant built with the emulator's
// generator. Building it takes minutes, so it is built once into the system's temp directory and
// reused by later runs (delete auth0logs-sqlite-bench-* there to rebuild). Benchmarks only run
// with -bench, so plain `go test` never builds it.

var benchEnd = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

const benchTenant = "bench.auth0logs.local"

// benchStore opens the cached store of `days` days, building it first if needed.
func benchStore(b *testing.B, days int) (*Engine, store.State) {
	b.Helper()
	// The name changes with the schema, so a stale build is never measured.
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.Join(migrations, ";")))
	path := filepath.Join(os.TempDir(), fmt.Sprintf("auth0logs-sqlite-bench-%08x-%dd.db", h.Sum32(), days))
	if _, err := os.Stat(path); err != nil {
		buildBenchStore(b, path, days)
	}
	e, err := Open(path, Options{})
	require.NoError(b, err)
	b.Cleanup(func() { _ = e.Close() })
	st, err := e.State(context.Background(), benchTenant)
	require.NoError(b, err)
	return e, st
}

// buildBenchStore generates one day at a time (so memory stays at a day of events) and commits
// in batches of 1,000, then moves the finished file into place.
func buildBenchStore(b *testing.B, path string, days int) {
	tmp := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(tmp + suffix)
	}
	e, err := Open(tmp, Options{})
	require.NoError(b, err)
	start := time.Now()
	prev := ""
	for d := days - 1; d >= 0; d-- {
		end := benchEnd.Add(-time.Duration(d) * 24 * time.Hour)
		// The demo's attacks fall on the last week; earlier days are quiet ones.
		var attacks []tenant.Attack
		if d < 7 {
			attacks = tenant.DefaultAttacks(benchEnd)
		} else {
			attacks = []tenant.Attack{}
		}
		events := tenant.Generate(tenant.Config{Seed: 42, End: end, Days: 1, EventsPerDay: 60000, Attacks: attacks}).Events
		for i := 0; i < len(events); i += 1000 {
			page := events[i:min(i+1000, len(events))]
			_, err := e.Commit(context.Background(), benchTenant, store.Batch{Events: page, Segment: segmentOf(prev, page)})
			require.NoError(b, err)
			prev = page[len(page)-1].LogID
		}
	}
	_, err = e.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	require.NoError(b, err)
	st, err := e.State(context.Background(), benchTenant)
	require.NoError(b, err)
	require.NoError(b, e.Close())
	fi, err := os.Stat(tmp)
	require.NoError(b, err)
	b.Logf("built %s: %d events in %s, %d bytes, %.0f bytes/event", path, st.Events,
		time.Since(start).Round(time.Second), fi.Size(), float64(fi.Size())/float64(st.Events))
	require.NoError(b, os.Rename(tmp, path))
}

// reportCPU adds the CPU time an op used, the measure of "on one core" when the machine is
// shared; it includes the Go runtime's own threads (GC), so it errs high.
func reportCPU(b *testing.B, since time.Duration) {
	if used := cpuTime() - since; used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func reportBytesPerEvent(b *testing.B, e *Engine, st store.State) {
	fi, err := os.Stat(e.path)
	require.NoError(b, err)
	b.ReportMetric(float64(fi.Size())/float64(st.Events), "bytes/event")
	b.ReportMetric(float64(st.Events), "events")
}

// anomalyPanels are the 11 queries of src/dashboards/anomaly-detection.json over [from, to), in
// the form the plugin hands the store; Grafana's default of about 1,000 points a panel gives the
// plain counts 10-minute buckets over 7 days.
func anomalyPanels(from, to time.Time) []store.AggQuery {
	types := func(codes ...string) store.Selection {
		return store.Selection{From: from, To: to, Filter: logquery.FieldIn("type", codes...)}
	}
	auto := aggregate.NewBuckets(from, to, 10*time.Minute)
	hourly := aggregate.NewBuckets(from, to, time.Hour)
	daily := aggregate.NewBuckets(from, to, 24*time.Hour)
	return []store.AggQuery{
		{Selection: types("fu"), Buckets: auto},
		{Selection: types("fp"), Buckets: auto},
		{Selection: types("s"), Buckets: auto},
		{Selection: types("limit_mu", "limit_wc", "pwd_leak"), Buckets: auto},
		{Selection: types("f", "fcoa", "feccft", "fepft", "fsa", "fu", "sepft"), Buckets: daily, Group: "type"},
		{Selection: types("s", "fu", "fp"), Buckets: hourly, Group: "type"},
		{Selection: types("limit_mu", "limit_wc", "pwd_leak"), Buckets: hourly, Group: "type"},
		{Selection: types("fu"), Buckets: daily, Of: "ip"},
		{Selection: types("fu"), Of: "country"},
		{Selection: types("fu"), Of: "ip"},
		{Selection: types("fu"), Of: "ip"},
	}
}

// BenchmarkAnomalyDashboard7Days answers the anomaly dashboard's 11 panels over 7 days of a
// 60k-a-day tenant (about 420,000 events); one op is the whole dashboard.
func BenchmarkAnomalyDashboard7Days(b *testing.B) {
	e, st := benchStore(b, 7)
	panels := anomalyPanels(benchEnd.Add(-7*24*time.Hour), benchEnd)
	ctx := context.Background()
	b.ResetTimer()
	mem := watchMemory()
	cpu := cpuTime()
	for range b.N {
		for _, q := range panels {
			if _, err := e.Aggregate(ctx, benchTenant, q); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	reportCPU(b, cpu)
	mem.report(b)
	reportBytesPerEvent(b, e, st)
}

// BenchmarkAnomalyPanels7Days times each panel on its own, to show where the time goes.
func BenchmarkAnomalyPanels7Days(b *testing.B) {
	e, _ := benchStore(b, 7)
	ctx := context.Background()
	for i, q := range anomalyPanels(benchEnd.Add(-7*24*time.Hour), benchEnd) {
		b.Run(fmt.Sprintf("panel%02d", i+1), func(b *testing.B) {
			cpu := cpuTime()
			for range b.N {
				if _, err := e.Aggregate(ctx, benchTenant, q); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkCount30Days counts every event of 30 days (about 1.8 million) in hourly buckets.
func BenchmarkCount30Days(b *testing.B) {
	e, st := benchStore(b, 30)
	from := benchEnd.Add(-30 * 24 * time.Hour)
	q := store.AggQuery{Selection: store.Selection{From: from, To: benchEnd}, Buckets: aggregate.NewBuckets(from, benchEnd, time.Hour)}
	ctx := context.Background()
	b.ResetTimer()
	mem := watchMemory()
	cpu := cpuTime()
	for range b.N {
		cells, err := e.Aggregate(ctx, benchTenant, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(cells) != 720 {
			b.Fatalf("%d cells, want 720", len(cells))
		}
	}
	b.StopTimer()
	reportCPU(b, cpu)
	mem.report(b)
	reportBytesPerEvent(b, e, st)
}

// BenchmarkScanNewest100 reads the newest 100 failed logins of 7 days, a logs panel.
func BenchmarkScanNewest100(b *testing.B) {
	e, _ := benchStore(b, 7)
	q := store.ScanQuery{Selection: store.Selection{From: benchEnd.Add(-7 * 24 * time.Hour), To: benchEnd,
		Filter: logquery.FieldIn("type", "fu", "fp")}, Limit: 100}
	ctx := context.Background()
	for range b.N {
		n := 0
		if err := e.Scan(ctx, benchTenant, q, func(*eventT) error { n++; return nil }); err != nil || n != 100 {
			b.Fatal(n, err)
		}
	}
}

// pathPanel is a panel the SQL cannot answer: it filters and groups on field paths, so the plugin
// reads the events the searchable part selects (as source.Router does) and judges each itself.
func pathPanel(b *testing.B, e *Engine, from, to time.Time, q string, group string, step time.Duration) int64 {
	b.Helper()
	whole, err := logquery.ParsePaths(q)
	require.NoError(b, err)
	searched, filtered := logquery.Split(whole)
	m, err := logquery.CompilePaths(filtered)
	require.NoError(b, err)
	key, err := aggregate.KeyFor(group)
	require.NoError(b, err)
	cb := aggregate.NewCellBuilder(aggregate.NewBuckets(from, to, step), key, nil)
	var n int64
	err = e.Scan(context.Background(), benchTenant, store.ScanQuery{Selection: store.Selection{From: from, To: to, Filter: searched}}, func(ev *eventT) error {
		if m.Match(ev) {
			cb.Add(ev)
			n++
		}
		return nil
	})
	require.NoError(b, err)
	return n
}

// BenchmarkPathPanels7Days answers panels that filter or group on field paths over 7 days of the
// 60k-a-day tenant: failed logins by the error message in details, grouped by user-agent family
// (about 150,000 candidates); and every event of the last day grouped by the e-mail domain (the
// worst case: no searchable part, about 60,000 candidates).
func BenchmarkPathPanels7Days(b *testing.B) {
	e, _ := benchStore(b, 7)
	from := benchEnd.Add(-7 * 24 * time.Hour)
	cases := []struct {
		name, q, group string
		from           time.Time
	}{
		{"failures-by-message-and-agent-7d", "type:(fu OR fp) AND details.error.message:*password*", "user_agent.family", from},
		{"every-event-by-email-domain-1d", "", "user_name.domain", benchEnd.Add(-24 * time.Hour)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			mem := watchMemory()
			cpu := cpuTime()
			var kept int64
			for range b.N {
				kept = pathPanel(b, e, c.from, benchEnd, c.q, c.group, time.Hour)
			}
			b.StopTimer()
			reportCPU(b, cpu)
			mem.report(b)
			b.ReportMetric(float64(kept), "events")
		})
	}
}
