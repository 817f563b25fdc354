package emulator

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// indexedFunc reports whether an event is already served, given IndexDelay and Live, fixed at
// request time. Checkpoint mode stops at the first event it rejects.
func (s *Server) indexedFunc() func(*event.Event) bool {
	arrived := s.arrivedFunc()
	if s.opts.IndexDelay <= 0 {
		return arrived
	}
	cutoff := s.opts.Now().Add(-s.opts.IndexDelay)
	return func(e *event.Event) bool { return !e.Date.After(cutoff) && arrived(e) }
}

// visibleFunc reports whether search and the single-log endpoints serve an event: indexed, and
// not yet dropped by Retention.
func (s *Server) visibleFunc() func(*event.Event) bool {
	indexed, held := s.indexedFunc(), s.heldFunc()
	return func(e *event.Event) bool { return indexed(e) && held(e) }
}

// handleSearch is GET /api/v2/logs without from: q, paging, sort, projection, totals.
func (s *Server) handleSearch(_ http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
	v := r.URL.Query()
	p, apiErr := parseSearch(v, true)
	if apiErr != nil {
		return nil, apiErr
	}
	visible := s.visibleFunc()
	keep := visible
	// A blank q matches everything, so a plugged-in Filter never has to special-case it.
	if q := v.Get("q"); strings.TrimSpace(q) != "" {
		match, err := s.opts.Filter(q)
		if err != nil {
			return nil, newAPIError(400, "The search query string has an error: "+err.Error(), "invalid_query_string")
		}
		keep = func(e *event.Event) bool { return visible(e) && match(e) }
	}
	page := s.store.search(keep, p.order, p.page*p.perPage, p.perPage)
	var proj *projection
	if p.fields != nil {
		proj = &projection{names: p.fields, include: p.include}
	}
	return s.encode(page, proj, p)
}

func (s *Server) encode(page []*event.Event, proj *projection, p searchParams) ([]byte, *apiError) {
	body, err := encodeLogs(page, proj, p.totals, p.page*p.perPage, p.perPage)
	if err != nil {
		return nil, newAPIError(500, "emulator could not encode the logs: "+err.Error(), "")
	}
	return body, nil
}

// handleCheckpoint is GET /api/v2/logs with from: the take next log_ids after from, ascending.
// Every other parameter, q included, is ignored as by Auth0. from need not be a stored id: ids
// compare as strings, so a synthetic "900"+timestamp id starts at that time.
func (s *Server) handleCheckpoint(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
	v := r.URL.Query()
	take, apiErr := parseTake(v)
	if apiErr != nil {
		return nil, apiErr
	}
	from := v.Get("from")
	if from != "" && s.PendingFaults().RejectUnknownFrom {
		if _, ok := s.store.get(from); !ok {
			return nil, newAPIError(400, "Query validation error: 'from' must be the log_id of an existing log", "invalid_query_string")
		}
	}
	page := s.store.after(from, take, s.indexedFunc(), s.heldFunc())
	w.Header().Set("Link", "<"+nextURL(r, page, take)+`>; rel="next"`)
	body, err := encodeLogs(page, nil, false, 0, 0)
	if err != nil {
		return nil, newAPIError(500, "emulator could not encode the logs: "+err.Error(), "")
	}
	return body, nil
}

// nextURL points after the last log of the page; an empty page's next link is the request itself,
// so a poller keeps asking the same question until newer logs arrive.
func nextURL(r *http.Request, page []*event.Event, take int) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.Host
	if len(page) == 0 {
		return base + r.URL.RequestURI()
	}
	q := url.Values{"from": {page[len(page)-1].LogID}, "take": {strconv.Itoa(take)}}
	return base + r.URL.Path + "?" + q.Encode()
}

// handleLog is GET /api/v2/logs/{id}.
func (s *Server) handleLog(id string) ([]byte, *apiError) {
	e, ok := s.store.get(id)
	if !ok || !s.visibleFunc()(e) {
		return nil, errLogNotFound()
	}
	var buf bytes.Buffer
	if err := encodeEvent(&buf, e, nil); err != nil {
		return nil, newAPIError(500, "emulator could not encode the log: "+err.Error(), "")
	}
	return buf.Bytes(), nil
}

// handleUserLogs is GET /api/v2/users/{id}/logs: the user's logs with paging, sort and totals but
// no q and no projection, under the same 1,000-result cap.
func (s *Server) handleUserLogs(r *http.Request, userID string) ([]byte, *apiError) {
	p, apiErr := parseSearch(r.URL.Query(), false)
	if apiErr != nil {
		return nil, apiErr
	}
	visible := s.visibleFunc()
	keep := func(e *event.Event) bool { return e.UserID == userID && visible(e) }
	page := s.store.search(keep, p.order, p.page*p.perPage, p.perPage)
	return s.encode(page, nil, p)
}
