package auth0

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// maxPause bounds one wait for a rate-limit reset; Auth0 refills its buckets every few
	// seconds, so a longer reset is more likely clock skew than a real need.
	maxPause    = 2 * time.Minute
	backoffBase = 500 * time.Millisecond
	backoffMax  = 10 * time.Second
)

// tenant is the rate-limit state shared by every Client of one tenant (base URL and client ID)
// in this process. Grafana rebuilds a data source instance on every settings save and keeps the
// old one for a few seconds, so a per-Client budget would let the two overspend together.
type tenant struct {
	gate *gate
	// shared, when set, is the budget every replica of the plugin draws from; the gate still
	// orders this process's requests by priority and caps it at the whole budget.
	shared atomic.Pointer[sharedHolder]

	mu       sync.Mutex
	paused   time.Time // no request before this: Auth0 said the bucket is empty
	after429 bool      // the pause follows a 429, not only rate-limit headers
}

var tenants = struct {
	sync.Mutex
	m map[string]*tenant
}{m: map[string]*tenant{}}

// tenantFor returns the shared state, adopting rpm if the settings changed it. Entries are never
// removed: there is one per configured tenant and each is a few words.
func tenantFor(base, clientID string, rpm int) *tenant {
	key := strings.ToLower(base) + "\x00" + clientID
	tenants.Lock()
	defer tenants.Unlock()
	t := tenants.m[key]
	if t == nil {
		t = &tenant{gate: newGate(rpm, realClock{})}
		tenants.m[key] = t
		return t
	}
	t.gate.setRate(rpm)
	return t
}

// pause holds every request of the tenant until until; after429 says whether Auth0 refused a
// request or only warned that its bucket is empty.
func (t *tenant) pause(until time.Time, after429 bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if until.After(t.paused) {
		t.paused = until
		t.after429 = after429
	}
}

func (t *tenant) pauseState() (until time.Time, after429 bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.paused, t.after429
}

// awaitTurn waits out a tenant-wide pause after a 429, then takes a turn from the client-side
// budget in the order of ctx's priority. last is the 429 that caused the pause, if this call saw
// it; when the pause outlasts ctx's deadline it is returned at once instead of waiting for
// nothing, and a pause another request caused comes back as a *LimitError naming Auth0's limit.
func (c *Client) awaitTurn(ctx context.Context, last *Error) error {
	paused, after429 := c.tenant.pauseState()
	if d := paused.Sub(c.now()); d > 0 {
		d = min(d, maxPause)
		if dl, ok := ctx.Deadline(); ok && c.now().Add(d).After(dl) {
			if last != nil {
				return last
			}
			return &LimitError{Kind: LimitAuth0, Until: paused, Wait: d, After429: after429}
		}
		c.log.Warn("Auth0 rate limit: waiting for the bucket to refill", "wait", d.String())
		if err := c.sleep(ctx, d); err != nil {
			return ctxError("waiting for the Auth0 rate limit to reset", ctx)
		}
	}
	p := PriorityFrom(ctx)
	if err := c.tenant.gate.wait(ctx, p); err != nil {
		return err
	}
	return c.takeShared(ctx, p)
}

// noteRateLimit records the headers and, when the bucket is empty, pauses the tenant until the
// refill rather than spending a request on a certain 429.
func (c *Client) noteRateLimit(h http.Header) {
	rl, remainingKnown, ok := parseRateLimitHeaders(h)
	if !ok {
		return
	}
	c.stats.last.Store(&rl)
	if remainingKnown && rl.Remaining <= 0 && rl.Reset.After(c.now()) {
		c.tenant.pause(earlier(rl.Reset, c.now().Add(maxPause)), false)
	}
}

// parseRateLimit reads what it can of the x-ratelimit-* headers.
func parseRateLimit(h http.Header) RateLimit {
	rl, _, _ := parseRateLimitHeaders(h)
	return rl
}

func parseRateLimitHeaders(h http.Header) (rl RateLimit, remainingKnown, found bool) {
	if h == nil {
		return rl, false, false
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Limit"))); err == nil {
		rl.Limit, found = n, true
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Remaining"))); err == nil {
		rl.Remaining, remainingKnown, found = n, true, true
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-Ratelimit-Reset")), 10, 64); err == nil && n > 0 {
		rl.Reset, found = time.Unix(n, 0).UTC(), true
	}
	return rl, remainingKnown, found
}

// pauseAfter429 is when to try again: Auth0's reset when it gave one in the future, else a
// backoff that grows with each 429.
func (c *Client) pauseAfter429(e *Error, retry int) time.Time {
	now := c.now()
	if e.reset.After(now) {
		return earlier(e.reset, now.Add(maxPause))
	}
	return now.Add(c.backoff(retry + 1))
}

// defaultBackoff doubles from backoffBase up to backoffMax, keeping half and randomising the
// other half so clients that failed together do not retry together.
func defaultBackoff(attempt int) time.Duration {
	d := backoffMax
	if attempt < 16 {
		d = min(backoffBase<<attempt, backoffMax)
	}
	return d/2 + rand.N(d/2+1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
