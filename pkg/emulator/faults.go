package emulator

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Faults are switches for reliability tests. Counters are decremented as faults are served, so a
// test sets "the next N requests fail this way" and then watches the client recover. Counted
// faults apply to /api/v2 requests only; the token endpoint has RevokeSecret. When several are
// set, a request meets them in this order: Latency, TooManyRequests, ServerErrors, then (only on a
// response that would have succeeded) ResetConnections, TruncatedBodies, MalformedBodies.
type Faults struct {
	// TooManyRequests serves this many 429s with Auth0's "Global limit has been reached" body.
	TooManyRequests int
	// OmitRateLimitReset leaves x-ratelimit-reset off those 429s, to test a client's fallback wait.
	OmitRateLimitReset bool
	// ServerErrors serves this many 5xx responses, with status ServerErrorStatus.
	ServerErrors int
	// ServerErrorStatus is 500 (the default), 502 or 503.
	ServerErrorStatus int
	// Latency delays every request, the token endpoint included; the delay ends early if the
	// client goes away.
	Latency time.Duration
	// ResetConnections drops the connection after sending the headers and half of this many bodies.
	ResetConnections int
	// TruncatedBodies sends this many 200s whose JSON stops halfway (Content-Length matches it).
	TruncatedBodies int
	// MalformedBodies sends this many 200s whose JSON is syntactically invalid.
	MalformedBodies int
	// ExpireTokens, when set through SetFaults, expires every token issued so far (their next API
	// call gets 401 "Expired token received for JSON Web Token validation"); new tokens work. It is
	// a one-shot action and reads back as false.
	ExpireTokens bool
	// RejectUnknownFrom makes checkpoint mode answer 400 to a from that is not the log_id of an
	// event the tenant holds, while set: a tenant that does not honour synthetic "900"+timestamp
	// ids, so a reader's fallback to the oldest log can be tested.
	RejectUnknownFrom bool
	// RevokeSecret makes the token endpoint refuse the client with 401 access_denied while set.
	// Tokens already issued keep working, as with a rotated secret at Auth0.
	RevokeSecret bool
}

// SetFaults replaces the active fault switches; the zero Faults turns every fault off.
func (s *Server) SetFaults(f Faults) {
	if f.ExpireTokens {
		s.tokens.expireAll()
		f.ExpireTokens = false
	}
	s.faultMu.Lock()
	s.faults = f
	s.faultMu.Unlock()
}

// PendingFaults returns the switches as they stand now, so a test can check which faults were
// served (counters count down).
func (s *Server) PendingFaults() Faults {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.faults
}

// takeFault decrements a counter under the fault lock and reports whether it was positive, with
// the switches as they were at that moment (so a fault's options match the fault served).
func (s *Server) takeFault(counter func(*Faults) *int) (Faults, bool) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	n := counter(&s.faults)
	if *n <= 0 {
		return Faults{}, false
	}
	*n--
	return s.faults, true
}

// delay waits out the Latency fault, or until the client goes away. net/http notices a client
// leaving only once the request body is read, so a body (the token request's form) is read first
// and handed on from memory.
func (s *Server) delay(w http.ResponseWriter, r *http.Request) {
	d := s.PendingFaults().Latency
	if d <= 0 {
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<16))
		if err == nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// serveStatusFault answers with a 429 or 5xx fault if one is pending and reports whether it did.
func (s *Server) serveStatusFault(w http.ResponseWriter) bool {
	if f, ok := s.takeFault(func(f *Faults) *int { return &f.TooManyRequests }); ok {
		s.count(func(st *Stats) { st.TooManyRequests++; st.FaultsServed++ })
		h := w.Header()
		h.Set("x-ratelimit-limit", strconv.Itoa(max(s.opts.RateLimit.Burst, 1)))
		h.Set("x-ratelimit-remaining", "0")
		if !f.OmitRateLimitReset {
			h.Set("x-ratelimit-reset", strconv.FormatInt(s.opts.Now().Add(time.Second).Unix(), 10))
		}
		writeAPIError(w, errTooMany())
		return true
	}
	if f, ok := s.takeFault(func(f *Faults) *int { return &f.ServerErrors }); ok {
		s.count(func(st *Stats) { st.FaultsServed++ })
		status := f.ServerErrorStatus
		if status != http.StatusBadGateway && status != http.StatusServiceUnavailable {
			status = http.StatusInternalServerError
		}
		writeAPIError(w, newAPIError(status, http.StatusText(status), ""))
		return true
	}
	return false
}

// writeSuccess writes a 200 JSON body, breaking it if a body fault is pending.
func (s *Server) writeSuccess(w http.ResponseWriter, body []byte) {
	taken := func(counter func(*Faults) *int) bool { _, ok := s.takeFault(counter); return ok }
	switch {
	case taken(func(f *Faults) *int { return &f.ResetConnections }):
		s.count(func(st *Stats) { st.FaultsServed++ })
		resetMidBody(w, body)
	case taken(func(f *Faults) *int { return &f.TruncatedBodies }):
		s.count(func(st *Stats) { st.FaultsServed++ })
		writeRaw(w, http.StatusOK, body[:len(body)/2])
	case taken(func(f *Faults) *int { return &f.MalformedBodies }):
		s.count(func(st *Stats) { st.FaultsServed++ })
		writeRaw(w, http.StatusOK, malform(body))
	default:
		writeRaw(w, http.StatusOK, body)
	}
}

// malform keeps the body's length and look but breaks its syntax: the first colon becomes a
// semicolon, and a body without one (an empty array) becomes "[,]".
func malform(body []byte) []byte {
	i := bytes.IndexByte(body, ':')
	if i < 0 {
		return []byte("[,]")
	}
	out := bytes.Clone(body)
	out[i] = ';'
	return out
}

// resetMidBody promises the whole body in Content-Length, sends half, then closes the connection,
// which is what a client sees when a proxy or the network drops mid-response: the headers arrive
// and reading the body fails. A plain close rather than an RST keeps that deterministic (an RST can
// overtake the headers, and then Go's transport may silently retry). Without a hijackable
// connection (HTTP/2) it aborts the handler, which also cuts the stream short.
func resetMidBody(w http.ResponseWriter, body []byte) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		abortMidBody(w, body)
		return
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		abortMidBody(w, body)
		return
	}
	defer conn.Close()
	h := w.Header().Clone()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	writeHalfResponse(rw.Writer, h, body)
}

func writeHalfResponse(bw *bufio.Writer, h http.Header, body []byte) {
	fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\n")
	_ = h.Write(bw)
	fmt.Fprintf(bw, "\r\n")
	_, _ = bw.Write(body[:len(body)/2])
	_ = bw.Flush()
}

func abortMidBody(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body[:len(body)/2])
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	panic(http.ErrAbortHandler)
}
