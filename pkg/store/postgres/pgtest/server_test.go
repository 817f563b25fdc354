package pgtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestServerStartsQueriesAndStops(t *testing.T) {
	s, err := Launch()
	Require(t, err)
	db := s.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.ConnString(db))
	if err != nil {
		t.Fatal(err)
	}
	var got string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&got); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if got != db {
		t.Fatalf("connected to %q, want %q", got, db)
	}
	if _, err := pgx.Connect(ctx, s.UserConnString(Superuser, "wrong", db)); err == nil {
		t.Fatal("a wrong password was accepted: the cluster must use password authentication")
	}
	dir := s.SocketDir()
	s.Stop()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the cluster's directory %s is still there after Stop (err %v)", dir, err)
	}
	s.Stop() // a second Stop is harmless
}

func TestRequireSkipsOrFailsOnMissingBinaries(t *testing.T) {
	t.Setenv("PGTEST_BIN", filepath.Join(t.TempDir(), "nowhere"))
	_, err := Launch()
	if err == nil || !strings.Contains(err.Error(), InstallHint) {
		t.Fatalf("Launch without binaries = %v, want an error naming %q", err, InstallHint)
	}
	for _, ci := range []string{"true", ""} {
		t.Setenv("CI", ci)
		rec := &recorder{TB: t}
		done := make(chan struct{})
		go func() { defer close(done); Require(rec, err) }() // Skip and Fatal end the goroutine
		<-done
		if ci == "true" && (!rec.failed || rec.skipped) {
			t.Errorf("CI=true: Require failed=%v skipped=%v, want a failure", rec.failed, rec.skipped)
		}
		if ci == "" && (!rec.skipped || rec.failed || !strings.Contains(rec.msg, InstallHint)) {
			t.Errorf("CI unset: Require skipped=%v failed=%v msg %q, want a skip naming %q", rec.skipped, rec.failed, rec.msg, InstallHint)
		}
	}
}

// recorder catches Skip and Fatal without ending the real test.
type recorder struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
