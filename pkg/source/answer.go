package source

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
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
		err := r.Store.Engine.Scan(ctx, r.Store.Key, store.ScanQuery{Selection: selection(p, *rt.Store), Limit: p.Query.Limit}, func(e *event.Event) error {
			ans.Events = append(ans.Events, *e)
			return nil
		})
		if err != nil {
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
	ans.Events = append(ans.Events, res.Events...)
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
		cells, err := r.Store.Engine.Aggregate(ctx, r.Store.Key, store.AggQuery{Selection: selection(p, *rt.Store), Buckets: p.Buckets, Group: group, Of: of})
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
		ans.Cells = append(ans.Cells, aggregate.CellsFromEvents(res.Events, p.Buckets, p.Group, p.Of)...)
		if err != nil {
			return ans, err
		}
	}
	return ans, nil
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
