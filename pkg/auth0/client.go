package auth0

import (
	"context"
	"errors"
	"fmt"
	"net"
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

// Bounds on the credentials: Auth0's client IDs are 32 characters and its secrets 64, so
// anything near these limits is a paste gone wrong, and is refused before it is sent anywhere.
const (
	// MaxClientIDLen is the longest client ID New accepts, in bytes.
	MaxClientIDLen = 512
	// MaxClientSecretLen is the longest client secret New accepts, in bytes.
	MaxClientSecretLen = 512
	// MaxAudienceLen is the longest audience New accepts, in bytes.
	MaxAudienceLen = 2048
)

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
	// SharedBudget, when set, is a budget the tenant's requests-per-minute is shared through with
	// other processes (Grafana replicas): every request also takes its turn there. It applies to
	// every Client of the tenant in this process; nil leaves the tenant's current one in place.
	SharedBudget SharedBudget
}

// Client calls the Management API's log endpoints for one tenant. It is safe for concurrent use;
// every method honours its ctx, and no method starts anything that outlives the call.
type Client struct {
	base       string
	redact     *redactor
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
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.User != nil {
		return nil, fmt.Errorf("Auth0 base URL %q must be https://YOUR_TENANT.REGION.auth0.com (or an emulator's http://host:port) without a path", cfg.BaseURL)
	}
	if err := checkBaseHost(u.Host); err != nil {
		return nil, err
	}
	if err := checkCredentials(cfg); err != nil {
		return nil, err
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
		hc = &http.Client{Timeout: DefaultTimeout, Transport: guardedTransport(u.Host)}
	}
	c := &Client{
		base:       base,
		redact:     newRedactor(cfg.ClientID, cfg.ClientSecret),
		http:       noRedirects(hc),
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
	if cfg.SharedBudget != nil {
		c.ShareBudget(cfg.SharedBudget)
	}
	c.tokens = newTokenCache(base+"/oauth/token", audience, cfg.ClientID, cfg.ClientSecret, c.http, &c.stats.tokenRequests)
	return c, nil
}

// checkCredentials refuses missing and oversized credentials, naming the field and the limit.
func checkCredentials(cfg Config) error {
	if strings.TrimSpace(cfg.ClientID) == "" {
		return errors.New("client ID is missing: copy it from your Auth0 machine-to-machine application's Settings tab")
	}
	if cfg.ClientSecret == "" {
		return errors.New("client secret is missing: copy it from your Auth0 machine-to-machine application's Settings tab")
	}
	for _, f := range []struct {
		name, value string
		limit       int
		usual       string
	}{
		{"client ID", cfg.ClientID, MaxClientIDLen, "Auth0 client IDs are 32 characters"},
		{"client secret", cfg.ClientSecret, MaxClientSecretLen, "Auth0 client secrets are 64 characters"},
		{"audience", cfg.Audience, MaxAudienceLen, "it is usually https://YOUR_TENANT.REGION.auth0.com/api/v2/"},
	} {
		if len(f.value) > f.limit {
			return fmt.Errorf("the %s is %d bytes long, over the limit of %d bytes (%s): paste it again from your Auth0 application's Settings tab", f.name, len(f.value), f.limit, f.usual)
		}
	}
	return nil
}

// noRedirects is hc for Auth0: the same transport and timeout, but a 3xx answer comes back as
// it is instead of being followed. Auth0 never redirects its token or API endpoints, and a
// redirect followed would carry the client secret or a token to whatever host it names, and
// turn a redirect loop into dozens of requests.
func noRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// guardedTransport is the default transport with the dialer guard, for a Client built without
// an HTTP client of the caller's.
func guardedTransport(host string) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: defaultDialControl(host)}).DialContext
	return t
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
