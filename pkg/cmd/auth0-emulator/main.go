// Command auth0-emulator serves a generated Auth0 tenant through an emulation of the Management
// API's token and logs endpoints, for the demo and for manual testing. It prints the settings to
// give the data source.
//
//	go run ./pkg/cmd/auth0-emulator -addr 127.0.0.1:8787
//
// With -live the tenant keeps receiving events as the clock runs (a day is generated ahead and
// revealed as its log_ids' ingest times pass, and the next day is added before that one runs out),
// so a checkpoint tail has something to follow; -retention drops events as Auth0's plans do.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
)

// The demo tenant's credentials. They open nothing but this emulator, so they are safe to print
// and to commit in the provisioning defaults.
const (
	demoDomain   = "demo.auth0logs.local"
	demoClientID = "demo-client-id"
	demoSecret   = "demo-client-secret"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "auth0-emulator:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8787", "address to listen on")
	days := flag.Int("days", 7, "days of history to generate, ending now")
	perDay := flag.Int("events-per-day", 8000, "baseline events a day (the generator's realistic default is 60000)")
	seed := flag.Int64("seed", 1, "generator seed: the same seed gives the same tenant")
	attacks := flag.Bool("attacks", true, "inject the seed documents' attacks (credential stuffing, brute force, breached passwords, blocked IPs)")
	load := flag.String("load", "", "serve the events of this JSON-lines file instead of a generated tenant")
	perMinute := flag.Int("rate-limit", 0, "requests a minute the logs endpoint allows (Auth0 self-service: 100); 0 = no limit")
	burst := flag.Int("burst", 10, "rate-limit bucket size")
	delay := flag.Duration("index-delay", 0, "hide events younger than this, as Auth0's indexing does")
	live := flag.Bool("live", false, "keep events arriving as time passes (generated tenants only)")
	retention := flag.Duration("retention", 0, "drop events older than this, as Auth0 does (plans keep 24h to 720h); 0 keeps all")
	flag.Parse()
	if *live && *load != "" {
		return errors.New("-live needs a generated tenant: drop -load, or drop -live to serve the file as it is")
	}

	now := time.Now().UTC().Truncate(time.Minute)
	end, span := now, *days
	if *live {
		end, span = now.Add(liveAhead), *days+1 // the day ahead is revealed as the clock reaches it
	}
	events, err := tenantEvents(*load, *seed, end, span, *perDay, *attacks)
	if err != nil {
		return err
	}
	opts := emulator.Options{
		Domain: demoDomain, ClientID: demoClientID, ClientSecret: demoSecret,
		IndexDelay: *delay, Live: *live, Retention: *retention,
	}
	if *perMinute > 0 {
		opts.RateLimit = emulator.RateLimit{Burst: *burst, PerMinute: *perMinute}
	}
	srv := emulator.New(opts, events)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	base, done, err := srv.ListenAndServe(ctx, *addr)
	if err != nil {
		return err
	}
	if *live || *retention > 0 {
		go feed(ctx, srv, liveFeed{on: *live, seed: *seed, perDay: *perDay, end: end})
	}
	mode := ""
	if *live {
		mode = " (live: the day ahead is revealed as time passes)"
	}
	if *retention > 0 {
		mode += fmt.Sprintf(" (retention %s)", *retention)
	}
	fmt.Printf("Auth0 emulator serving %d events%s at %s\n", len(events), mode, base)
	fmt.Printf("  domain:        %s\n  client id:     %s\n  client secret: %s\n  API base URL:  %s\n",
		demoDomain, demoClientID, demoSecret, base)
	return <-done
}

func tenantEvents(path string, seed int64, end time.Time, days, perDay int, attacks bool) ([]event.Event, error) {
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return tenant.LoadJSONLines(f)
	}
	cfg := tenant.Config{Seed: seed, End: end, Days: days, EventsPerDay: perDay, Domain: demoDomain}
	if attacks {
		cfg.Attacks = tenant.DefaultAttacks(end)
	}
	return tenant.Generate(cfg).Events, nil
}
