package auth0

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// LimitKind names the rate limit that stopped a request, so a caller can say which one and
// suggest the fix that matches: a setting of the data source, or Auth0's own limit. The third
// limit a query meets, its per-query request budget, belongs to the caller and is not known here.
type LimitKind int

const (
	// NotLimited means the error is not about a rate limit.
	NotLimited LimitKind = iota
	// LimitDataSource is the data source's own requests-per-minute setting, which this client
	// keeps for every query of the tenant; Auth0 was not asked.
	LimitDataSource
	// LimitAuth0 is Auth0's rate limit: a 429 answer, or rate-limit headers saying the tenant's
	// bucket is empty until a reset.
	LimitAuth0
)

// String names the kind for logs and tests.
func (k LimitKind) String() string {
	switch k {
	case LimitDataSource:
		return "data source limit"
	case LimitAuth0:
		return "Auth0 rate limit"
	}
	return "not limited"
}

// WhichLimit says which rate limit, if any, stopped the call that returned err.
func WhichLimit(err error) LimitKind {
	var le *LimitError
	if errors.As(err, &le) {
		return le.Kind
	}
	var e *Error
	if errors.As(err, &e) && e.Status == http.StatusTooManyRequests {
		return LimitAuth0
	}
	return NotLimited
}

// LimitError is a request that was not sent because waiting for a rate limit would outlast the
// caller's deadline, or the deadline came while it waited. It unwraps to
// context.DeadlineExceeded: the query ran out of time, and a limit is why.
type LimitError struct {
	Kind LimitKind
	// RequestsPerMinute is the data source's setting, for LimitDataSource.
	RequestsPerMinute int
	// Wait is how long the request would still have had to wait; zero when the deadline came
	// while it was waiting.
	Wait time.Duration
	// Until is when Auth0 said its bucket refills, for LimitAuth0; zero when it did not say.
	Until time.Time
	// After429 is true when Auth0 answered 429 to an earlier request of this tenant, and false
	// when only its rate-limit headers said the bucket was empty.
	After429 bool
}

// Error names the limit and the fix that matches it.
func (e *LimitError) Error() string {
	if e.Kind == LimitAuth0 {
		until := "for a while (Auth0 gave no reset time)"
		if !e.Until.IsZero() {
			until = "until " + e.Until.UTC().Format("15:04:05") + " UTC"
		}
		cause := "its rate-limit headers said the tenant's bucket is empty"
		if e.After429 {
			cause = "it answered 429 Too Many Requests to an earlier request of this tenant"
		}
		return "Auth0's rate limit stopped this request: " + cause + " " + until +
			", after this query's deadline, so it was not sent: wait for the reset, refresh less often, or lower \"Requests per minute\" so other users of the tenant's Auth0 limit keep their share"
	}
	unit := "requests"
	if e.RequestsPerMinute == 1 {
		unit = "request"
	}
	next := ""
	if e.Wait > 0 {
		next = fmt.Sprintf(" (the next turn was %s away)", e.Wait.Round(100*time.Millisecond))
	}
	return fmt.Sprintf("the data source's limit of %d %s a minute (its \"Requests per minute\" setting) left this request no turn before the query's deadline%s; "+
		"Auth0 was not asked: narrow the time range, run the query again in a moment, or raise \"Requests per minute\" if your Auth0 plan allows more",
		e.RequestsPerMinute, unit, next)
}

// Unwrap makes errors.Is(err, context.DeadlineExceeded) hold.
func (e *LimitError) Unwrap() error { return context.DeadlineExceeded }
