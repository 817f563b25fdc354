package logquery

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// benchQueries are typical panel filters.
var benchQueries = []string{
	`type:"fu"`,
	`type:s OR type:f OR type:fp OR type:fu`,
	`type:s AND ip:"99.1.2.3"`,
	`description:*logs* AND NOT type:sapi`,
	`user_name:j* AND date:[2018-12-18 TO 2019-01-01}`,
	`jane`,
	`(type:f OR type:fp) AND user_name:*usa.com AND NOT connection:google-oauth2`,
}

func benchEvents(n int) []event.Event {
	r := rand.New(rand.NewPCG(7, 7))
	out := make([]event.Event, n)
	for i := range out {
		out[i] = *randEvent(r)
	}
	return out
}

// TestMatchDoesNotAllocate keeps Match allocation-free, which the 1e6-events target depends on.
func TestMatchDoesNotAllocate(t *testing.T) {
	events := benchEvents(64)
	for _, q := range benchQueries {
		m, err := Compile(mustParse(t, q))
		require.NoError(t, err)
		i := 0
		allocs := testing.AllocsPerRun(200, func() {
			m.Match(&events[i%len(events)])
			i++
		})
		assert.Zero(t, allocs, q)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range benchQueries {
			if _, err := Parse(q); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkMatch filters 1e6 events per op; ns/event is the cost of one Match.
func BenchmarkMatch(b *testing.B) {
	const total = 1_000_000
	events := benchEvents(1 << 14) // cycled: 1e6 distinct events would need ~0.5 GB
	for _, q := range benchQueries {
		m, err := Compile(mustParse(b, q))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			hits := 0
			for b.Loop() {
				for i := range total {
					if m.Match(&events[i&(len(events)-1)]) {
						hits++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/total, "ns/event")
			b.ReportMetric(float64(hits)/float64(b.N)/total, "hit-ratio")
		})
	}
}
