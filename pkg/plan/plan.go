package plan

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/models"
)

// Plan is one query, ready to fetch, filter and aggregate.
type Plan struct {
	Query    models.Query
	From, To time.Time
	// Filter is the condition Auth0's search (or the store's SQL) evaluates, without the time
	// range; nil matches every event.
	Filter logquery.Node
	// FilterText is Filter rendered canonically: the fetch key, so equal filters share a fetch.
	FilterText string
	// PluginFilter is the part of the condition that names field paths Auth0 does not index
	// (details.*, security_context.*...): the plugin evaluates it, with PluginMatcher, on the
	// events Filter selects. nil when there is none.
	PluginFilter  logquery.Node
	PluginMatcher *logquery.Matcher
	// Matcher is the whole condition, Filter and PluginFilter: what an event must satisfy.
	Matcher *logquery.Matcher
	// Parts are the filters actually fetched, their results ORed: one a type when an aggregation
	// names a few types, so panels asking for overlapping type sets share each type's fetch and
	// cache (the anomaly dashboard asks for fu in three panels), else just FilterText.
	Parts []string
	// Buckets, Group and Of are set for the query types that aggregate.
	Buckets aggregate.Buckets
	Group   aggregate.Key
	Of      aggregate.Key
	// Notices are things the user should know that do not stop the query.
	Notices []string
	// Alert is set when Grafana's alerting engine sent the query: its series then carry the tenant
	// as a label, and Query.KeepAllGroups is on.
	Alert bool
}

// Input is what Grafana says about a query besides its JSON.
type Input struct {
	From, To time.Time
	// Interval is Grafana's suggested interval for the panel.
	Interval time.Duration
	// Alert says the query comes from an alert rule. A rule fires per series, so folding groups
	// into "(other)" would hide which IP or user crossed the threshold: every group is kept.
	Alert bool
}

var codeRe = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// Build checks the query and makes its plan. Its errors are the user's to fix.
func Build(q models.Query, in Input) (Plan, error) {
	p := Plan{Query: q, From: in.From.UTC(), To: in.To.UTC(), Alert: in.Alert}
	if in.Alert {
		p.Query.KeepAllGroups = true
	}
	for _, u := range q.Unknown {
		p.Notices = append(p.Notices, u.Message())
	}
	if !p.From.Before(p.To) {
		return p, fmt.Errorf("the time range is empty: pick a range that ends after it starts")
	}
	whole, err := logquery.ParsePaths(q.Query)
	if err != nil {
		return p, err
	}
	p.noteUnknownCodes(whole)
	user, plugin := logquery.Split(whole)
	explicit, err := p.eventCodes(q.EventTypes)
	if err != nil {
		return p, err
	}
	fromCategories, err := eventtypes.ExpandCategories(q.Categories)
	if err != nil {
		return p, err
	}
	codes := sortedUnique(append(slices.Clone(explicit), fromCategories...))
	var types logquery.Node
	if len(codes) > 0 {
		types = logquery.FieldIn("type", codes...)
	}
	p.Filter = logquery.And(user, types)
	if p.Filter != nil {
		p.FilterText = logquery.Render(p.Filter)
	}
	p.Parts = p.parts(user, explicit, fromCategories)
	if p.Matcher, err = logquery.CompilePaths(logquery.And(p.Filter, plugin)); err != nil {
		return p, err
	}
	if plugin != nil {
		p.PluginFilter = plugin
		if p.PluginMatcher, err = logquery.CompilePaths(plugin); err != nil {
			return p, err
		}
	}
	if err := p.aggregation(q, in); err != nil {
		return p, err
	}
	return p, nil
}

// eventCodes checks the event types a query names and returns them sorted and unique.
func (p *Plan) eventCodes(types []string) ([]string, error) {
	for _, c := range types {
		if !codeRe.MatchString(c) {
			return nil, fmt.Errorf("event type %q is not an Auth0 event code: codes are lower case letters, digits and _, e.g. fu, limit_wc", c)
		}
		if !eventtypes.Known(c) {
			p.Notices = append(p.Notices, unknownCodeNotice(c))
		}
	}
	return sortedUnique(slices.Clone(types)), nil
}

// parts splits an aggregation over a few named event types into one fetch a type, so panels that
// name overlapping sets (the anomaly dashboard names fu in three panels) share each type's fetch
// and cache. The codes a category adds beyond them stay one fetch: a category is many rare codes,
// and each part costs a request even when empty.
func (p *Plan) parts(user logquery.Node, explicit, fromCategories []string) []string {
	if !aggregates(p.Query.QueryType) || len(explicit) > maxSplitTypes || len(explicit)+len(fromCategories) < 2 {
		return []string{p.FilterText}
	}
	var parts []string
	for _, c := range explicit {
		parts = append(parts, logquery.Render(logquery.And(user, logquery.FieldIn("type", c))))
	}
	var rest []string
	for _, c := range fromCategories {
		if !slices.Contains(explicit, c) {
			rest = append(rest, c)
		}
	}
	if rest = sortedUnique(rest); len(rest) > 0 {
		parts = append(parts, logquery.Render(logquery.And(user, logquery.FieldIn("type", rest...))))
	}
	return parts
}

func sortedUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// maxSplitTypes bounds the per-type split: each part costs at least one request even when empty,
// so a long list (a whole category) is cheaper fetched as one filter.
const maxSplitTypes = 12

func aggregates(t models.QueryType) bool {
	return t != models.QueryTypeLogs && t != models.QueryTypeTable
}

// maxBuckets keeps a series within what a panel can draw and the plugin can hold.
const maxBuckets = 20_000

func (p *Plan) aggregation(q models.Query, in Input) error {
	var err error
	switch q.QueryType {
	case models.QueryTypeCount, models.QueryTypeDistinct:
		step := in.Interval
		if q.Interval != "" {
			if step, err = models.ParseInterval(q.Interval); err != nil {
				return err
			}
		}
		if step < time.Second {
			step = time.Minute
		}
		if q.Baseline != "" {
			step = p.baselineStep(step)
		}
		p.Buckets = aggregate.NewBuckets(p.From, p.To, step)
		if p.Buckets.N > maxBuckets {
			min := p.To.Sub(p.From) / maxBuckets
			return fmt.Errorf("the interval %s over this range gives %d buckets; use an interval of at least %s", step, p.Buckets.N, min.Round(time.Second)+time.Second)
		}
		if q.GroupBy != "" {
			if p.Group, err = aggregate.KeyFor(q.GroupBy); err != nil {
				return err
			}
		}
		if q.QueryType == models.QueryTypeDistinct {
			p.Of, err = aggregate.KeyFor(q.DistinctField)
		}
	case models.QueryTypeTop, models.QueryTypeValues:
		p.Of, err = aggregate.KeyFor(q.GroupBy)
	}
	return err
}

// dayDivisors are the bucket widths a baseline can compare from day to day, shortest first.
var dayDivisors = []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
	20 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour, 4 * time.Hour, 6 * time.Hour,
	8 * time.Hour, 12 * time.Hour, 24 * time.Hour}

// baselineStep widens step to the next width that divides a day, so each bucket has the same
// bucket on earlier days and weeks to be compared with, and says so when it changes it.
func (p *Plan) baselineStep(step time.Duration) time.Duration {
	for _, d := range dayDivisors {
		if d >= step {
			if d != step {
				p.Notices = append(p.Notices, fmt.Sprintf("The interval is %s rather than %s: a baseline compares each bucket with the same bucket on earlier days, so its width must divide a day.", d, step))
			}
			return d
		}
	}
	p.Notices = append(p.Notices, fmt.Sprintf("The interval is 1d rather than %s: a baseline compares each bucket with the same bucket on earlier days, so its width must divide a day.", step))
	return dayDivisors[len(dayDivisors)-1]
}

// History is the plan of the lookback days before p's first bucket, on the same bucket grid and
// filter: what a baseline compares p's buckets with. It has no notices of its own.
func (p Plan) History(lookback time.Duration) Plan {
	h := p
	h.To = p.Buckets.Start
	h.From = h.To.Add(-lookback)
	h.Buckets = aggregate.NewBuckets(h.From, h.To, p.Buckets.Step)
	h.Notices = nil
	return h
}

// MaxBuckets is how many buckets one read may have, history included.
const MaxBuckets = maxBuckets

// ReadsEvents reports whether the store's part must be read as events, not aggregated in SQL: the
// plugin filters on a field path, or groups or counts by one.
func (p Plan) ReadsEvents() bool {
	group, of := p.Query.GroupBy, p.Query.DistinctField
	if p.Query.QueryType != models.QueryTypeDistinct {
		of = ""
	}
	if p.Query.QueryType == models.QueryTypeLogs || p.Query.QueryType == models.QueryTypeTable {
		group = ""
	}
	return p.PluginFilter != nil || group != "" && !aggregate.Stored(group) || of != "" && !aggregate.Stored(of)
}

// Keep reports whether e passes the part of the condition the plugin evaluates.
func (p Plan) Keep(e *event.Event) bool { return p.PluginMatcher.Match(e) }

// Requests are the fetches this plan needs, one a part; the plugin ORs their events.
func (p Plan) Requests() []fetch.Request {
	out := make([]fetch.Request, len(p.Parts))
	for i, part := range p.Parts {
		out[i] = fetch.Request{Filter: part, From: p.From, To: p.To}
		// With a plugin filter the newest events Auth0 finds need not pass it: read the range.
		if !aggregates(p.Query.QueryType) && p.PluginFilter == nil {
			out[i].Mode, out[i].Limit = fetch.Latest, p.Query.Limit
		}
	}
	return out
}

// ExecutedQuery is the q the plan sends to Auth0, shown in the query inspector, and what the
// plugin filters on itself.
func (p Plan) ExecutedQuery() string {
	q := logquery.Compose(p.Filter, p.From, p.To)
	if p.PluginFilter != nil {
		q += "\nthen kept by the plugin when: " + logquery.Render(p.PluginFilter)
	}
	return q
}
