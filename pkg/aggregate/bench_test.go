package aggregate

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

const benchEvents = 1_000_000

// benchData builds one million events once per test binary: 7 days, 30 types with a skewed mix,
// 10,000 IPs (each with a fixed location), 5,000 users and 20 clients. A fixed seed keeps runs
// comparable.
var benchData = sync.OnceValue(func() []event.Event {
	r := rand.New(rand.NewPCG(42, 7))
	types := []string{"s", "fu", "fp", "f", "seacft", "ssa", "fsa", "sapi", "slo", "gd_send_sms", "limit_wc",
		"limit_mu", "pwd_leak", "ss", "fs", "sepft", "fepft", "scoa", "fcoa", "sens", "seccft", "feccft",
		"srrt", "fertft", "sertft", "cls", "cs", "du", "sce", "sv"}
	ips := make([]string, 10_000)
	locs := make([]*event.Location, len(ips))
	for i := range ips {
		ips[i] = fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		lat, long := float64(i%180)-90, float64(i%360)-180
		locs[i] = &event.Location{CountryCode: []string{"US", "DE", "FR", "BR", "IN"}[i%5], Latitude: &lat, Longitude: &long}
	}
	users := make([]string, 5_000)
	for i := range users {
		users[i] = fmt.Sprintf("user%d@example.com", i)
	}
	clients := make([]string, 20)
	for i := range clients {
		clients[i] = fmt.Sprintf("client-%d", i)
	}
	start := at("2024-03-01T00:00:00Z")
	week := int64(7 * 24 * time.Hour)
	events := make([]event.Event, benchEvents)
	for i := range events {
		ip := r.IntN(len(ips))
		t := r.IntN(len(types)) * r.IntN(len(types)) / len(types) // skew toward the first types
		events[i] = event.Event{
			Date: start.Add(time.Duration(week - week*int64(i)/benchEvents)), Type: types[t], IP: ips[ip],
			Location: locs[ip], UserName: users[r.IntN(len(users))], ClientName: clients[r.IntN(len(clients))],
		}
	}
	return events
})

func benchBuckets() Buckets {
	start := at("2024-03-01T00:00:00Z")
	return NewBuckets(start, start.Add(7*24*time.Hour), time.Hour)
}

// reportPerEvent adds the cost per input event, the number that tells how far a dashboard scales.
func reportPerEvent(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/event")
}

func BenchmarkCount(b *testing.B) {
	events, buckets, key := benchData(), benchBuckets(), mustKey("type")
	b.ReportAllocs()
	for b.Loop() {
		Count(events, buckets, key)
	}
	reportPerEvent(b, len(events))
}

func BenchmarkCountByIP(b *testing.B) {
	events, buckets, key := benchData(), benchBuckets(), mustKey("ip")
	b.ReportAllocs()
	for b.Loop() {
		Count(events, buckets, key)
	}
	reportPerEvent(b, len(events))
}

func BenchmarkDistinct(b *testing.B) {
	events, buckets, group, of := benchData(), benchBuckets(), mustKey("type"), mustKey("ip")
	b.ReportAllocs()
	for b.Loop() {
		Distinct(events, buckets, group, of)
	}
	reportPerEvent(b, len(events))
}

func BenchmarkTop(b *testing.B) {
	events, key := benchData(), mustKey("ip")
	b.ReportAllocs()
	for b.Loop() {
		Top(events, key, 10)
	}
	reportPerEvent(b, len(events))
}
