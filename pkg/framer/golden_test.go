package framer

import (
	"flag"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
)

// update rewrites the golden files: go test ./pkg/framer/ -update. The checker still fails on a
// difference, so a run with -update never passes silently; run again without it to confirm.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func checkGoldenFrames(t *testing.T, name string, frames data.Frames) {
	t.Helper()
	experimental.CheckGoldenJSONResponse(t, "testdata", name, &backend.DataResponse{Frames: frames}, *update)
}

func TestGoldenLogs(t *testing.T) {
	experimental.CheckGoldenJSONFrame(t, "testdata", "logs", Logs(fixtureEvents(), withDS), *update)
}

func TestGoldenTable(t *testing.T) {
	experimental.CheckGoldenJSONFrame(t, "testdata", "table", Table(fixtureEvents(), withDS), *update)
}

func TestGoldenCountUngrouped(t *testing.T) {
	series := aggregate.Count(fixtureEvents(), fixtureBuckets, nil)
	checkGoldenFrames(t, "count_ungrouped", TimeSeries(series, fixtureBuckets, "count", Options{RefID: "A"}))
}

func TestGoldenCountPartial(t *testing.T) {
	series := aggregate.Count(fixtureEvents(), fixtureBuckets, mustKey("type"))
	missing := &backend.TimeRange{From: fixtureBuckets.Start, To: fixtureBuckets.Time(1)}
	checkGoldenFrames(t, "count_partial", TimeSeries(series, fixtureBuckets, "count", Options{RefID: "A", GroupBy: "type", Missing: missing}))
}

func TestGoldenCountByTypeWithLegend(t *testing.T) {
	series := aggregate.Count(fixtureEvents(), fixtureBuckets, mustKey("type"))
	o := Options{RefID: "A", GroupBy: "type", LegendFormat: "{{type_name}} ({{category_name}})"}
	checkGoldenFrames(t, "count_by_type_legend", TimeSeries(series, fixtureBuckets, "count", o))
}

func TestGoldenCountByUserNameDefaultNames(t *testing.T) {
	series := aggregate.Count(fixtureEvents(), fixtureBuckets, mustKey("user_name"))
	checkGoldenFrames(t, "count_by_user_name", TimeSeries(series, fixtureBuckets, "count", Options{RefID: "A", GroupBy: "user_name"}))
}

func TestGoldenCountGroupedEmpty(t *testing.T) {
	series := aggregate.Count(nil, fixtureBuckets, mustKey("type"))
	checkGoldenFrames(t, "count_grouped_empty", TimeSeries(series, fixtureBuckets, "count", Options{RefID: "A", GroupBy: "type"}))
}

func TestGoldenDistinctIPsByCategory(t *testing.T) {
	series := aggregate.Distinct(fixtureEvents(), fixtureBuckets, mustKey("category"), mustKey("ip"))
	checkGoldenFrames(t, "distinct_ip_by_category", TimeSeries(series, fixtureBuckets, "distinct", Options{RefID: "B", GroupBy: "category"}))
}

func TestGoldenTopIP(t *testing.T) {
	entries, total := aggregate.Top(fixtureEvents(), mustKey("ip"), 10)
	experimental.CheckGoldenJSONFrame(t, "testdata", "top_ip", Top(entries, total, "ip", withDS), *update)
}

func TestGoldenTopClientName(t *testing.T) {
	entries, total := aggregate.Top(fixtureEvents(), mustKey("client_name"), 10)
	experimental.CheckGoldenJSONFrame(t, "testdata", "top_client_name", Top(entries, total, "client_name", withDS), *update)
}

func TestGoldenValues(t *testing.T) {
	values := aggregate.Values(fixtureEvents(), mustKey("type"), 0)
	require.Len(t, values, 5)
	experimental.CheckGoldenJSONFrame(t, "testdata", "values", Values(values), *update)
}
