package auth0

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// What a request was doing when it failed; the same status means different things per step.
const (
	opToken  = "token"
	opAPI    = "api"
	opParams = "params"
	opDecode = "decode"
)

// Error is a failed call with Auth0's own reason and an actionable message. Downstream is true
// when the fault lies with the user's settings or query, or with Auth0 or the network; false only
// for a mistake in the plugin itself (such as paging parameters Auth0 would refuse).
type Error struct {
	// Status is the HTTP status; 0 when no answer came or the call was refused before sending.
	Status int
	// ErrorText is Auth0's "error" member (e.g. "Forbidden", "access_denied").
	ErrorText string
	// Message is Auth0's "message" (or "error_description") or, without an answer, the cause.
	Message string
	// ErrorCode is Auth0's "errorCode" (e.g. "insufficient_scope"), often absent.
	ErrorCode  string
	Downstream bool

	op      string
	path    string    // the endpoint, without query, for messages
	host    string    // set for transport errors
	reset   time.Time // when a 429's bucket refills, if Auth0 said
	retries int       // how many retries preceded this error
	dns     bool      // the host name does not resolve
	blocked bool      // the address is one the client never connects to
	// redirectTo is the scheme and host a 3xx answer pointed at; the client follows no redirect.
	redirectTo string
	cause      error
}

// Error says what went wrong and what to change. It never includes the secret or a token: the
// client scrubs both from every text it stores.
func (e *Error) Error() string {
	said := e.auth0Said()
	switch {
	case e.op == opParams || e.op == opDecode:
		return e.Message
	case e.blocked:
		return fmt.Sprintf("refused to connect to %s (%s): Auth0 is never at such an address; check the domain and the API base URL in the data source settings", e.host, e.Message)
	case e.redirectTo != "":
		return e.redirectText()
	case e.dns:
		return fmt.Sprintf("cannot resolve the Auth0 domain %q: check the domain in the data source settings (e.g. acme.eu.auth0.com)", e.host)
	case e.Status == 0:
		return fmt.Sprintf("cannot reach Auth0 at %s (%s)%s: check the domain, the API base URL and the network or proxy", e.host, e.Message, e.afterRetries())
	case e.op == opToken && e.Status == http.StatusUnauthorized:
		return "Auth0 rejected the client credentials" + said + ": check the client ID and client secret in the data source settings; they must belong to a machine-to-machine application of this tenant"
	case e.op == opToken && e.Status == http.StatusForbidden:
		msg := "the application is not authorised for the Auth0 Management API: in Auth0 Dashboard > Applications > APIs > Auth0 Management API, authorise it on the Machine to Machine Applications tab and grant read:logs"
		if strings.Contains(strings.ToLower(e.Message), "service not enabled") || strings.Contains(strings.ToLower(e.Message), "audience") {
			msg += "; also check the audience setting, which must be https://YOUR_TENANT.REGION.auth0.com/api/v2/"
		}
		return msg + said
	case e.Status == http.StatusForbidden && e.insufficientScope():
		return "the application may not read logs" + said + ": in Auth0 Dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications, expand this application and grant read:logs"
	case e.Status == http.StatusForbidden:
		return "Auth0 refused the request" + said + ": check that the application is authorised for the Auth0 Management API with the read:logs scope"
	case e.Status == http.StatusUnauthorized && e.expiredToken():
		return "Auth0 said the Management API token had expired" + said + e.afterRetries() +
			": tokens are renewed automatically, so the next query usually passes; if this persists, check that the Grafana server's clock is right (Auth0 compares the token's times with its own) and that the token lifetime of the Auth0 Management API is longer than a query takes"
	case e.Status == http.StatusUnauthorized:
		return "Auth0 rejected the Management API token even after fetching a new one" + said + ": check that the audience setting names this tenant's Management API (https://YOUR_TENANT.REGION.auth0.com/api/v2/)"
	case e.Status == http.StatusTooManyRequests:
		return "Auth0 rate limit reached" + said + e.afterRetries() + "; " + e.resetText() + ": lower the requests-per-minute setting, narrow the time range, or refresh less often"
	case e.Status == http.StatusBadRequest && e.op == opToken:
		return "Auth0 refused the token request" + said + ": check the domain, the API base URL and the audience in the data source settings"
	case e.Status == http.StatusBadRequest:
		return "Auth0 rejected the request" + said + e.badRequestHint()
	case e.Status == http.StatusNotFound && e.ErrorCode == "" && e.ErrorText == "":
		return fmt.Sprintf("Auth0 answered 404 Not Found for %s: check the domain (e.g. acme.eu.auth0.com) and the API base URL", e.path)
	case e.Status >= 500:
		return "Auth0 had a server error" + said + e.afterRetries() + ": try again later, and see https://status.auth0.com if it persists"
	}
	return "Auth0 answered" + said
}

// auth0Said renders " (403 Forbidden: Insufficient scope ...)" from what Auth0 sent.
func (e *Error) auth0Said() string {
	s := fmt.Sprintf("%d", e.Status)
	if e.ErrorText != "" {
		s += " " + e.ErrorText
	} else if t := http.StatusText(e.Status); t != "" {
		s += " " + t
	}
	if e.ErrorCode != "" && e.ErrorCode != e.ErrorText {
		s += " [" + e.ErrorCode + "]"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return " (" + s + ")"
}

func (e *Error) afterRetries() string {
	if e.retries == 0 {
		return ""
	}
	return fmt.Sprintf(" after %d retries", e.retries)
}

func (e *Error) resetText() string {
	if e.reset.IsZero() {
		return "Auth0 gave no reset time, so wait a minute before trying again"
	}
	return "the limit resets at " + e.reset.UTC().Format("15:04:05") + " UTC"
}

func (e *Error) badRequestHint() string {
	m := strings.ToLower(e.Message)
	switch {
	case strings.Contains(m, "1000") || strings.Contains(m, "1,000"):
		return ": Auth0 search reaches only the first 1,000 results; narrow the time range or the query"
	case strings.Contains(m, "query"):
		return ": fix the query; see https://auth0.com/docs/deploy-monitor/logs/log-search-query-syntax"
	}
	return ""
}

// expiredToken is Auth0's "Expired token received for JSON Web Token validation": no setting is
// wrong, so the audience advice of other 401s would mislead.
func (e *Error) expiredToken() bool {
	m := strings.ToLower(e.Message + " " + e.ErrorText)
	return strings.Contains(m, "expired")
}

func (e *Error) redirectText() string {
	step := "the token request"
	if e.op == opAPI {
		step = "the Management API"
	}
	return fmt.Sprintf("%s at %s answered %d and redirected to %s; the plugin follows no redirect, so that the client secret and tokens never go elsewhere: "+
		"if Auth0 really answers there, set the domain (or the API base URL) to that address, otherwise check the domain, the API base URL and any proxy in between",
		step, e.host, e.Status, e.redirectTo)
}

func (e *Error) insufficientScope() bool {
	return e.ErrorCode == "insufficient_scope" || strings.Contains(strings.ToLower(e.Message), "insufficient scope")
}

// Unwrap exposes the transport error, so errors.Is(err, context.DeadlineExceeded) works.
func (e *Error) Unwrap() error { return e.cause }

// IsRateLimited reports whether Auth0's rate limit stopped the call (a 429, or a pause its
// headers asked for), so callers can return partial data. The data source's own limit is not
// Auth0's: see WhichLimit.
func IsRateLimited(err error) bool {
	return WhichLimit(err) == LimitAuth0
}

// IsAuth reports whether err is a credential or permission problem (401 or 403), which no retry
// or narrower query will fix.
func IsAuth(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden)
}

// paramError is a call refused before sending: a plugin bug, since the caller should have kept
// within Auth0's limits.
func paramError(format string, args ...any) *Error {
	return &Error{op: opParams, Message: fmt.Sprintf(format, args...)}
}

// networkError describes a failure with no HTTP answer.
func (c *Client) networkError(op, rawURL string, err error) *Error {
	e := &Error{op: op, Downstream: true, cause: err, host: rawURL}
	if u, perr := url.Parse(rawURL); perr == nil {
		e.host, e.path = u.Host, u.Path
	}
	var blocked *BlockedAddressError
	if errors.As(err, &blocked) {
		e.blocked = true
		e.Message = blocked.Error()
		return c.scrub(e)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		e.dns = true
		e.host = strings.TrimSuffix(dnsErr.Name, ".")
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		e.Message = ue.Err.Error() // the URL is already named by host
	} else {
		e.Message = err.Error()
	}
	return c.scrub(e)
}

// ctxError wraps the caller's cancellation so errors.Is(err, context.Canceled) still holds, and
// says which of the two it was: a deadline is a slow answer, a cancel is the caller leaving.
func ctxError(what string, ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s: gave up because the query timed out: %w", what, ctx.Err())
	}
	return fmt.Errorf("%s: gave up because the query was cancelled: %w", what, ctx.Err())
}
