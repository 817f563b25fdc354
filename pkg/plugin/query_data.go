package plugin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/framer"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
)

// QueryData answers each query through the mux built with the instance.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
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
	for _, q := range req.Queries {
		resp.Responses[q.RefID] = d.query(ctx, q)
	}
	return resp, nil
}

// query is the data path for one query: model -> plan -> fetch -> aggregate -> frames.
func (d *Datasource) query(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	qm, err := models.ParseQuery(dq.JSON, dq.QueryType)
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	p, err := plan.Build(qm, plan.Input{From: dq.TimeRange.From, To: dq.TimeRange.To, Interval: dq.Interval})
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	res, err := fetch.FetchParts(ctx, d.source, p.Requests(), int(d.settings.RequestsPerQuery))
	notices, err := d.partial(res, err)
	if err != nil {
		return errorResponse(err)
	}
	frames := d.frames(p, res, dq.RefID)
	if n := res.Cost.Unreadable; n > 0 {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning, Inspect: data.InspectTypeMeta, Text: fmt.Sprintf(
			"%d log events Auth0 sent could not be read and are not counted; the plugin log names the first. Counts here may be low by that much.", n)})
	}
	for _, n := range p.Notices {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: n})
	}
	framer.ApplyMeta(frames, framer.Meta{ExecutedQueryString: p.ExecutedQuery(), Stats: costStats(res.Cost), Notices: notices})
	return backend.DataResponse{Frames: frames}
}

// frames aggregates and renders the fetched events as the query type asks.
func (d *Datasource) frames(p plan.Plan, res fetch.Result, refID string) data.Frames {
	o := framer.Options{RefID: refID, DatasourceUID: d.uid, DatasourceName: d.name, LegendFormat: p.Query.LegendFormat, GroupBy: p.Query.GroupBy}
	switch p.Query.QueryType {
	case models.QueryTypeTable:
		return data.Frames{framer.Table(res.Events, o)}
	case models.QueryTypeCount:
		group := aggregate.Fold(res.Events, p.Group, p.Query.Limit)
		return framer.TimeSeries(aggregate.Count(res.Events, p.Buckets, group), p.Buckets, "count", o)
	case models.QueryTypeDistinct:
		group := aggregate.Fold(res.Events, p.Group, p.Query.Limit)
		return framer.TimeSeries(aggregate.Distinct(res.Events, p.Buckets, group, p.Of), p.Buckets, "distinct", o)
	case models.QueryTypeTop:
		entries, total := aggregate.Top(res.Events, p.Of, p.Query.Limit)
		return data.Frames{framer.Top(entries, total, p.Query.GroupBy, o)}
	case models.QueryTypeValues:
		return data.Frames{framer.Values(aggregate.Values(res.Events, p.Of, p.Query.Limit))}
	default:
		return data.Frames{framer.Logs(res.Events, o)}
	}
}

// partial turns a fetch that stopped early but found events into a warning, so the panel shows
// what there is and says what is missing. A fetch that found nothing returns its error.
func (d *Datasource) partial(res fetch.Result, err error) ([]data.Notice, error) {
	if err == nil {
		return nil, nil
	}
	if !errors.Is(err, fetch.ErrBudget) && len(res.Events) == 0 {
		return nil, err
	}
	what := "events"
	if res.Missing != nil {
		what = fmt.Sprintf("events from %s to %s", res.Missing.From.UTC().Format(time.RFC3339), res.Missing.To.UTC().Format(time.RFC3339))
	}
	text := fmt.Sprintf("Partial result: %s are missing. ", what)
	switch {
	case errors.Is(err, fetch.ErrBudget):
		text += fmt.Sprintf("The query reached its budget of %d Auth0 requests (%d events read). Narrow the time range, add event-type filters, or raise \"Requests per query\" in the data source settings.",
			d.settings.RequestsPerQuery, len(res.Events))
	case errors.Is(err, fetch.ErrTooManyTies):
		text += "Auth0 cannot serve them: " + err.Error() + "."
	default:
		text += "Auth0 stopped answering: " + err.Error() + ". Reload the panel to fetch the rest; what was read is cached."
	}
	return []data.Notice{{Severity: data.NoticeSeverityWarning, Text: text, Inspect: data.InspectTypeMeta}}, nil
}

func costStats(c fetch.Cost) []data.QueryStat {
	stat := func(name string, v int) data.QueryStat {
		return data.QueryStat{FieldConfig: data.FieldConfig{DisplayName: name}, Value: float64(v)}
	}
	return []data.QueryStat{
		stat("Auth0 requests", c.Requests),
		stat("Events", c.Events),
		stat("Cache hits", c.CacheHits),
		stat("Joined fetches", c.Joined),
	}
}
