package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
)

const (
	// liveAhead is how far past now a live tenant is generated; the server reveals it as its
	// clock runs, so the demo never waits on the generator.
	liveAhead = 24 * time.Hour
	// feedEvery is how often the feed checks whether to add the next day and prune old events.
	feedEvery = 10 * time.Minute
)

// liveFeed keeps a live tenant supplied: end is where the generated events stop.
type liveFeed struct {
	on     bool
	seed   int64
	perDay int
	end    time.Time
}

// feed adds the next generated day once less than half a day is left ahead, and prunes what the
// retention dropped, until ctx ends. Each day has its own seed so days differ; attacks stay in the
// history the command started with.
func feed(ctx context.Context, srv *emulator.Server, f liveFeed) {
	t := time.NewTicker(feedEvery)
	defer t.Stop()
	for day := int64(1); ; {
		if f.on && time.Until(f.end) < liveAhead/2 {
			next := f.end.Add(24 * time.Hour)
			gen := tenant.Generate(tenant.Config{Seed: f.seed + day, End: next, Days: 1,
				EventsPerDay: f.perDay, Domain: demoDomain, Attacks: []tenant.Attack{}})
			srv.Add(gen.Events...)
			fmt.Fprintf(os.Stderr, "auth0-emulator: added %d events up to %s\n", len(gen.Events), next.Format(time.RFC3339))
			f.end, day = next, day+1
		}
		srv.Prune()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
