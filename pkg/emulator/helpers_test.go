package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/stretchr/testify/require"
)

const (
	testDomain   = "test.auth0logs.local"
	testClientID = "client-abc"
	testSecret   = "s3cret"
)

var testAudience = "https://" + testDomain + "/api/v2/"

// fakeClock lets tests move time for token expiry, rate limits and IndexDelay without sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logID builds a 56-digit id shaped like Auth0's: "900", the ingest time, then a sequence.
func logID(ingest time.Time, seq int) string {
	return fmt.Sprintf("900%s%039d", ingest.UTC().Format("20060102150405"), seq)
}

var testTypes = []string{"s", "f", "sapi", "fp", "seccft"}

// makeEvents returns n events a second apart ending an hour before base, shuffled. Dates wobble
// against log_id order, as in the recordings, so date order and log_id order differ.
func makeEvents(n int, base time.Time) []event.Event {
	start := base.Add(-time.Hour - time.Duration(n)*time.Second)
	evs := make([]event.Event, n)
	for i := range evs {
		ingest := start.Add(time.Duration(i) * time.Second)
		evs[i] = event.Event{
			LogID:    logID(ingest, i),
			Date:     ingest.Add(-time.Duration(i%3) * 1700 * time.Millisecond),
			Type:     testTypes[i%len(testTypes)],
			UserID:   fmt.Sprintf("auth0|user%d", i%7),
			UserName: fmt.Sprintf("user%d@example.com", i%7),
			ClientID: "client-" + string(rune('a'+i%3)),
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
	return evs
}

// tenant is a running emulator with a token already fetched.
type tenant struct {
	t     *testing.T
	srv   *Server
	ts    *httptest.Server
	clock *fakeClock
	token string
}

func newTenant(t *testing.T, opts Options, events []event.Event) *tenant {
	t.Helper()
	clock := newFakeClock()
	if opts.Domain == "" {
		opts.Domain, opts.ClientID, opts.ClientSecret = testDomain, testClientID, testSecret
	}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	srv := New(opts, events)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	tn := &tenant{t: t, srv: srv, ts: ts, clock: clock}
	tn.token = tn.fetchToken()
	return tn
}

func (tn *tenant) fetchToken() string {
	tn.t.Helper()
	resp, body := tn.postToken(url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID},
		"client_secret": {testSecret}, "audience": {testAudience}})
	require.Equal(tn.t, http.StatusOK, resp.StatusCode, string(body))
	return tokenFrom(tn.t, body)
}

func (tn *tenant) postToken(form url.Values) (*http.Response, []byte) {
	tn.t.Helper()
	resp, err := http.Post(tn.ts.URL+"/oauth/token", "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()))
	require.NoError(tn.t, err)
	return resp, readAll(tn.t, resp)
}

// get sends an authorized GET for path (which may carry a query).
func (tn *tenant) get(path string) (*http.Response, []byte) {
	tn.t.Helper()
	return tn.getWith(tn.token, path)
}

func (tn *tenant) getWith(token, path string) (*http.Response, []byte) {
	tn.t.Helper()
	req, err := http.NewRequest(http.MethodGet, tn.ts.URL+path, nil)
	require.NoError(tn.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(tn.t, err)
	return resp, readAll(tn.t, resp)
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return body
}

// logs GETs path, requires a 200 and decodes the array of log objects.
func (tn *tenant) logs(path string) []map[string]any {
	tn.t.Helper()
	resp, body := tn.get(path)
	require.Equal(tn.t, http.StatusOK, resp.StatusCode, string(body))
	var out []map[string]any
	require.NoError(tn.t, json.Unmarshal(body, &out), string(body))
	return out
}

func ids(logs []map[string]any) []string {
	out := make([]string, len(logs))
	for i, l := range logs {
		out[i], _ = l["log_id"].(string)
	}
	return out
}

// requireAPIError checks status and the Management API error body.
func requireAPIError(t *testing.T, resp *http.Response, body []byte, status int, message, code string) {
	t.Helper()
	require.Equal(t, status, resp.StatusCode, string(body))
	want := map[string]any{"statusCode": float64(status), "error": http.StatusText(status), "message": message}
	if code != "" {
		want["errorCode"] = code
	}
	var got map[string]any
	require.NoError(t, json.Unmarshal(body, &got), string(body))
	require.Equal(t, want, got)
}

func tokenFrom(tb testing.TB, body []byte) string {
	tb.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(tb, json.Unmarshal(body, &tok))
	return tok.AccessToken
}
