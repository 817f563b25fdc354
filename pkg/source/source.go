package source

import (
	"context"
	"fmt"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/plan"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// Tenant is one tenant's view of the store: the engine, the tenant's key in it, and how far the
// newest complete stretch may trail the clock while the tail still counts as caught up (its poll
// interval plus a margin): a query ending "now" is answered from the store while the tail polls.
type Tenant struct {
	Engine store.Engine
	Key    string
	Slack  time.Duration
	Now    func() time.Time
	// Auth0From, when set, says since when Auth0 still holds the tenant's logs, as the tail
	// learned it (zero: not known). What the store lacks before then cannot be read on demand
	// either, so it is reported as missing instead of being asked for.
	Auth0From func() time.Time
}

// Router answers planned queries from the store where it holds the range and on demand elsewhere.
type Router struct {
	// Fetch is the on-demand source; it is always there.
	Fetch fetch.Source
	// Store is nil when the data source has the store off.
	Store *Tenant
	// Budget is the most Auth0 requests one query's on-demand part may spend (0: none).
	Budget int
}

// Answer is what a query read, in the form its type needs, and where it came from.
type Answer struct {
	// Events are set for logs and tables: newest first, at most the query's limit.
	Events []event.Event
	// Cells are set for aggregations: store cells and cells of fetched events, over disjoint ranges.
	Cells []aggregate.Cell
	// Locations are the newest location of each top value, for top queries.
	Locations map[string]*event.Location
	// Fetched is what the on-demand part cost and found; zero when the store answered it all.
	Fetched fetch.Result
	// StoreEvents counts the events the store answered from.
	StoreEvents int64
	// Split says which part came from where, when the store answered any of it.
	Split *Split
	// Why says what the store lacked when any part was read on demand with the store on.
	Why string
	// Unreadable is the part neither the store nor Auth0 holds (older than Auth0's retention and
	// never stored): a gap, not zero.
	Unreadable *fetch.Interval
	// Pending is the newest part the tail has not read yet (see Route.Pending).
	Pending *fetch.Interval
	// PluginRead and PluginKept count the events the plan's plugin filter judged and kept, from
	// the store and from Auth0; FetchedRead and FetchedKept the part of them read from Auth0.
	// All 0 without one.
	PluginRead, PluginKept   int64
	FetchedRead, FetchedKept int64
}

// Split is the range the store answered, [StoreFrom, To), and the part before it read on demand.
type Split struct {
	StoreFrom time.Time
	// OnDemand is the older part read from Auth0, nil when the store held the whole range.
	OnDemand *fetch.Interval
}

// Route is the decision for one range: which part the store holds.
type Route struct {
	// Store is the part the store answers, nil for none.
	Store *fetch.Interval
	// Pending is the newest part of Store the caught-up tail has not read yet: events in it show
	// up at the next poll, as they would after Auth0's own indexing delay. Said, never hidden.
	Pending *fetch.Interval
	// OnDemand is the part read from Auth0, nil for none.
	OnDemand *fetch.Interval
	// Why says, for a query that goes on demand in part or whole, what the store lacks.
	Why string
}

// Decide splits [from, to) between the store and on-demand reads. The store answers a range when
// one stretch holds it, treating the last stretch as reaching "now" while the tail is within Slack
// of it; when the newest stretch starts inside the range, the older part goes on demand. Anything
// else (the newest part not held, a hole inside the range) goes on demand whole: exact beats cheap.
func (t *Tenant) Decide(st store.State, from, to time.Time) Route {
	whole := &fetch.Interval{From: from, To: to}
	if len(st.Segments) == 0 {
		return Route{OnDemand: whole, Why: "the tenant log store holds nothing yet: its tail is starting"}
	}
	last := st.Segments[len(st.Segments)-1]
	reach := last.To
	if t.Now().Sub(last.To) <= t.Slack {
		reach = t.Now().Add(time.Minute) // caught up: the tail reads what arrives
	}
	for _, s := range st.Segments[:len(st.Segments)-1] {
		if !from.Before(s.From) && !to.After(s.To) {
			return Route{Store: whole}
		}
	}
	if to.After(reach) {
		return Route{OnDemand: whole, Why: fmt.Sprintf("the tenant log store's tail is behind: it holds events up to %s", last.To.UTC().Format(time.RFC3339))}
	}
	var pending *fetch.Interval
	if to.After(last.To) {
		pending = &fetch.Interval{From: last.To, To: to}
	}
	if !from.Before(last.From) {
		return Route{Store: whole, Pending: pending}
	}
	if !to.After(last.From) {
		return Route{OnDemand: whole, Why: fmt.Sprintf("the tenant log store holds events from %s on", last.From.UTC().Format(time.RFC3339))}
	}
	return Route{
		Store:    &fetch.Interval{From: last.From, To: to},
		Pending:  pending,
		OnDemand: &fetch.Interval{From: from, To: last.From},
		Why:      fmt.Sprintf("the tenant log store holds events from %s on", last.From.UTC().Format(time.RFC3339)),
	}
}

// routed is a Route with the part Auth0 no longer holds taken out of OnDemand.
type routed struct {
	Route
	unreadable *fetch.Interval
}

// route reads the store's state and decides; with the store off everything goes on demand.
func (r *Router) route(ctx context.Context, p plan.Plan) (routed, error) {
	if r.Store == nil {
		return routed{Route: Route{OnDemand: &fetch.Interval{From: p.From, To: p.To}}}, nil
	}
	st, err := r.Store.Engine.State(ctx, r.Store.Key)
	if err != nil {
		return routed{}, fmt.Errorf("cannot read the tenant log store's state: %w", err)
	}
	rt := routed{Route: r.Store.Decide(st, p.From, p.To)}
	if rt.OnDemand == nil || r.Store.Auth0From == nil {
		return rt, nil
	}
	held := r.Store.Auth0From()
	switch {
	case held.IsZero() || !rt.OnDemand.From.Before(held):
	case !rt.OnDemand.To.After(held):
		rt.unreadable, rt.OnDemand = rt.OnDemand, nil
	default:
		rt.unreadable = &fetch.Interval{From: rt.OnDemand.From, To: held}
		rt.OnDemand = &fetch.Interval{From: held, To: rt.OnDemand.To}
	}
	return rt, nil
}

// Where says, without reading any event, which part of [from, to) the store would answer, which
// part would be read on demand, and which part neither holds: what the editor tells a user a query
// will cost before it runs.
func (r *Router) Where(ctx context.Context, from, to time.Time) (rt Route, unreadable *fetch.Interval, err error) {
	d, err := r.route(ctx, plan.Plan{From: from, To: to})
	return d.Route, d.unreadable, err
}

// fetchPart reads [iv.From, iv.To) of the plan on demand.
func (r *Router) fetchPart(ctx context.Context, p plan.Plan, iv fetch.Interval) (fetch.Result, error) {
	sub := p
	sub.From, sub.To = iv.From, iv.To
	return fetch.FetchParts(ctx, r.Fetch, sub.Requests(), r.Budget)
}

func selection(p plan.Plan, iv fetch.Interval) store.Selection {
	return store.Selection{From: iv.From, To: iv.To, Filter: p.Filter}
}
