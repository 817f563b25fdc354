package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/models"
)

// virtualClock is the one timeline of a budget run: the emulator's rate limit and index delay, the
// fetcher's settle window and tail reuse, and the simulated client's waits all read it. It only
// moves forward, and only when a request has to wait or a scenario says time passes.
type virtualClock struct{ ns atomic.Int64 }

func newVirtualClock(t time.Time) *virtualClock {
	c := &virtualClock{}
	c.ns.Store(t.UnixNano())
	return c
}

func (c *virtualClock) Now() time.Time { return time.Unix(0, c.ns.Load()).UTC() }

// advanceTo moves the clock to t unless it is already past it.
func (c *virtualClock) advanceTo(t time.Time) {
	for {
		cur := c.ns.Load()
		if t.UnixNano() <= cur || c.ns.CompareAndSwap(cur, t.UnixNano()) {
			return
		}
	}
}

// simAPI is the Management API seen through a client that behaves like pkg/auth0's (a client-side
// token bucket, a tenant-wide pause when Auth0 reports an empty bucket, a pause until
// x-ratelimit-reset after a 429, then a retry), but waits on the virtual clock instead of
// sleeping. Requests are served one at a time: the rate limit serialises them in production too.
// Round-trip latency is not modelled, so wall times are what the rate limit alone imposes.
type simAPI struct {
	emu     *emulator.Server
	clock   *virtualClock
	token   string
	limiter *rate.Limiter // client side, on the virtual clock; nil = none

	mu        sync.Mutex
	paused    time.Time
	perFilter map[string]int // requests by filter (q without its date range) since the last take
}

const (
	simDomain = "budget.auth0logs.local"
	simID     = "budget-client"
	simSecret = "budget-secret-41c2"
	// maxPause mirrors the client's cap on one rate-limit wait.
	simMaxPause = 2 * time.Minute
)

// auth0Bucket is the rate limit the brief's tenant has: Auth0's self-service tier.
var auth0Bucket = emulator.RateLimit{Burst: 10, PerMinute: 100}

// newSimAPI serves events (which the emulator copies) behind Auth0's bucket. clientRPM is the
// data source's requests-per-minute setting; 0 leaves Auth0's bucket alone to decide.
func newSimAPI(t testing.TB, events []event.Event, clock *virtualClock, clientRPM int) *simAPI {
	t.Helper()
	emu := emulator.New(emulator.Options{Domain: simDomain, ClientID: simID, ClientSecret: simSecret,
		RateLimit: auth0Bucket, IndexDelay: 10 * time.Second, Now: clock.Now}, events)
	s := &simAPI{emu: emu, clock: clock}
	if clientRPM > 0 {
		s.limiter = rate.NewLimiter(rate.Limit(float64(clientRPM)/60), min(10, clientRPM))
	}
	s.token = s.fetchToken(t)
	return s
}

func (s *simAPI) fetchToken(t testing.TB) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {simID}, "client_secret": {simSecret},
		"audience": {"https://" + simDomain + "/api/v2/"}}
	req := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.emu.ServeHTTP(rec, req)
	var body struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	require.NotEmpty(t, body.AccessToken, "token: %d %s", rec.Code, rec.Body)
	return body.AccessToken
}

// search is a fetch.SearchFunc: the request the plugin's client sends, decoded as it decodes it.
func (s *simAPI) search(ctx context.Context, q string, page, perPage int) ([]event.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := url.Values{"q": {q}, "page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(perPage)}, "sort": {"date:-1"}}
	if s.perFilter == nil {
		s.perFilter = map[string]int{}
	}
	s.perFilter[filterOf(q)]++
	for retry := 0; ; retry++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.awaitTurn()
		req := httptest.NewRequest(http.MethodGet, "/api/v2/logs?"+v.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+s.token)
		rec := httptest.NewRecorder()
		s.emu.ServeHTTP(rec, req)
		reset := s.noteRateLimit(rec.Header())
		switch {
		case rec.Code == http.StatusOK:
			return event.DecodeList(rec.Body.Bytes())
		case rec.Code == http.StatusTooManyRequests && retry < 10:
			now := s.clock.Now()
			if !reset.After(now) {
				reset = now.Add(time.Second)
			}
			s.pause(earliest(reset, now.Add(simMaxPause)))
		default:
			return nil, fmt.Errorf("emulator answered %d: %s", rec.Code, rec.Body)
		}
	}
}

// awaitTurn waits out a pause, then takes a token from the client-side bucket, on the clock.
func (s *simAPI) awaitTurn() {
	s.clock.advanceTo(s.paused)
	if s.limiter != nil {
		now := s.clock.Now()
		s.clock.advanceTo(now.Add(s.limiter.ReserveN(now, 1).DelayFrom(now)))
	}
}

// noteRateLimit pauses when Auth0 reports an empty bucket, as the client does, and returns the
// reset it announced.
func (s *simAPI) noteRateLimit(h http.Header) time.Time {
	n, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64)
	if err != nil {
		return time.Time{}
	}
	reset := time.Unix(n, 0).UTC()
	now := s.clock.Now()
	if remaining, err := strconv.Atoi(h.Get("X-Ratelimit-Remaining")); err == nil && remaining <= 0 && reset.After(now) {
		s.pause(earliest(reset, now.Add(simMaxPause)))
	}
	return reset
}

func (s *simAPI) pause(until time.Time) {
	if until.After(s.paused) {
		s.paused = until
	}
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// filterOf strips the date range fetch adds to a filter, e.g. `(type:"fu") AND date:[...}`.
func filterOf(q string) string {
	f, _, _ := strings.Cut(q, " AND date:[")
	if f == q {
		return "(none)"
	}
	return strings.TrimSuffix(strings.TrimPrefix(f, "("), ")")
}

// apiCount is what the emulator saw: every logs request (429s included) and the 429s.
type apiCount struct {
	requests, tooMany int
	perFilter         map[string]int
}

func (s *simAPI) take() apiCount {
	st := s.emu.Stats()
	s.emu.ResetStats()
	s.mu.Lock()
	defer s.mu.Unlock()
	perFilter := s.perFilter
	s.perFilter = nil
	return apiCount{requests: st.Requests[emulator.EndpointLogs], tooMany: st.TooManyRequests, perFilter: perFilter}
}

// newFetcher is the plugin's Fetcher with its defaults, on the virtual clock.
func (s *simAPI) newFetcher() *fetch.Fetcher {
	return fetch.New(fetch.Options{Search: s.search, Now: s.clock.Now})
}

// simDatasource is the plugin's instance with its fetcher reading through api; close its fetcher
// with d.fetcher.Close. Searches go through the simulated client; the instance's own client, which
// a baseline asks once an hour for the oldest log, talks to the same emulator over loopback, so
// that request is counted with the rest.
func simDatasource(t testing.TB, api *simAPI, requestsPerQuery int) *Datasource {
	t.Helper()
	srv := httptest.NewServer(api.emu)
	t.Cleanup(srv.Close)
	client, err := auth0.New(auth0.Config{BaseURL: srv.URL, Audience: "https://" + simDomain + "/api/v2/",
		ClientID: simID, ClientSecret: simSecret, RequestsPerMinute: 1_000_000, MaxRetries: -1})
	require.NoError(t, err)
	t.Cleanup(client.Close)
	js, err := json.Marshal(map[string]any{"domain": simDomain, "clientId": simID,
		"requestsPerMinute": models.MaxRequestsPerMinute, "requestsPerQuery": requestsPerQuery})
	require.NoError(t, err)
	settings, err := models.LoadSettings(backend.DataSourceInstanceSettings{JSONData: js,
		DecryptedSecureJSONData: map[string]string{"clientSecret": simSecret}})
	require.NoError(t, err)
	d := newDatasource(settings, "auth0-budget", "Auth0 budget", client)
	d.fetcher.Close()
	f := api.newFetcher()
	d.router.Fetch, d.fetcher = f, f
	// The instance learns where the tenant's logs begin (one request, kept an hour) before the
	// dashboard opens, while Auth0's bucket is full: in the plugin the request would wait its turn
	// in the client's limiter, which the simulated searches bypass.
	_, err = d.logsBegin.get(t.Context(), d.retention)
	require.NoError(t, err)
	return d
}
