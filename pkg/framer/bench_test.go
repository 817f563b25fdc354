package framer

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
)

// benchEvents are 100,000 events over a week, newest first, with a fixed seed: the size of a
// large logs or table request is 1,000, so this is the aggregate-and-frame end of the scale.
var benchEvents = sync.OnceValue(func() []event.Event {
	r := rand.New(rand.NewPCG(9, 9))
	types := []string{"s", "fu", "fp", "f", "seacft", "ssa", "fsa", "sapi", "limit_wc", "pwd_leak"}
	start := at("2024-03-08T00:00:00Z")
	events := make([]event.Event, 100_000)
	for i := range events {
		ip := r.IntN(2000)
		lat, long := float64(ip%180)-90, float64(ip%360)-180
		events[i] = event.Event{
			LogID: fmt.Sprintf("9002%016d", i), Date: start.Add(-time.Duration(i) * 6 * time.Second),
			Type: types[r.IntN(len(types))], Description: "Wrong email or password.",
			IP: fmt.Sprintf("10.0.%d.%d", ip/256, ip%256), UserName: fmt.Sprintf("user%d@example.com", r.IntN(5000)),
			ClientName: "Web App", Connection: "Username-Password-Authentication",
			Location: &event.Location{CountryCode: "DE", CityName: "Berlin", Latitude: &lat, Longitude: &long},
			Details:  json.RawMessage(`{"error": {"message": "Wrong email or password."}}`),
		}
	}
	return events
})

func BenchmarkLogs(b *testing.B) {
	events := benchEvents()
	b.ReportAllocs()
	for b.Loop() {
		Logs(events, withDS)
	}
}

func BenchmarkTable(b *testing.B) {
	events := benchEvents()
	b.ReportAllocs()
	for b.Loop() {
		Table(events, withDS)
	}
}

// BenchmarkTimeSeries frames a count grouped by ip (2,000 series of 168 hourly buckets), the
// many-frames case; the counting itself is benchmarked in pkg/aggregate.
func BenchmarkTimeSeries(b *testing.B) {
	events := benchEvents()
	buckets := aggregate.NewBuckets(events[len(events)-1].Date, events[0].Date.Add(time.Second), time.Hour)
	series := aggregate.Count(events, buckets, mustKey("ip"))
	o := Options{RefID: "A", GroupBy: "ip", LegendFormat: "{{ip}}"}
	b.ReportAllocs()
	for b.Loop() {
		TimeSeries(series, buckets, "count", o)
	}
}

func BenchmarkTop(b *testing.B) {
	entries, total := aggregate.Top(benchEvents(), mustKey("ip"), 0)
	b.ReportAllocs()
	for b.Loop() {
		Top(entries, total, "ip", withDS)
	}
}
