package plugin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/framer"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
	"github.com/seed/auth0logs-datasource/pkg/source"
)

// QueryData answers each query through the mux built with the instance.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	ctx = auth0.WithPriority(ctx, queryPriority(req))
	return d.queries.QueryData(ctx, req)
}

func (d *Datasource) newQueryMux() *datasource.QueryTypeMux {
	mux := datasource.NewQueryTypeMux()
	for _, qt := range models.QueryTypes {
		mux.HandleFunc(string(qt), d.handle)
	}
	// Alert rules and old panels may send no queryType; the model's default applies.
	mux.HandleFunc("", d.handle)
	return mux
}

// handle runs every query of one request. Queries run one after another: they share the
// per-tenant rate limit anyway, and the fetcher joins identical ones.
func (d *Datasource) handle(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	// An alert rule shows no notices, so a query key it misspelt is an error there, never a rule
	// that silently counts every event.
	strict := fromAlert(req)
	for _, q := range req.Queries {
		resp.Responses[q.RefID] = d.query(ctx, q, strict)
	}
	return resp, nil
}

// query is the data path for one query: model -> plan -> fetch -> aggregate -> frames.
func (d *Datasource) query(ctx context.Context, dq backend.DataQuery, strict bool) backend.DataResponse {
	parse := models.ParseQuery
	if strict {
		parse = models.ParseQueryStrict
	}
	qm, err := parse(dq.JSON, dq.QueryType)
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	if qm.QueryType == models.QueryTypeIngestion {
		return d.ingestion(ctx, dq.RefID)
	}
	p, err := plan.Build(qm, plan.Input{From: dq.TimeRange.From, To: dq.TimeRange.To, Interval: dq.Interval, Alert: strict})
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	ans, err := d.read(ctx, p)
	res := ans.Fetched
	notices, err := d.partial(res, err, ans.StoreEvents > 0)
	if err != nil {
		return errorResponse(err)
	}
	cost := res.Cost
	var frames data.Frames
	if p.Query.Baseline != "" {
		frame, histCost, baselineNotices := d.baselineFrame(ctx, p, ans, d.frameOptions(p, ans, dq.RefID))
		frames, notices = data.Frames{frame}, append(notices, baselineNotices...)
		cost.Add(histCost)
	} else if frames, err = d.frames(ctx, p, ans, dq.RefID); err != nil {
		return errorResponse(err)
	}
	notices = append(notices, readNotices(res)...)
	notices = append(notices, d.storeNotices(ans)...)
	notices = append(notices, pluginFilterNotices(p, ans)...)
	for _, n := range p.Notices {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: n})
	}
	framer.ApplyMeta(frames, framer.Meta{ExecutedQueryString: p.ExecutedQuery(), Stats: append(costStats(cost, ans.StoreEvents), pluginStats(p, ans)...), Notices: notices})
	return backend.DataResponse{Frames: frames}
}

// read brings the plan's events or cells from the store where it holds the range, else on demand.
func (d *Datasource) read(ctx context.Context, p plan.Plan) (source.Answer, error) {
	if p.Query.QueryType == models.QueryTypeLogs || p.Query.QueryType == models.QueryTypeTable {
		return d.router.Events(ctx, p)
	}
	return d.router.Cells(ctx, p)
}

// frames aggregates and renders what was read as the query type asks. Aggregations work on
// cells, so the store's answers and fetched events give the same frames.
func (d *Datasource) frames(ctx context.Context, p plan.Plan, ans source.Answer, refID string) (data.Frames, error) {
	o := d.frameOptions(p, ans, refID)
	grouped := p.Group != nil
	switch p.Query.QueryType {
	case models.QueryTypeTable:
		return data.Frames{framer.Table(ans.Events, o)}, nil
	case models.QueryTypeCount:
		return framer.TimeSeries(aggregate.CountCells(ans.Cells, p.Buckets, grouped, p.Query.SeriesLimit(), p.Query.MinCount), p.Buckets, "count", o), nil
	case models.QueryTypeDistinct:
		return framer.TimeSeries(aggregate.DistinctCells(ans.Cells, p.Buckets, grouped, p.Query.SeriesLimit(), p.Query.MinCount), p.Buckets, "distinct", o), nil
	case models.QueryTypeTop:
		entries, total := aggregate.TopCells(ans.Cells, p.Query.Limit)
		values := make([]string, len(entries))
		for i, e := range entries {
			values[i] = e.Value
		}
		if err := d.router.Locate(ctx, p, &ans, values); err != nil {
			return nil, err
		}
		for i := range entries {
			entries[i].Location = ans.Locations[entries[i].Value]
		}
		return data.Frames{framer.Top(entries, total, p.Query.GroupBy, o)}, nil
	case models.QueryTypeValues:
		return data.Frames{framer.Values(aggregate.ValuesCells(ans.Cells, p.Query.Limit))}, nil
	default:
		return data.Frames{framer.Logs(ans.Events, o)}, nil
	}
}

// frameOptions is what the frames of p need besides the numbers.
func (d *Datasource) frameOptions(p plan.Plan, ans source.Answer, refID string) framer.Options {
	o := framer.Options{RefID: refID, DatasourceUID: d.uid, DatasourceName: d.name, LegendFormat: p.Query.LegendFormat, GroupBy: p.Query.GroupBy, Domain: d.settings.Domain}
	if p.Alert { // a notification names the tenant it is about
		o.Tenant = d.settings.Domain
	}
	if m := widest(ans.Fetched.Missing, ans.Unreadable); m != nil {
		o.Missing = &backend.TimeRange{From: m.From, To: m.To}
	}
	return o
}

// partial turns a fetch that stopped early but found events into a warning, so the panel shows
// what there is and says what is missing and why. A fetch that found nothing returns an error
// worded the same way, except for a budget cut, which is a result: the range holds nothing the
// budget reached.
func (d *Datasource) partial(res fetch.Result, err error, fromStore bool) ([]data.Notice, error) {
	if err == nil {
		return nil, nil
	}
	why := d.stopReason(err, res)
	if !errors.Is(err, fetch.ErrBudget) && len(res.Events) == 0 && !fromStore {
		if why == "" {
			return nil, err
		}
		return nil, worded{why, err}
	}
	what := "events"
	if m := res.Missing; m != nil {
		what = fmt.Sprintf("events from %s to %s", m.From.UTC().Format(time.RFC3339), m.To.UTC().Format(time.RFC3339))
	}
	if why == "" {
		why = "Auth0 stopped answering: " + err.Error() + ". Reload the panel to fetch the rest; what was read is cached"
	}
	text := fmt.Sprintf("Partial result: %s are missing%s. %s.", what, gapNote(res), why)
	return []data.Notice{{Severity: data.NoticeSeverityWarning, Text: text, Inspect: data.InspectTypeMeta}}, nil
}

// worded is err said as the notice would say it; it still matches err for errors.Is and As, so
// the status and error source follow the cause.
type worded struct {
	text string
	err  error
}

func (w worded) Error() string { return w.text }
func (w worded) Unwrap() error { return w.err }

// gapNote says how a time series shows the missing range, so nobody reads a gap as a quiet hour.
func gapNote(res fetch.Result) string {
	if res.Missing == nil {
		return ""
	}
	return " (shown as gaps in time series, not as zeros)"
}

// Why a fetch stopped early. Each cause has its own fix, so each gets its own words.
const (
	stopOther = iota
	stopBudget
	stopDataSourceLimit
	stopAuth0Limit
	stopSlow
)

// stopCause classifies err by the limit that stopped the fetch. The requests-per-minute setting
// and Auth0's 429 are told apart by pkg/auth0 (WhichLimit), which alone knows whether a request
// was held back by the data source's own limiter or refused by Auth0.
func stopCause(err error) int {
	switch {
	case errors.Is(err, fetch.ErrBudget):
		return stopBudget
	case auth0.WhichLimit(err) == auth0.LimitDataSource:
		return stopDataSourceLimit
	case auth0.WhichLimit(err) == auth0.LimitAuth0:
		return stopAuth0Limit
	case errors.Is(err, fetch.ErrSlow):
		return stopSlow
	}
	return stopOther
}

// stopReason says which limit stopped the fetch and what fixes it; "" when err is no limit.
func (d *Datasource) stopReason(err error, res fetch.Result) string {
	switch stopCause(err) {
	case stopBudget:
		return fmt.Sprintf("The query reached its budget of %d Auth0 requests (the data source's \"Requests per query\" setting; %d events read): "+
			"narrow the time range, add event-type filters, or raise \"Requests per query\"", d.settings.RequestsPerQuery, len(res.Events))
	case stopDataSourceLimit, stopAuth0Limit:
		// pkg/auth0's LimitError names the limit and its fix; a bare 429 says "rate limit".
		text := "Stopped by a rate limit: " + strings.TrimSuffix(err.Error(), ".")
		if len(res.Events) > 0 {
			text += ". What was read is cached, so a later run reads only the rest"
		}
		return text
	case stopSlow:
		back := "nothing was read"
		if m := res.Missing; m != nil && len(res.Events) > 0 {
			back = "read back to " + m.To.UTC().Format(time.RFC3339)
		}
		return "Auth0 answered slowly: " + back + " before the query's deadline, and the query timed out there. " +
			"The read goes on in the background and is cached: run the query again in a moment, or narrow the time range. " +
			"If it keeps happening and \"Requests per minute\" is low, requests may be waiting for it"
	}
	return ""
}

// readNotices says what the fetch read but could not count exactly.
func readNotices(res fetch.Result) []data.Notice {
	var out []data.Notice
	warn := func(format string, args ...any) {
		out = append(out, data.Notice{Severity: data.NoticeSeverityWarning, Inspect: data.InspectTypeMeta, Text: fmt.Sprintf(format, args...)})
	}
	if n := res.Cost.Unreadable; n > 0 {
		warn("%d log events Auth0 sent could not be read and are not counted; the plugin log names the first. Counts here may be low by that much.", n)
	}
	for _, c := range res.Crowded {
		warn("More log events share the instant %s than Auth0's search can list (it lists 1,000): %d of them were read and counted, the rest are not. "+
			"Events before and after that instant are complete. Add event-type or field filters so fewer events match that instant.",
			c.At.UTC().Format(event.DateLayout), c.Read)
	}
	if n := res.Cost.Conflicting; n > 0 {
		warn("%d log events share their log_id with a different event. Each is kept and counted, but Auth0 gives every event its own log_id, "+
			"so these events may come from sample or copied data rather than from Auth0.", n)
	}
	return out
}

// pluginFilterNotices say what filtering on field paths cost when Auth0 was read for it: the plugin
// had to read every event the searchable part selects.
func pluginFilterNotices(p plan.Plan, ans source.Answer) []data.Notice {
	if p.PluginFilter == nil || ans.Fetched.Cost.Requests == 0 {
		return nil
	}
	return []data.Notice{{Severity: data.NoticeSeverityInfo, Inspect: data.InspectTypeMeta, Text: fmt.Sprintf(
		"Auth0 cannot search %s, so the plugin read the %d events Auth0's search (%s) returned, in %d requests, and kept %d of them. "+
			"With the tenant log store on and holding this range, this costs no Auth0 request.",
		logquery.Render(p.PluginFilter), ans.FetchedRead, searchedText(p), ans.Fetched.Cost.Requests, ans.FetchedKept)}}
}

// searchedText is the condition Auth0 searched, for messages.
func searchedText(p plan.Plan) string {
	if p.FilterText == "" {
		return "every event in the range"
	}
	return p.FilterText
}

// pluginStats show in the inspector how many events the plugin's filter on field paths judged.
func pluginStats(p plan.Plan, ans source.Answer) []data.QueryStat {
	if p.PluginFilter == nil {
		return nil
	}
	return []data.QueryStat{
		{FieldConfig: data.FieldConfig{DisplayName: "Events judged by the plugin's filter"}, Value: float64(ans.PluginRead)},
		{FieldConfig: data.FieldConfig{DisplayName: "Events the plugin's filter kept"}, Value: float64(ans.PluginKept)},
	}
}

// costStats is what the query inspector shows: what Auth0 cost and where the events came from.
func costStats(c fetch.Cost, fromStore int64) []data.QueryStat {
	stat := func(name string, v int) data.QueryStat {
		return data.QueryStat{FieldConfig: data.FieldConfig{DisplayName: name}, Value: float64(v)}
	}
	return []data.QueryStat{
		stat("Auth0 requests", c.Requests),
		stat("Events", c.Events+int(fromStore)),
		stat("Events from the tenant log store", int(fromStore)),
		stat("Events read from Auth0", c.Events),
		stat("Cache hits", c.CacheHits),
		stat("Joined fetches", c.Joined),
	}
}
