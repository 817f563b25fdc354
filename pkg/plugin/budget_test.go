package plugin

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/models"
)

var budgetFlag = flag.Bool("budget", false, "run TestBudget: the API budget of the anomaly dashboard and the credential-stuffing rule on a full-volume tenant (a few minutes)")

// budgetT0 is "now" for the dashboard loads; the tenant runs on past it so the clock has events
// to reveal while it moves.
var budgetT0 = testEnd

// budgetTenant generates days of traffic ending two hours after budgetT0, so a week ending at any
// time of the run is fully populated. attackScale divides the default attacks' sizes.
func budgetTenant(days, perDay, attackScale int) []event.Event {
	end := budgetT0.Add(2 * time.Hour)
	attacks := tenant.DefaultAttacks(end)
	for i := range attacks {
		attacks[i].Events /= attackScale
	}
	return tenant.Generate(tenant.Config{Seed: 7, End: end, Days: days, EventsPerDay: perDay, Attacks: attacks}).Events
}

// budgetConfig is one row group of the table: the data source's two budget settings.
type budgetConfig struct {
	clientRPM, perQuery int
}

func strategyName(naive bool) string {
	if naive {
		return "naive"
	}
	return "plugin"
}

// pickStrategy returns the strategy and what releases it, so a long run does not keep every
// emulated tenant alive until the test ends.
func pickStrategy(t testing.TB, api *simAPI, cfg budgetConfig, naive bool) (strategy, func()) {
	if naive {
		return naiveStrategy{api: api, budget: cfg.perQuery}, func() {}
	}
	d := simDatasource(t, api, cfg.perQuery)
	return pluginStrategy{d: d}, d.fetcher.Close
}

// runDashboard takes one strategy through a cold 7-day load of the anomaly dashboard at budgetT0
// and the same load a minute after it finished, on one instance.
func runDashboard(t testing.TB, events []event.Event, cfg budgetConfig, naive bool, heap *heapStats) (cold, reload phase) {
	t.Helper()
	panels := anomalyPanels(t)
	clock := newVirtualClock(budgetT0)
	api := newSimAPI(t, events, clock, cfg.clientRPM)
	s, release := pickStrategy(t, api, cfg, naive)
	defer release()
	stop := heap.start()
	cold = loadDashboard(t, api, s, panels)
	stop()
	if ps, ok := s.(pluginStrategy); ok && heap != nil {
		heap.cached = ps.d.fetcher.Stats().CachedEvents
	}
	clock.advanceTo(clock.Now().Add(time.Minute))
	return cold, loadDashboard(t, api, s, panels)
}

// runAlert evaluates the credential-stuffing rule ten times a minute apart from at, on an
// instance of its own.
func runAlert(t testing.TB, events []event.Event, cfg budgetConfig, naive bool, at time.Time) []phase {
	t.Helper()
	api := newSimAPI(t, events, newVirtualClock(at), cfg.clientRPM)
	s, release := pickStrategy(t, api, cfg, naive)
	defer release()
	return evaluateAlert(t, api, s, credentialStuffingRule(t), 10)
}

// TestBudgetClaims is the quick, always-on version of TestBudget on a small tenant: the claims
// README's "How it spends the API budget" makes, in requests, which do not depend on the machine.
func TestBudgetClaims(t *testing.T) {
	events := budgetTenant(8, 800, 40)
	cfg := budgetConfig{clientRPM: models.MaxRequestsPerMinute, perQuery: models.MaxRequestsPerQuery}
	quiet := budgetT0.Add(30 * time.Minute)
	var rows [2]budgetRow
	for i, naive := range []bool{false, true} {
		r := budgetRow{cfg: cfg, strategy: strategyName(naive)}
		r.cold, r.reload = runDashboard(t, events, cfg, naive, nil)
		r.alerts = map[string][]phase{"quiet": runAlert(t, events, cfg, naive, quiet)}
		rows[i] = r
	}
	t.Log("\n" + budgetTable(rows[:]))
	plugin, naive := rows[0], rows[1]

	require.Zero(t, plugin.cold.partial+naive.cold.partial, "the budget per query is large enough for every panel")
	parts := distinctParts(t, anomalyPanels(t), backend.TimeRange{From: budgetT0.Add(-7 * 24 * time.Hour), To: budgetT0})
	assert.LessOrEqual(t, plugin.reload.requests, 2*parts, "a reload a minute later reads, per part, the unsettled tail and the minutes settled since")
	assert.Less(t, plugin.reload.requests*2, plugin.cold.requests)
	assert.Less(t, plugin.cold.requests*2, naive.cold.requests, "split + cache + single-flight at least halve a cold load")
	assert.Less(t, plugin.reload.requests*5, naive.reload.requests, "the naive reload pays the whole week again")
	first, later := plugin.alerts["quiet"][0], plugin.alerts["quiet"][1:]
	for i, ev := range later {
		// The rule's window is ten minutes and five of them are settled after the first run: each
		// later evaluation reads the unsettled tail and the minute that settled since.
		assert.LessOrEqual(t, ev.requests, 2, "evaluation %d reads the tail and one newly settled minute", i+2)
	}
	assert.GreaterOrEqual(t, first.requests, later[0].requests)
	assert.Zero(t, sumPhases(plugin.alerts["quiet"]).tooMany)
}

// TestBudget measures the API budget at full volume: go test ./pkg/plugin -run TestBudget$ -budget -v
// (or AUTH0LOGS_BUDGET=1). It prints the table docs/benchmarks.md records.
func TestBudget(t *testing.T) {
	if !*budgetFlag && os.Getenv("AUTH0LOGS_BUDGET") != "1" {
		t.Skip("run with -budget or AUTH0LOGS_BUDGET=1: it takes minutes")
	}
	perDay := 60000
	if v := os.Getenv("AUTH0LOGS_BUDGET_PER_DAY"); v != "" {
		_, err := fmt.Sscan(v, &perDay)
		require.NoError(t, err)
	}
	started := time.Now()
	events := budgetTenant(8, perDay, 1)
	t.Logf("tenant: %d events over 8 days (%d a day before attacks), generated in %s", len(events), perDay, time.Since(started).Round(time.Millisecond))
	stuffing := tenant.DefaultAttacks(budgetT0.Add(2 * time.Hour))[0]
	alerts := map[string]time.Time{
		"quiet":  budgetT0.Add(30 * time.Minute),
		"attack": stuffing.Start.Add(stuffing.Duration / 2).Add(-5 * time.Minute),
	}
	var rows []budgetRow
	for _, cfg := range []budgetConfig{
		{clientRPM: models.MaxRequestsPerMinute, perQuery: models.MaxRequestsPerQuery},
		{clientRPM: models.DefaultRequestsPerMinute, perQuery: models.DefaultRequestsPerQuery},
	} {
		for _, naive := range []bool{false, true} {
			var heap *heapStats
			if !naive {
				heap = &heapStats{}
			}
			started := time.Now()
			r := budgetRow{cfg: cfg, strategy: strategyName(naive), alerts: map[string][]phase{}}
			r.cold, r.reload = runDashboard(t, events, cfg, naive, heap)
			for name, at := range alerts {
				r.alerts[name] = runAlert(t, events, cfg, naive, at)
			}
			rows = append(rows, r)
			t.Logf("%d rpm, %d a query, %s: %s real", cfg.clientRPM, cfg.perQuery, r.strategy, time.Since(started).Round(time.Second))
			if heap != nil {
				t.Logf("heap during the plugin's cold load: %s", heap)
			}
			t.Logf("cold load requests by filter: %s", byFilter(r.cold.perFilter))
		}
	}
	t.Log("\n" + budgetTable(rows))
}

// budgetRow is one strategy's results under one configuration; alerts are keyed by when they ran.
type budgetRow struct {
	cfg          budgetConfig
	strategy     string
	cold, reload phase
	alerts       map[string][]phase
}

// budgetTable renders rows as the Markdown table docs/benchmarks.md records.
func budgetTable(rows []budgetRow) string {
	var b strings.Builder
	b.WriteString("| requests per minute / per query | step | strategy | requests | 429s | simulated wall time | partial panels |\n")
	b.WriteString("|---|---|---|---:|---:|---:|---:|\n")
	line := func(r budgetRow, step string, p phase) {
		fmt.Fprintf(&b, "| %d / %d | %s | %s | %d | %d | %s | %d |\n", r.cfg.clientRPM, r.cfg.perQuery, step, r.strategy,
			p.requests, p.tooMany, p.wall.Round(time.Second), p.partial)
	}
	for _, r := range rows {
		line(r, "cold 7-day dashboard load", r.cold)
		line(r, "same load 1 min later", r.reload)
		for _, name := range slices.Sorted(maps.Keys(r.alerts)) {
			ev := r.alerts[name]
			line(r, "alert, "+name+": 1st evaluation", ev[0])
			line(r, fmt.Sprintf("alert, %s: next %d evaluations", name, len(ev)-1), sumPhases(ev[1:]))
		}
	}
	return b.String()
}

// byFilter lists request counts, largest first.
func byFilter(m map[string]int) string {
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int { return m[b] - m[a] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// heapStats samples the heap while a step runs. HeapInuse peaks at up to twice the live heap
// (GOGC=100), and here the live heap includes the emulated tenant, so the live heap after each GC
// (/gc/heap/live:bytes) is the number to read; both are kept. A nil *heapStats measures nothing.
type heapStats struct {
	base, peak, after  uint64 // HeapInuse
	baseLive, peakLive uint64
	cached             int // events the fetcher's cache holds after the step
}

func (h *heapStats) start() (stop func()) {
	if h == nil {
		return func() {}
	}
	runtime.GC()
	h.base, h.baseLive = readHeap()
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			inuse, live := readHeap()
			h.peak, h.peakLive = max(h.peak, inuse), max(h.peakLive, live)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		runtime.GC()
		h.after, _ = readHeap()
	}
}

// readHeap returns HeapInuse and the live heap as of the last GC.
func readHeap() (inuse, live uint64) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() == metrics.KindUint64 {
		live = sample[0].Value.Uint64()
	}
	return ms.HeapInuse, live
}

func (h *heapStats) String() string {
	mib := func(n uint64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
	delta := func(n, base uint64) string { return fmt.Sprintf("%+.0f MiB", (float64(n)-float64(base))/(1<<20)) }
	perEvent := 0.0
	if h.cached > 0 {
		perEvent = (float64(h.after) - float64(h.base)) / float64(h.cached)
	}
	return fmt.Sprintf("live heap peak %s over %s; HeapInuse peak %s over %s; after GC %s (%d cached events, %.0f B each)",
		delta(h.peakLive, h.baseLive), mib(h.baseLive), delta(h.peak, h.base), mib(h.base), delta(h.after, h.base), h.cached, perEvent)
}
