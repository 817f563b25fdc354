package emulator

import (
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Options configures one emulated tenant. Domain, ClientID and ClientSecret are what a client must
// present; every other field has a default that gives a well-behaved tenant.
type Options struct {
	// Domain is the tenant host name, e.g. "demo.auth0logs.local". The token endpoint accepts only
	// the audience "https://"+Domain+"/api/v2/", as Auth0 does for the Management API.
	Domain string
	// ClientID and ClientSecret are the machine-to-machine credentials the token endpoint accepts.
	ClientID, ClientSecret string
	// Scopes are granted to every token; default ["read:logs"]. Leave out read:logs to test 403s.
	Scopes []string
	// TokenTTL is how long an issued token stays valid, measured with Now; default 24h like Auth0.
	TokenTTL time.Duration
	// RateLimit is the tenant's token bucket; the zero value turns rate limiting off.
	RateLimit RateLimit
	// IndexDelay hides events whose date is newer than Now()-IndexDelay, the way Auth0's logs show
	// up with a lag. Search skips them; checkpoint mode stops before the first hidden log_id so a
	// checkpoint reader never skips past an event that appears later; GET /logs/{id} answers 404.
	IndexDelay time.Duration
	// Live makes the tenant a live one: an event is served only once Now() has reached the ingest
	// second its log_id carries, so a tenant generated into the future fills in as the clock runs,
	// and a checkpoint reader sees new events arrive in log_id order. Events whose log_id carries
	// no time are always served.
	Live bool
	// Retention drops events whose date is older than Now()-Retention from search, checkpoint and
	// the single-log endpoints, as Auth0 drops logs past the plan's retention (1 to 30 days). A
	// checkpoint from an id older than everything held starts at the oldest event held. Zero keeps
	// everything. Prune frees the memory of dropped events.
	Retention time.Duration
	// Now is the clock for token expiry, rate limiting, IndexDelay, Live and Retention; default
	// time.Now. Tests pass a fake clock so nothing has to sleep.
	Now func() time.Time
	// Filter turns a search q into a predicate; nil uses SearchFilter (pkg/logquery).
	// Its error text is shown to the client after "The search query string has an error: ".
	Filter FilterFunc
	// Faults are the fault switches active from the start; nil means none.
	Faults *Faults
}

// RateLimit describes a token bucket like the one Auth0 applies per tenant: Burst requests may be
// made at once and PerMinute tokens flow back in, continuously.
type RateLimit struct {
	// Burst is the bucket size, reported in x-ratelimit-limit. Zero turns rate limiting off.
	Burst int
	// PerMinute is the refill rate. Zero (with a positive Burst) means the bucket never refills,
	// which lets a test spend it without a clock.
	PerMinute int
}

// FilterFunc compiles a search query (the q parameter) into a predicate over events. It exists so
// the full log search syntax can be plugged in without this package depending on it; an error is
// reported to the client as a 400 invalid_query_string.
type FilterFunc func(q string) (func(*event.Event) bool, error)

const defaultTokenTTL = 24 * time.Hour

func (o Options) withDefaults() Options {
	if len(o.Scopes) == 0 {
		o.Scopes = []string{"read:logs"}
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = defaultTokenTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Filter == nil {
		o.Filter = SearchFilter
	}
	return o
}

// audience is the only audience the token endpoint grants, as for Auth0's Management API.
func (o Options) audience() string { return "https://" + o.Domain + "/api/v2/" }
