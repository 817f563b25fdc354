package store

import (
	"context"
	"errors"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
)

// Engine is where tenants' events live: embedded SQLite by default, PostgreSQL when several
// Grafana replicas share one store. Each method takes the tenant key, so one engine (one file, one
// database) can hold several tenants. Engines must be safe for concurrent use; only one Tail per
// tenant writes at a time (the Registry in one process, the lease across processes).
type Engine interface {
	// Commit stores a batch atomically: its events (identical duplicates are dropped, an id seen
	// again with other content is counted as a conflict and not stored) and the segment of the
	// log it completes, merged into the tenant's segments with MergeSegments. Nothing of a batch is
	// visible before it commits, so a kill -9 mid-batch loses the batch, not the checkpoint's truth.
	Commit(ctx context.Context, tenant string, b Batch) (CommitResult, error)
	// State is what the tail resumes from and what health and routing read.
	State(ctx context.Context, tenant string) (State, error)
	// Aggregate answers a grouped aggregation where the data lives and returns cells, which the
	// aggregate package turns into series or rankings. Memory is the number of cells, not events.
	Aggregate(ctx context.Context, tenant string, q AggQuery) ([]aggregate.Cell, error)
	// Scan calls fn with each matching event, newest first (date, then log_id, descending), at most
	// limit of them (0: all). fn returning an error stops the scan with that error.
	Scan(ctx context.Context, tenant string, q ScanQuery, fn func(*event.Event) error) error
	// DeleteUser removes every stored event of one user_id (an erasure request) and returns how many.
	DeleteUser(ctx context.Context, tenant, userID string) (int64, error)
	// Evict removes events older than before and then the oldest until the engine holds at most
	// maxBytes (0: no cap); the segments are trimmed to match, so coverage never claims evicted time.
	Evict(ctx context.Context, tenant string, before time.Time, maxBytes int64) (int64, error)
	// Close releases files and connections; a closed engine answers every call with an error.
	Close() error
}

// Batch is what one commit stores.
type Batch struct {
	Events []event.Event
	// Segment is the stretch of the log this batch completes: after the commit the store holds
	// every event whose log_id is in (Segment.FromID, Segment.ToID].
	Segment Segment
	// Fence is the writer's lease epoch. Engines shared between processes reject a commit whose
	// epoch is not the current lease's (ErrFenced); the embedded engine ignores it.
	Fence int64
}

// CommitResult says what a commit did with its events.
type CommitResult struct {
	Stored     int // new events written
	Duplicates int // identical events already held, dropped
	Conflicts  int // ids already held with other content, counted and not stored
}

// Segment is a stretch of the tenant's log read completely: every event with a log_id in
// (FromID, ToID] is held. From and To are the same bounds as times: From is FromID's time (log
// ids carry their ingest second), To is when the stretch was known complete (the time of the
// poll that found nothing newer, or ToID's time while catching up).
type Segment struct {
	FromID string    `json:"fromId"`
	ToID   string    `json:"toId"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
}

// State is a tenant's standing in the store.
type State struct {
	// Segments are the stretches held, ascending and disjoint; the live tail extends the last.
	Segments []Segment
	// Events, Bytes and Conflicts are totals: events held, bytes on disk (an estimate where the
	// engine cannot say exactly), and log ids seen again with other content.
	Events, Bytes, Conflicts int64
	// Oldest and Newest are the dates of the oldest and newest events held; zero when empty.
	Oldest, Newest time.Time
}

// Checkpoint is where the live tail resumes: the last segment's ToID, or "" for an empty store.
func (s State) Checkpoint() string {
	if len(s.Segments) == 0 {
		return ""
	}
	return s.Segments[len(s.Segments)-1].ToID
}

// Selection is the events a query reads: a date range and an Auth0 search filter.
type Selection struct {
	// From and To are [From, To) on the event's date.
	From, To time.Time
	// Filter is the condition without the range; nil matches every event. Engines push it down as
	// SQL with exactly logquery.Matcher's meaning. It never names a field path (details.*,
	// security_context.*...): conditions on those are judged by the caller on the events Scan
	// returns (source.Router), since the engines keep those fields compressed.
	Filter logquery.Node
}

// AggQuery is one aggregation over a selection.
type AggQuery struct {
	Selection
	// Buckets splits the range for count and distinct; the zero value (N == 0) means no bucketing
	// (top, values): every cell then has Bucket 0.
	Buckets aggregate.Buckets
	// Group and Of are models.GroupFields names or "". Group splits series; Of is the field whose
	// values are counted distinct, ranked or listed. "category" is derived from type and
	// "country" is location_info.country_code.
	Group, Of string
}

// ScanQuery is a selection read as events, newest first.
type ScanQuery struct {
	Selection
	Limit int
}

// ErrFenced is returned by a commit from a writer whose lease was taken over: it must stop.
var ErrFenced = errors.New("the store's tail lease is held by another writer")

// ErrClosed is returned by an engine after Close.
var ErrClosed = errors.New("the tenant log store is closed")
