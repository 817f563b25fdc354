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
	// Missing is set when the fetch stopped early (budget or error): this part of the range, the
	// oldest, was not read.
	Missing *Interval
}

// Cost is what a fetch spent; the plugin shows it in the query inspector.
type Cost struct {
	Requests  int // Auth0 requests this fetch made (joined fetches count the leader's)
	Events    int // events the fetch returned
	CacheHits int // settled intervals served from the cache
	Joined    int // fetches in flight this one joined instead of repeating
	// Unreadable counts events Auth0 sent that could not be read, so were not counted.
	Unreadable int
}

// Interval is a half-open time range [From, To).
type Interval struct{ From, To time.Time }

// Source answers fetches. Fetcher is the API-backed one; a checkpoint-fed local store is another.
type Source interface {
	Fetch(ctx context.Context, r Request) (Result, error)
}

// ErrBudget is wrapped by the error of a fetch that stopped at its request budget.
var ErrBudget = errors.New("request budget reached")

// ErrTooManyTies is wrapped by the error of a fetch that met more events at one millisecond than
// one Auth0 search can page through. It is a limit of Auth0's search, not a fault of the plugin,
// and retrying does not help; a narrower filter does.
var ErrTooManyTies = errors.New("more events share one millisecond than one Auth0 search can page through")

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
