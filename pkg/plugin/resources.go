package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
)

// newResourceMux routes the editor's resource calls. None of them calls Auth0: they are free.
func (d *Datasource) newResourceMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /event-types", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, eventtypes.CatalogData())
	})
	mux.HandleFunc("GET /fields", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, fieldsResponse{Searchable: event.SearchableFields, DefaultFields: event.DefaultSearchFields, GroupBy: models.GroupFields, Paths: event.KnownPaths})
	})
	mux.HandleFunc("POST /validate", d.handleValidate)
	d.addStoreResources(mux)
	return mux
}

type fieldsResponse struct {
	Searchable    []string `json:"searchable"`
	DefaultFields []string `json:"defaultFields"`
	GroupBy       []string `json:"groupBy"`
	// Paths are field paths Auth0 does not index that the plugin filters and groups on itself.
	Paths []event.PathDoc `json:"paths"`
}

// validateRequest is the query text and, optionally, the rest of the query and the panel's range
// (epoch milliseconds), so the answer can say what the query will cost.
type validateRequest struct {
	Query         string           `json:"query"`
	QueryType     models.QueryType `json:"queryType"`
	EventTypes    []string         `json:"eventTypes"`
	Categories    []string         `json:"categories"`
	GroupBy       string           `json:"groupBy"`
	DistinctField string           `json:"distinctField"`
	Interval      string           `json:"interval"`
	From          int64            `json:"from"`
	To            int64            `json:"to"`
}

// validatePoints is how many buckets validate assumes a panel asks for when the query sets no
// interval, as Grafana's default of about a thousand points does; the real panel's interval may
// differ, so a range is never refused for its bucket count unless the query's own interval says so.
const validatePoints = 1000

type validateResponse struct {
	Valid    bool           `json:"valid"`
	Rendered string         `json:"rendered,omitempty"`
	Error    *validateError `json:"error,omitempty"`
	// Searched is what Auth0's search (or the store's SQL) evaluates, "" for every event in the
	// range; Filtered what the plugin evaluates on each of those events, "" for nothing.
	Searched string `json:"searched"`
	Filtered string `json:"filtered"`
	// Cost says where the range is read from and what that costs in Auth0 requests.
	Cost string `json:"cost,omitempty"`
}

type validateError struct {
	Message  string `json:"message"`
	Position int    `json:"position"`
	Length   int    `json:"length"`
	// Character is Position as editors count it: Unicode characters from 1, the numbering every
	// message uses. Position and Length stay byte offsets for slicing.
	Character int    `json:"character"`
	Hint      string `json:"hint,omitempty"`
}

// maxValidateBody bounds what the validate resource reads: far more than the longest query.
const maxValidateBody = 64 << 10

// handleValidate lets the editor show a query's mistakes as the user types, and what it will cost,
// at no API cost.
func (d *Datasource) handleValidate(w http.ResponseWriter, r *http.Request) {
	var req validateRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, maxValidateBody+1))
	if err == nil && len(body) > maxValidateBody {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": fmt.Sprintf(
			"the request is over %d KB; a query may be at most %d characters", maxValidateBody>>10, models.MaxQueryLength)})
		return
	}
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `send {"query": "..."} as JSON`})
		return
	}
	if len(req.Query) > models.MaxQueryLength {
		// The same limit as a query's, so the editor never calls valid what the backend refuses.
		writeJSON(w, http.StatusOK, validateResponse{Error: &validateError{Length: len(req.Query), Message: fmt.Sprintf(
			"the query is %d characters long; the limit is %d: split it or use event-type filters", len(req.Query), models.MaxQueryLength)}})
		return
	}
	n, err := logquery.ParsePaths(req.Query)
	if err != nil {
		ve := &validateError{Message: err.Error()}
		var se *logquery.SyntaxError
		if errors.As(err, &se) {
			ve = &validateError{Message: se.Msg, Position: se.Pos, Length: se.Len, Character: se.Char, Hint: se.Hint}
		}
		writeJSON(w, http.StatusOK, validateResponse{Error: ve})
		return
	}
	p, err := req.plan()
	if err != nil {
		writeJSON(w, http.StatusOK, validateResponse{Error: &validateError{Message: err.Error()}})
		return
	}
	resp := validateResponse{Valid: true, Searched: p.FilterText, Cost: d.costText(r.Context(), p)}
	if n != nil {
		resp.Rendered = logquery.Render(n)
	}
	if p.PluginFilter != nil {
		resp.Filtered = logquery.Render(p.PluginFilter)
	}
	writeJSON(w, http.StatusOK, resp)
}

// plan is the request's query planned over its range (the last hour when it gives none).
func (req validateRequest) plan() (plan.Plan, error) {
	q := models.Query{QueryType: req.QueryType, Query: req.Query, EventTypes: req.EventTypes, Categories: req.Categories,
		GroupBy: req.GroupBy, DistinctField: req.DistinctField, Interval: req.Interval}
	q.ApplyDefaults()
	if err := q.Validate(); err != nil {
		return plan.Plan{}, err
	}
	to := time.Now()
	from := to.Add(-time.Hour)
	if req.From > 0 && req.To > req.From {
		from, to = time.UnixMilli(req.From), time.UnixMilli(req.To)
	}
	return plan.Build(q, plan.Input{From: from, To: to, Interval: max(time.Minute, to.Sub(from)/validatePoints)})
}

// costText says, before a query runs, where its range is read from and what Auth0 requests that
// costs; with a plugin filter, that the plugin reads every event the searched part selects.
func (d *Datasource) costText(ctx context.Context, p plan.Plan) string {
	rt, unreadable, err := d.router.Where(ctx, p.From, p.To)
	if err != nil {
		return "Where this range is read from is not known: " + err.Error()
	}
	var parts []string
	if rt.Store != nil {
		parts = append(parts, fmt.Sprintf("The tenant log store answers from %s at no Auth0 cost.", rt.Store.From.UTC().Format(time.RFC3339)))
	}
	if iv := rt.OnDemand; iv != nil {
		what := "every event matching " + searchedText(p)
		if p.FilterText == "" {
			what = "every event"
		}
		s := fmt.Sprintf("From %s to %s Auth0 is read on demand: one request per 100 of %s there, at most %d requests for this query",
			iv.From.UTC().Format(time.RFC3339), iv.To.UTC().Format(time.RFC3339), what, d.router.Budget)
		if p.PluginFilter != nil {
			s += ", which the plugin then filters"
		}
		parts = append(parts, s+".")
	}
	if unreadable != nil {
		parts = append(parts, fmt.Sprintf("Before %s neither the store nor Auth0 holds events.", unreadable.To.UTC().Format(time.RFC3339)))
	}
	return strings.Join(parts, " ")
}

// writeJSON sets the content type before the status, which would otherwise freeze the headers.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
