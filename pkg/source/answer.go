package source

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// Events answers a logs or table query: the newest Limit matching events, from the store first
// (it holds the newer part) and on demand only when the store's part had fewer than Limit.
func (r *Router) Events(ctx context.Context, p plan.Plan) (Answer, error) {
	rt, err := r.route(ctx, p)
	if err != nil {
		return Answer{}, err
	}
	ans := Answer{Why: rt.Why, Unreadable: rt.unreadable, Pending: rt.Pending}
	if rt.Store != nil {
		ans.Split = &Split{StoreFrom: rt.Store.From, OnDemand: rt.OnDemand}
		limit := p.Query.Limit
		if p.PluginFilter != nil {
			limit = 0 // the plugin filter decides which events count towards the limit
		}
		err := r.Store.Engine.Scan(ctx, r.Store.Key, store.ScanQuery{Selection: selection(p, *rt.Store), Limit: limit}, func(e *event.Event) error {
			if !ans.keep(p, e) {
				return nil
			}
			ans.Events = append(ans.Events, *e)
			if len(ans.Events) >= p.Query.Limit {
				return errFound
			}
			return nil
		})
		if err != nil && !errors.Is(err, errFound) {
			return ans, err
		}
		ans.StoreEvents = int64(len(ans.Events))
		if len(ans.Events) >= p.Query.Limit {
			return ans, nil
		}
	}
	if rt.OnDemand == nil {
		return ans, nil
	}
	res, err := r.fetchPart(ctx, p, *rt.OnDemand)
	ans.Fetched = res
	ans.keepFetched(p)
	ans.Events = append(ans.Events, ans.Fetched.Events...)
	if len(ans.Events) > p.Query.Limit {
		ans.Events = ans.Events[:p.Query.Limit]
	}
	return ans, err
}

// Cells answers an aggregation: the store's cells for its part, the fetched events' cells for the
// rest. Both use the plan's buckets, so cells of one bucket that straddles the split merge exactly.
func (r *Router) Cells(ctx context.Context, p plan.Plan) (Answer, error) {
	rt, err := r.route(ctx, p)
	if err != nil {
		return Answer{}, err
	}
	group, of := fieldNames(p.Query)
	ans := Answer{Why: rt.Why, Unreadable: rt.unreadable, Pending: rt.Pending}
	if rt.Store != nil {
		ans.Split = &Split{StoreFrom: rt.Store.From, OnDemand: rt.OnDemand}
		var cells []aggregate.Cell
		if p.ReadsEvents() {
			cells, err = r.scanCells(ctx, p, *rt.Store, &ans)
		} else {
			cells, err = r.Store.Engine.Aggregate(ctx, r.Store.Key, store.AggQuery{Selection: selection(p, *rt.Store), Buckets: p.Buckets, Group: group, Of: of})
		}
		if err != nil {
			return ans, err
		}
		for _, c := range cells {
			ans.StoreEvents += c.N
		}
		ans.Cells = cells
	}
	if rt.OnDemand != nil {
		res, err := r.fetchPart(ctx, p, *rt.OnDemand)
		ans.Fetched = res
		ans.keepFetched(p)
		ans.Cells = append(ans.Cells, aggregate.CellsFromEvents(ans.Fetched.Events, p.Buckets, p.Group, p.Of)...)
		if err != nil {
			return ans, err
		}
	}
	return ans, nil
}

// scanCells aggregates the store's part of a plan the SQL cannot: one that filters, groups or counts
// on a field path. It reads the events the store's search selects and keeps what the plugin's
// filter keeps, one at a time.
func (r *Router) scanCells(ctx context.Context, p plan.Plan, iv fetch.Interval, ans *Answer) ([]aggregate.Cell, error) {
	cb := aggregate.NewCellBuilder(p.Buckets, p.Group, p.Of)
	err := r.Store.Engine.Scan(ctx, r.Store.Key, store.ScanQuery{Selection: selection(p, iv)}, func(e *event.Event) error {
		if ans.keep(p, e) {
			cb.Add(e)
		}
		return nil
	})
	return cb.Cells(), err
}

// keep applies the plan's plugin filter to one event and counts what it read and kept.
func (a *Answer) keep(p plan.Plan, e *event.Event) bool {
	if p.PluginFilter == nil {
		return true
	}
	a.PluginRead++
	if !p.Keep(e) {
		return false
	}
	a.PluginKept++
	return true
}

// keepFetched applies the plan's plugin filter to the fetched events; with one, they are put
// newest first, as the parts' events are ORed rather than merged by date.
func (a *Answer) keepFetched(p plan.Plan) {
	if p.PluginFilter == nil {
		return
	}
	var kept []event.Event
	for i := range a.Fetched.Events {
		if a.keep(p, &a.Fetched.Events[i]) {
			kept = append(kept, a.Fetched.Events[i])
		}
	}
	a.FetchedRead += int64(len(a.Fetched.Events))
	a.FetchedKept += int64(len(kept))
	slices.SortStableFunc(kept, func(x, y event.Event) int { return y.Date.Compare(x.Date) })
	a.Fetched.Events = kept
}

// fieldNames are the store's names for what the query groups by and counts: count groups,
// distinct groups and counts one field, top and values rank one field.
func fieldNames(q models.Query) (group, of string) {
	switch q.QueryType {
	case models.QueryTypeCount:
		return q.GroupBy, ""
	case models.QueryTypeDistinct:
		return q.GroupBy, q.DistinctField
	default:
		return "", q.GroupBy
	}
}

// errFound stops a scan once it has what it looked for.
var errFound = errors.New("found")

// Locate finds, for each ranked value, the location of its newest event that has one. The store's
// part of the range is the newer one, so it is asked first: one small indexed scan a value where the
// field is searchable, else one newest-first scan that stops once every value is placed. Values the
// store did not place are looked up in the fetched events, which are newest first.
func (r *Router) Locate(ctx context.Context, p plan.Plan, ans *Answer, values []string) error {
	ans.Locations = map[string]*event.Location{}
	if ans.Split != nil {
		if err := r.locateInStore(ctx, p, ans, values); err != nil {
			return err
		}
	}
	placed := len(ans.Locations) > 0
	at := map[string]time.Time{}
	for i := range ans.Fetched.Events {
		// The fetched parts are ORed, not merged by date, so keep the latest as aggregate.Top does.
		e := &ans.Fetched.Events[i]
		v := p.Of(e)
		if e.Location == nil || !slices.Contains(values, v) {
			continue
		}
		if _, fromStore := at[v]; !fromStore && placed && ans.Locations[v] != nil {
			continue // the store's part is newer
		}
		if last, seen := at[v]; !seen || e.Date.After(last) {
			ans.Locations[v], at[v] = e.Location, e.Date
		}
	}
	return nil
}

func (r *Router) locateInStore(ctx context.Context, p plan.Plan, ans *Answer, values []string) error {
	_, field := fieldNames(p.Query)
	scan := func(filter logquery.Node, done func() bool) error {
		sel := store.Selection{From: ans.Split.StoreFrom, To: p.To, Filter: filter}
		err := r.Store.Engine.Scan(ctx, r.Store.Key, store.ScanQuery{Selection: sel}, func(e *event.Event) error {
			if !p.Keep(e) {
				return nil
			}
			if v := p.Of(e); e.Location != nil && ans.Locations[v] == nil && slices.Contains(values, v) {
				ans.Locations[v] = e.Location
			}
			if done() {
				return errFound
			}
			return nil
		})
		if errors.Is(err, errFound) {
			return nil
		}
		return err
	}
	if !slices.Contains(event.SearchableFields, field) {
		return scan(p.Filter, func() bool { return len(ans.Locations) == len(values) })
	}
	for _, v := range values {
		if err := scan(logquery.And(p.Filter, logquery.FieldIn(field, v)), func() bool { return ans.Locations[v] != nil }); err != nil {
			return err
		}
	}
	return nil
}
