package store

import (
	"context"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Defaults for the TailConfig fields left at zero.
const (
	// DefaultPollInterval is how often a caught-up tail asks Auth0 for newer logs: two requests
	// a minute keep the lag under a minute at 2% of a 100-a-minute budget.
	DefaultPollInterval = 30 * time.Second
	// DefaultTailShare is the share of the data source's requests per minute the tail may use.
	// The tail is the only reader that can wait, and at 80% it still catches up at 80 pages
	// (8,000 events) a minute on a 100-a-minute plan, while a dashboard opened during a backfill
	// keeps a fifth of the budget for the ranges the store does not cover yet.
	DefaultTailShare = 0.8
	// DefaultBackfillDays is how far back the backfill reads: Auth0's longest retention.
	DefaultBackfillDays = 30
	// DefaultAuth0Retention assumes the longest plan (Enterprise); a shorter plan shows up as the
	// oldest backfill chunk starting later than asked, which the backfill then accepts.
	DefaultAuth0Retention = 30 * 24 * time.Hour
	// PageSize is what the tail asks for per request: Auth0's maximum take.
	PageSize = 100
)

// CheckpointReader is what the tail needs of Auth0: checkpoint mode, ascending by log_id, the
// events strictly after from. (*auth0.Client).CheckpointLogs is one.
type CheckpointReader interface {
	CheckpointLogs(ctx context.Context, from string, take int) (events []event.Event, next string, err error)
}

// Logger is the optional sink for the tail's notes; Grafana's backend logger fits it.
type Logger interface {
	Info(msg string, args ...any)
	Warn(msg string, args ...any)
}

// TailConfig is one tenant's tail. Engine, Reader and Tenant are required.
type TailConfig struct {
	// Tenant is the engine's key for this tenant's events.
	Tenant string
	Engine Engine
	Reader CheckpointReader
	// Clock is SystemClock when nil.
	Clock Clock
	// PollInterval is how often a caught-up tail polls; DefaultPollInterval when zero.
	PollInterval time.Duration
	// RequestsPerMinute is the data source's budget; the tail takes Share of it (DefaultTailShare
	// when zero). Zero RequestsPerMinute means 60, the client's default.
	RequestsPerMinute int
	Share             float64
	// BackfillDays is how far back to read history; DefaultBackfillDays when zero, none when
	// negative. It is capped by Auth0Retention and StoreRetention.
	BackfillDays int
	// Auth0Retention is how long the tenant's plan keeps logs (1, 5, 10 or 30 days);
	// DefaultAuth0Retention when zero. A checkpoint older than it may be gone.
	Auth0Retention time.Duration
	// StoreRetention, when positive, evicts stored events older than it once an hour, with
	// MaxBytes as the size cap (0: none).
	StoreRetention time.Duration
	MaxBytes       int64
	// ChunkPages is the size a backfill chunk aims at, at least (and by default) 60 pages, so a
	// chunk boundary wastes at most one request in fifty.
	ChunkPages int
	// Fence is the writer's lease epoch, passed on every commit.
	Fence  int64
	Logger Logger
}

func (c TailConfig) withDefaults() TailConfig {
	if c.Clock == nil {
		c.Clock = SystemClock()
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.RequestsPerMinute <= 0 {
		c.RequestsPerMinute = 60
	}
	if c.Share <= 0 || c.Share > 1 {
		c.Share = DefaultTailShare
	}
	if c.BackfillDays == 0 {
		c.BackfillDays = DefaultBackfillDays
	}
	if c.Auth0Retention <= 0 {
		c.Auth0Retention = DefaultAuth0Retention
	}
	c.ChunkPages = max(c.ChunkPages, minChunkPages)
	if c.Logger == nil {
		c.Logger = nopLogger{}
	}
	return c
}

const (
	minChunkPages = 60
	maxBackoff    = 5 * time.Minute
	evictEvery    = time.Hour
	maxNotices    = 10
)
