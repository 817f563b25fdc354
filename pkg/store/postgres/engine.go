package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

// Options tune an Engine; the zero value is usable.
type Options struct {
	// Schema is the PostgreSQL schema the store's tables live in; default "auth0logs".
	Schema string
	// ReplicaID names this process in the replicas table and in lease holders; default host name,
	// process id and a random suffix, so two processes never share one.
	ReplicaID string
	// Logger receives warnings (the budget falling back to a local share); default discards.
	Logger *slog.Logger
	// MaxConns caps the pool; default 8. Listen uses connections of its own.
	MaxConns int32
	// Heartbeat is how often this replica records itself as alive; default 10 s. A replica counts
	// as present for three heartbeats.
	Heartbeat time.Duration
}

// Engine is the PostgreSQL store.Engine, shared by every replica that opens the same database.
type Engine struct {
	pool    *pgxpool.Pool
	connCfg *pgx.ConnConfig // for Listen's dedicated connections
	scrub   scrubber
	schema  string
	replica string
	log     *slog.Logger
	beat    time.Duration

	ctx    context.Context // ends at Close: stops the heartbeat and listeners
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed atomic.Bool

	mu      sync.Mutex
	tenants map[string]int32

	budget localBudget
	blobs  blobs
}

var _ store.Engine = (*Engine)(nil)

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Open connects, runs the migrations (safe when several replicas open at once), checks that the
// user may write, and starts the heartbeat. Every error is an *Error naming the problem and its
// fix, never the connection string.
func Open(ctx context.Context, connString string, opts Options) (*Engine, error) {
	opts = opts.withDefaults()
	if !schemaName.MatchString(opts.Schema) {
		return nil, &Error{Problem: ProblemConfig, Msg: fmt.Sprintf("schema name %q is not valid: use lower-case letters, digits and _", opts.Schema)}
	}
	scrub := newScrubber(connString, "")
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, scrub.classify("reading the connection string", err)
	}
	scrub = newScrubber(connString, cfg.ConnConfig.Password)
	cfg.MaxConns = opts.MaxConns
	cfg.ConnConfig.RuntimeParams["application_name"] = "auth0logs-datasource"
	// Every statement names tables without a schema; the search path supplies it.
	cfg.ConnConfig.RuntimeParams["search_path"] = opts.Schema
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, scrub.classify("connecting", err)
	}
	e := &Engine{pool: pool, connCfg: cfg.ConnConfig.Copy(), scrub: scrub, schema: opts.Schema,
		replica: opts.ReplicaID, log: opts.Logger, beat: opts.Heartbeat, tenants: map[string]int32{}}
	e.budget.init()
	if err := e.open(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	e.wg.Add(1)
	go e.heartbeatLoop()
	return e, nil
}

func (o Options) withDefaults() Options {
	if o.Schema == "" {
		o.Schema = "auth0logs"
	}
	if o.ReplicaID == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		o.ReplicaID = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.MaxConns <= 0 {
		o.MaxConns = 8
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 10 * time.Second
	}
	return o
}

// open reaches the server, migrates and checks write access.
func (e *Engine) open(ctx context.Context) error {
	if err := e.pool.Ping(ctx); err != nil {
		return e.scrub.classify("connecting", err)
	}
	if err := e.migrate(ctx); err != nil {
		return err
	}
	if err := e.checkWritable(ctx); err != nil {
		return err
	}
	if err := e.loadDicts(ctx); err != nil {
		return err
	}
	return e.heartbeat(ctx)
}

// ReplicaID is the name this engine uses as a lease holder and in the replicas table.
func (e *Engine) ReplicaID() string { return e.replica }

// Close stops the heartbeat and listeners, removes this replica from the replicas table and closes
// the pool. Later calls answer ErrClosed.
func (e *Engine) Close() error {
	if !e.closed.CompareAndSwap(false, true) {
		return nil
	}
	e.cancel()
	e.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _ = e.pool.Exec(ctx, "DELETE FROM replicas WHERE id = $1", e.replica)
	e.pool.Close()
	return nil
}

func (e *Engine) check() error {
	if e.closed.Load() {
		return store.ErrClosed
	}
	return nil
}

// tenantID returns the tenant's row id, creating the row when create is set; ok is false for a
// tenant never seen (and not created). Ids never change, so they are cached.
func (e *Engine) tenantID(ctx context.Context, key string, create bool) (id int32, ok bool, err error) {
	e.mu.Lock()
	id, ok = e.tenants[key]
	e.mu.Unlock()
	if ok {
		return id, true, nil
	}
	err = e.pool.QueryRow(ctx, "SELECT id FROM tenants WHERE key = $1", key).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) && create {
		err = e.pool.QueryRow(ctx, `INSERT INTO tenants (key) VALUES ($1)
			ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`, key).Scan(&id)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, e.scrub.classify("looking up the tenant", err)
	}
	e.mu.Lock()
	e.tenants[key] = id
	e.mu.Unlock()
	return id, true, nil
}
