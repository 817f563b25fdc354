package fetch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// PerPage is Auth0's largest page.
const PerPage = 100

// SearchFunc runs one Auth0 log search: q in Auth0's syntax, sorted by date, newest first, one page.
// An element of the page that could not be read is returned as an Event with an empty LogID, so
// the page keeps its length (a short page means the last one) and the fetch can count it.
type SearchFunc func(ctx context.Context, q string, page, perPage int) ([]event.Event, error)

// Mode says whether a fetch needs every matching event or only the newest ones.
type Mode int

const (
	// All fetches every matching event in the range: aggregations need it.
	All Mode = iota
	// Latest fetches the newest Limit events: logs and tables need no more.
	Latest
)

// Request is one fetch.
type Request struct {
	// Filter is a canonical Auth0 query without the time range; "" means every event.
	Filter   string
	From, To time.Time
	Mode     Mode
	// Limit is the number of events Latest returns.
	Limit int
	// Budget is the most Auth0 requests this fetch may spend; 0 means no limit.
	Budget int
}

// Result is what a fetch found, newest first, and what it cost.
type Result struct {
	Events []event.Event
	Cost   Cost
	// Missing is set when the fetch stopped early (budget, deadline or error): this part of the
	// range, the oldest, was not read.
	Missing *Interval
	// Crowded lists the instants at which more events matched than one Auth0 search can page
	// through: the fetch read what it could of each and went on past it.
	Crowded []Crowded
}

// Crowded is one millisecond at which more events matched than Auth0's search serves (1,000).
// Paging on date cannot get past it, so the fetch counts the Read events it got and goes on with
// the older ones; the instant itself is undercounted.
type Crowded struct {
	At   time.Time
	Read int
}

// Cost is what a fetch spent; the plugin shows it in the query inspector.
type Cost struct {
	Requests  int // Auth0 requests this fetch made (joined fetches count the leader's)
	Events    int // events the fetch returned
	CacheHits int // settled intervals served from the cache
	Joined    int // fetches in flight this one joined instead of repeating
	// Unreadable counts events Auth0 sent that could not be read, so were not counted.
	Unreadable int
	// Conflicting counts events that share their log_id with a different event of the same read.
	// They are all kept and counted (only exact repeats are dropped), but ids are meant to be
	// unique, so the data is not what Auth0 itself would send.
	Conflicting int
}

// Interval is a half-open time range [From, To).
type Interval struct{ From, To time.Time }

// Source answers fetches. Fetcher is the API-backed one; a checkpoint-fed local store is another.
type Source interface {
	Fetch(ctx context.Context, r Request) (Result, error)
}

// ErrBudget is wrapped by the error of a fetch that stopped at its request budget.
var ErrBudget = errors.New("request budget reached")

// ErrTooManyTies was the error of a fetch that met more events at one millisecond than one Auth0
// search can page through.
//
// Deprecated: a fetch now reads past such an instant and lists it in Result.Crowded; nothing
// returns this error any more.
var ErrTooManyTies = errors.New("more events share one millisecond than one Auth0 search can page through")

// ErrSlow is wrapped by the error of a fetch that stopped waiting for Auth0 shortly before the
// caller's deadline, so the caller can still answer with what was read. It wraps
// context.DeadlineExceeded: the query timed out, nobody cancelled it. The read it waited for goes
// on in the background (within Options.FetchTimeout) and is cached, so running the query again
// soon costs less.
var ErrSlow = fmt.Errorf("Auth0 answered too slowly to finish before the query's deadline: %w", context.DeadlineExceeded)

func (r Request) validate() error {
	if !r.From.Before(r.To) {
		return fmt.Errorf("the time range is empty (from %s to %s): pick a range that ends after it starts",
			r.From.UTC().Format(time.RFC3339), r.To.UTC().Format(time.RFC3339))
	}
	if r.Mode == Latest && r.Limit <= 0 {
		return errors.New("a fetch of the latest events needs a limit of at least 1")
	}
	return nil
}
