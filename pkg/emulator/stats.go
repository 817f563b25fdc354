package emulator

import "maps"

// Endpoint names a route in Stats, so tests can assert how a client used the API (e.g. that it
// paged by checkpoint, or fetched one token for many calls).
type Endpoint string

// The endpoints Stats counts requests for.
const (
	EndpointToken      Endpoint = "POST /oauth/token"
	EndpointLogs       Endpoint = "GET /api/v2/logs"            // search mode
	EndpointCheckpoint Endpoint = "GET /api/v2/logs?from="      // checkpoint mode
	EndpointLog        Endpoint = "GET /api/v2/logs/{id}"       // one log
	EndpointUserLogs   Endpoint = "GET /api/v2/users/{id}/logs" // a user's logs
	EndpointOther      Endpoint = "other"                       // 404s and 414s
)

// Stats counts what the server has served since it started or since ResetStats.
type Stats struct {
	// Requests counts every request by endpoint, including ones answered with an error or fault.
	Requests map[Endpoint]int
	// TooManyRequests counts 429s, from the rate limit and from the fault switch alike.
	TooManyRequests int
	// TokensIssued counts successful token requests.
	TokensIssued int
	// FaultsServed counts responses altered by a Faults switch (latency excluded).
	FaultsServed int
}

func (st *Stats) addRequest(ep Endpoint) {
	if st.Requests == nil {
		st.Requests = map[Endpoint]int{}
	}
	st.Requests[ep]++
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.statMu.Lock()
	defer s.statMu.Unlock()
	out := s.stats
	out.Requests = maps.Clone(s.stats.Requests)
	if out.Requests == nil {
		out.Requests = map[Endpoint]int{}
	}
	return out
}

// ResetStats zeroes the counters, e.g. between the phases of a test.
func (s *Server) ResetStats() {
	s.statMu.Lock()
	defer s.statMu.Unlock()
	s.stats = Stats{}
}

func (s *Server) count(update func(*Stats)) {
	s.statMu.Lock()
	defer s.statMu.Unlock()
	update(&s.stats)
}
