package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// maxURILength is the request-target size above which the API answers 414.
const maxURILength = 8 << 10

// Server is one emulated tenant. It implements http.Handler, so it runs under httptest.Server in
// tests or under ListenAndServe for the demo. All methods are safe for concurrent use.
type Server struct {
	opts    Options
	store   *store
	limiter *bucket // nil when rate limiting is off
	tokens  tokenStore

	faultMu sync.Mutex
	faults  Faults

	statMu sync.Mutex
	stats  Stats
}

// New builds a tenant holding events, which may come in any order: they are served by log_id, the
// checkpoint order. The events are copied, so the caller may reuse the slice.
func New(opts Options, events []event.Event) *Server {
	opts = opts.withDefaults()
	s := &Server{opts: opts, store: newStore(events), limiter: newBucket(opts.RateLimit, opts.Now())}
	if opts.Faults != nil {
		s.SetFaults(*opts.Faults)
	}
	return s
}

// Add appends events to a live tenant; later requests see them (subject to IndexDelay).
func (s *Server) Add(events ...event.Event) { s.store.add(events) }

// Len reports how many events the tenant holds, visible or not.
func (s *Server) Len() int { return s.store.len() }

// ServeHTTP routes a request to the token endpoint or one of the log endpoints. Anything else is
// a JSON 404, as from the real API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(r.RequestURI) > maxURILength {
		s.count(func(st *Stats) { st.addRequest(EndpointOther) })
		writeAPIError(w, errURITooLong())
		return
	}
	s.delay(w, r)
	ep, id := route(r)
	s.count(func(st *Stats) { st.addRequest(ep) })
	switch ep {
	case EndpointToken:
		s.handleToken(w, r)
	case EndpointLogs:
		s.serveAPI(w, r, s.handleSearch)
	case EndpointCheckpoint:
		s.serveAPI(w, r, s.handleCheckpoint)
	case EndpointLog:
		s.serveAPI(w, r, func(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
			return s.handleLog(id)
		})
	case EndpointUserLogs:
		s.serveAPI(w, r, func(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
			return s.handleUserLogs(r, id)
		})
	default:
		writeAPIError(w, errRouteNotFound())
	}
}

// route names the endpoint of a request and extracts the path id, unescaped per segment so ids
// like "auth0|123" (sent as auth0%7C123) and ids with an encoded slash both survive.
func route(r *http.Request) (Endpoint, string) {
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	switch {
	case r.Method == http.MethodPost && len(segs) == 2 && segs[0] == "oauth" && segs[1] == "token":
		return EndpointToken, ""
	case r.Method != http.MethodGet || len(segs) < 3 || segs[0] != "api" || segs[1] != "v2":
		return EndpointOther, ""
	}
	rest := segs[2:]
	switch {
	case len(rest) == 1 && rest[0] == "logs":
		// take alone is read as checkpoint mode from the oldest log: the client omits an empty
		// from, and search mode has no take.
		if q := r.URL.Query(); q.Has("from") || q.Has("take") {
			return EndpointCheckpoint, ""
		}
		return EndpointLogs, ""
	case len(rest) == 2 && rest[0] == "logs" && rest[1] != "":
		if id, err := url.PathUnescape(rest[1]); err == nil {
			return EndpointLog, id
		}
	case len(rest) == 3 && rest[0] == "users" && rest[1] != "" && rest[2] == "logs":
		if id, err := url.PathUnescape(rest[1]); err == nil {
			return EndpointUserLogs, id
		}
	}
	return EndpointOther, ""
}

// apiHandler computes a successful body (and may set headers such as Link) or an API error.
type apiHandler func(w http.ResponseWriter, r *http.Request) ([]byte, *apiError)

// serveAPI runs what every Management API request goes through: status faults, the rate limit,
// the bearer token, then the handler, whose success may still meet a body fault.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, h apiHandler) {
	if s.serveStatusFault(w) {
		return
	}
	if s.limiter != nil && !s.limiter.take(s.opts.Now(), w.Header()) {
		s.count(func(st *Stats) { st.TooManyRequests++ })
		writeAPIError(w, errTooMany())
		return
	}
	if err := s.authorize(r); err != nil {
		writeAPIError(w, err)
		return
	}
	body, err := h(w, r)
	if err != nil {
		writeAPIError(w, err)
		return
	}
	s.writeSuccess(w, body)
}
