package auth0

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Defaults for the knobs Config leaves at zero.
const (
	// DefaultRequestsPerMinute leaves room under the 100 log reads a minute Auth0's self-service
	// plans allow, since log exports and the dashboard draw from the same bucket.
	DefaultRequestsPerMinute = 60
	// DefaultMaxRetries bounds retries of 429, 5xx and transport failures per call.
	DefaultMaxRetries = 3
	// DefaultTimeout applies to each HTTP exchange when Config.HTTPClient is nil or has none.
	DefaultTimeout = 30 * time.Second
)

// maxBody caps what one response may hold: a page of 100 logs is well under 1 MiB.
const maxBody = 32 << 20

// Logger is the optional sink for retry and rate-limit notes; Grafana's backend logger fits it.
type Logger interface {
	Debug(msg string, args ...any)
	Warn(msg string, args ...any)
}

// Config is what a Client needs to reach one tenant's Management API.
type Config struct {
	// BaseURL receives both the token and the API requests, e.g. https://acme.eu.auth0.com or an
	// emulator's http://127.0.0.1:port. No path.
	BaseURL string
	// Audience is sent with the client-credentials grant; empty means BaseURL + "/api/v2/".
	Audience string
	// ClientID and ClientSecret are the machine-to-machine application's credentials. The secret
	// never appears in an error message.
	ClientID, ClientSecret string
	// RequestsPerMinute is the client-side budget, shared by every Client of the same tenant
	// (BaseURL and ClientID) in this process. Zero means DefaultRequestsPerMinute.
	RequestsPerMinute int
	// HTTPClient carries every request, the token fetch included; nil means a private client with
	// DefaultTimeout.
	HTTPClient *http.Client
	// MaxRetries bounds retries of 429, 5xx and transport errors: zero means DefaultMaxRetries and
	// a negative value disables retries.
	MaxRetries int
	// Logger is optional.
	Logger Logger
}

// Client calls the Management API's log endpoints for one tenant. It is safe for concurrent use;
// every method honours its ctx, and no method starts anything that outlives the call.
type Client struct {
	base       string
	secret     string
	http       *http.Client
	tokens     *tokenCache
	tenant     *tenant
	maxRetries int
	log        Logger
	stats      counters

	// Seams for tests, so they need not sleep: backoff gives the wait before retry number
	// attempt (0-based), sleep waits d or until ctx ends, now reads the clock.
	backoff func(attempt int) time.Duration
	sleep   func(ctx context.Context, d time.Duration) error
	now     func() time.Time
}

// New validates cfg and builds a Client. It makes no network call; Token does.
func New(cfg Config) (*Client, error) {
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
		return nil, fmt.Errorf("Auth0 base URL %q must be https://YOUR_TENANT.REGION.auth0.com (or an emulator's http://host:port) without a path", cfg.BaseURL)
	}
	if strings.TrimSpace(cfg.ClientID) == "" {
		return nil, errors.New("client ID is missing: copy it from your Auth0 machine-to-machine application's Settings tab")
	}
	if cfg.ClientSecret == "" {
		return nil, errors.New("client secret is missing: copy it from your Auth0 machine-to-machine application's Settings tab")
	}
	audience := cfg.Audience
	if audience == "" {
		audience = base + "/api/v2/"
	}
	rpm := cfg.RequestsPerMinute
	if rpm <= 0 {
		rpm = DefaultRequestsPerMinute
	}
	retries := cfg.MaxRetries
	switch {
	case retries == 0:
		retries = DefaultMaxRetries
	case retries < 0:
		retries = 0
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	c := &Client{
		base:       base,
		secret:     cfg.ClientSecret,
		http:       hc,
		tenant:     tenantFor(base, cfg.ClientID, rpm),
		maxRetries: retries,
		log:        cfg.Logger,
		backoff:    defaultBackoff,
		sleep:      sleepCtx,
		now:        time.Now,
	}
	if c.log == nil {
		c.log = nopLogger{}
	}
	c.tokens = newTokenCache(base+"/oauth/token", audience, cfg.ClientID, cfg.ClientSecret, hc, &c.stats.tokenRequests)
	return c, nil
}

// Close releases idle connections and ends a token fetch still in flight, so nothing the Client
// started outlives it. API calls in flight are left to their callers' contexts; one that needs a
// token after Close fails.
func (c *Client) Close() {
	c.tokens.stop()
	c.http.CloseIdleConnections()
}

// Stats are counters since the Client was built, for logs and the health check.
type Stats struct {
	// Requests counts API requests sent, retries included; TokenRequests counts token fetches.
	Requests, TokenRequests int64
	// RateLimited counts 429 answers; Retries counts every repeated request; ServerErrors counts
	// 5xx answers.
	RateLimited, Retries, ServerErrors int64
	// LastRateLimit is what the latest response that carried rate-limit headers said.
	LastRateLimit RateLimit
}

// RateLimit is Auth0's view of the tenant's bucket from the x-ratelimit-* headers.
type RateLimit struct {
	Limit, Remaining int
	// Reset is when tokens are next added to the bucket.
	Reset time.Time
}

type counters struct {
	requests, tokenRequests, rateLimited, retries, serverErrors atomic.Int64
	last                                                        atomic.Pointer[RateLimit]
}

// Stats returns a snapshot of the counters.
func (c *Client) Stats() Stats {
	s := Stats{
		Requests:      c.stats.requests.Load(),
		TokenRequests: c.stats.tokenRequests.Load(),
		RateLimited:   c.stats.rateLimited.Load(),
		Retries:       c.stats.retries.Load(),
		ServerErrors:  c.stats.serverErrors.Load(),
	}
	if rl := c.stats.last.Load(); rl != nil {
		s.LastRateLimit = *rl
	}
	return s
}

type nopLogger struct{}

func (nopLogger) Debug(string, ...any) {}
func (nopLogger) Warn(string, ...any)  {}
