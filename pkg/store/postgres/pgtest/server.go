package pgtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// InstallHint is the command that provides the server binaries on Debian and Ubuntu.
const InstallHint = "apt-get install -y postgresql"

// ErrMissing is returned by Launch when no PostgreSQL server binaries are installed.
var ErrMissing = errors.New("PostgreSQL server binaries (initdb, postgres) not found under /usr/lib/postgresql/*/bin; install them with `" + InstallHint + "` or set PGTEST_BIN to their directory")

// Superuser is the name of the cluster's superuser role.
const Superuser = "postgres"

// startTimeout bounds how long a fresh cluster may take to accept connections. It is a guard
// against a hung server, not a pacing device: Launch returns as soon as the server answers.
const startTimeout = 2 * time.Minute

// Server is one running throwaway cluster.
type Server struct {
	dir      string // temporary directory: data/, the socket, the log
	password string // the superuser's password, random per cluster
	proc     *exec.Cmd
	exited   chan struct{}
	dbSeq    atomic.Int64
}

// Launch starts a cluster and waits until it accepts connections. It returns ErrMissing (wrapped)
// when the binaries are not installed, so a TestMain can decide between failing and skipping.
func Launch() (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: create a temporary directory: %w", err)
	}
	s := &Server{dir: dir, password: randomHex(12), exited: make(chan struct{})}
	if err := s.start(bin); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// Start launches a cluster for one test and stops it when the test ends. Without binaries it
// fails the test when CI=true and skips it otherwise (see Require).
func Start(tb testing.TB) *Server {
	tb.Helper()
	s, err := Launch()
	Require(tb, err)
	tb.Cleanup(s.Stop)
	return s
}

// Require turns Launch's error into the test's outcome: nil passes, missing binaries fail under
// CI=true (a CI run must never skip silently) and skip elsewhere naming the install command,
// and any other error fails.
func Require(tb testing.TB, err error) {
	tb.Helper()
	switch {
	case err == nil:
		return
	case errors.Is(err, ErrMissing) && os.Getenv("CI") != "true":
		tb.Skipf("skipping: %v", err)
	default:
		tb.Fatalf("pgtest: %v", err)
	}
}

// findBin returns the newest installed version's bin directory, or PGTEST_BIN when set.
func findBin() (string, error) {
	if dir := os.Getenv("PGTEST_BIN"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err != nil {
			return "", fmt.Errorf("PGTEST_BIN=%s has no initdb: %w", dir, ErrMissing)
		}
		return dir, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	var found []string
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			found = append(found, d)
		}
	}
	if len(found) == 0 {
		return "", ErrMissing
	}
	// Versions sort numerically: 9.6 < 10 < 15.
	sort.Slice(found, func(i, j int) bool { return version(found[i]) < version(found[j]) })
	return found[len(found)-1], nil
}

func version(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

// start runs initdb and the server as the unprivileged user and waits for the socket to answer.
func (s *Server) start(bin string) error {
	run, err := newRunner(s.dir)
	if err != nil {
		return err
	}
	pwfile := filepath.Join(s.dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(s.password+"\n"), 0o600); err != nil {
		return fmt.Errorf("pgtest: write the password file: %w", err)
	}
	if err := run.own(pwfile); err != nil {
		return err
	}
	initdb := run.command(filepath.Join(bin, "initdb"), "-D", s.dataDir(), "-U", Superuser,
		"--auth=scram-sha-256", "--pwfile="+pwfile, "--encoding=UTF8", "--locale=C", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("pgtest: initdb failed: %w\n%s", err, out)
	}
	logFile, err := os.Create(filepath.Join(s.dir, "server.log"))
	if err != nil {
		return fmt.Errorf("pgtest: create the server log: %w", err)
	}
	// Durability settings are off: the cluster is thrown away, and tests should not wait on disks.
	s.proc = run.command(filepath.Join(bin, "postgres"), "-D", s.dataDir(), "-k", s.dir,
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "shared_buffers=128MB")
	s.proc.Stdout, s.proc.Stderr = logFile, logFile
	if err := s.proc.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	go func() {
		_ = s.proc.Wait()
		logFile.Close()
		close(s.exited)
	}()
	return s.waitReady()
}

// waitReady polls the socket until the server answers, the process exits or startTimeout passes.
func (s *Server) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, err := pgx.Connect(ctx, s.ConnString("postgres"))
		cancel()
		if err == nil {
			return conn.Close(context.Background())
		}
		select {
		case <-s.exited:
			return fmt.Errorf("pgtest: postgres exited during startup:\n%s", s.logTail())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pgtest: postgres did not accept connections within %s: %v\n%s", startTimeout, err, s.logTail())
		}
	}
}

func (s *Server) dataDir() string { return filepath.Join(s.dir, "data") }

func (s *Server) logTail() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(bytes.TrimSpace(b))
}

// Stop shuts the server down (fast shutdown: open sessions are ended) and removes the directory.
// It is safe to call more than once.
func (s *Server) Stop() {
	if s.proc != nil && s.proc.Process != nil {
		select {
		case <-s.exited:
		default:
			_ = s.proc.Process.Signal(os.Interrupt)
			select {
			case <-s.exited:
			case <-time.After(30 * time.Second):
				_ = s.proc.Process.Kill()
				<-s.exited
			}
		}
	}
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
	}
}

// SocketDir is the directory holding the server's unix socket, which is the host in a connection
// string.
func (s *Server) SocketDir() string { return s.dir }

// ConnString is a superuser URL for database db over the socket.
func (s *Server) ConnString(db string) string {
	return s.UserConnString(Superuser, s.password, db)
}

// UserConnString is a URL for another role, e.g. a read-only one a test created.
func (s *Server) UserConnString(user, password, db string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(user, password), Path: "/" + db}
	q := url.Values{"host": {s.dir}, "sslmode": {"disable"}}
	u.RawQuery = q.Encode()
	return u.String()
}

// SuperuserPassword is the cluster's superuser password, so tests can assert it never leaks.
func (s *Server) SuperuserPassword() string { return s.password }

// NewDatabase creates an empty database for one test and returns its name; tests sharing a
// cluster stay isolated this way. It is dropped when the test ends.
func (s *Server) NewDatabase(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%s", s.dbSeq.Add(1), randomHex(4))
	s.MustExec(tb, "postgres", "CREATE DATABASE "+name)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = s.Exec(ctx, "postgres", "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return name
}

// Exec runs statements as the superuser in database db.
func (s *Server) Exec(ctx context.Context, db, sql string, args ...any) error {
	conn, err := pgx.Connect(ctx, s.ConnString(db))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql, args...)
	return err
}

// MustExec is Exec that fails the test on error.
func (s *Server) MustExec(tb testing.TB, db, sql string, args ...any) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := s.Exec(ctx, db, sql, args...); err != nil {
		tb.Fatalf("pgtest: %s: %v", firstLine(sql), err)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
