package postgres

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/store/postgres/pgtest"
)

// server is one cluster for the package's tests; each test gets a database of its own.
var (
	server    *pgtest.Server
	launchErr error
)

func TestMain(m *testing.M) {
	server, launchErr = pgtest.Launch()
	code := m.Run()
	if server != nil {
		server.Stop()
	}
	os.Exit(code)
}

// newDatabase returns a superuser connection string to a fresh database, or skips (fails under
// CI=true) when PostgreSQL is not installed.
func newDatabase(t testing.TB) string {
	t.Helper()
	pgtest.Require(t, launchErr)
	return server.ConnString(server.NewDatabase(t))
}

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// openEngine opens an engine that is closed when the test ends.
func openEngine(t testing.TB, conn string, replica string) *Engine {
	t.Helper()
	e, err := Open(testContext(t), conn, Options{ReplicaID: replica, Heartbeat: time.Second})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

// eventually polls cond until it holds, failing after a generous deadline; conditions are waited
// for, never slept on.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(fmt.Errorf("unexpected error: %w", err))
		}
		return v
	}
}
