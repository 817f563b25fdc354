//go:build mage
// +build mage

package main

import (
	"os"

	// mage:import
	build "github.com/grafana/grafana-plugin-sdk-go/build"
	"github.com/magefile/mage/sh"
)

// Default builds the backend for every platform Grafana supports.
var Default = build.BuildAll

// Emulator runs the Auth0 Management API emulator with the demo tenant on 127.0.0.1:8787.
func Emulator() error {
	return sh.RunV("go", "run", "./pkg/cmd/auth0-emulator")
}

// Fuzz runs every Go fuzz target for ten minutes each (FUZZTIME overrides, e.g. FUZZTIME=30s).
func Fuzz() error {
	t := os.Getenv("FUZZTIME")
	if t == "" {
		t = "10m"
	}
	return sh.RunV("bash", "scripts/fuzz.sh", t)
}

// Long runs the long reliability tests: the fault soak, budget minutes, concurrent dashboards and
// size caps (about 6 minutes; see docs/reliability.md), then 7 days of a 60k-a-day tenant through
// the tenant log store (about 4 minutes; see docs/benchmarks.md).
func Long() error {
	env := map[string]string{"AUTH0LOGS_LONG": "1"}
	if err := sh.RunWithV(env, "go", "test", "-race", "-count=1", "-timeout", "20m",
		"-run", "Soak|Minutes|Dashboards|SizeCap", "./pkg/plugin/"); err != nil {
		return err
	}
	// The full-volume store run goes without -race: the embedded SQLite is too slow instrumented.
	return sh.RunWithV(env, "go", "test", "-count=1", "-timeout", "30m", "-v", "-run", "StoreFullVolume", "./pkg/plugin/")
}

// Bench runs the Go benchmarks recorded in docs/benchmarks.md.
func Bench() error {
	return sh.RunV("go", "test", "-run", "^$", "-bench", ".", "-benchmem", "./pkg/...")
}
