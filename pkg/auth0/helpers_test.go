package auth0

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSecret = "s3cr3t-VALUE-never-shown"

// fakeAuth0 is a small Auth0 stand-in: a token endpoint that issues numbered tokens and an API
// handler each test supplies. It records what the client sent.
type fakeAuth0 struct {
	t         *testing.T
	srv       *httptest.Server
	tokenHits atomic.Int64
	apiHits   atomic.Int64
	// token, when set, replaces the default token endpoint.
	token func(w http.ResponseWriter, r *http.Request)
	api   func(w http.ResponseWriter, r *http.Request, hit int64)

	mu     sync.Mutex
	uris   []string
	auths  []string
	issued []string
}

func newFake(t *testing.T, api func(w http.ResponseWriter, r *http.Request, hit int64)) *fakeAuth0 {
	f := &fakeAuth0{t: t, api: api}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAuth0) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth/token" {
		f.tokenHits.Add(1)
		if f.token != nil {
			f.token(w, r)
			return
		}
		f.issueToken(w, r)
		return
	}
	hit := f.apiHits.Add(1)
	f.mu.Lock()
	f.uris = append(f.uris, r.RequestURI)
	f.auths = append(f.auths, r.Header.Get("Authorization"))
	f.mu.Unlock()
	f.api(w, r, hit)
}

func (f *fakeAuth0) issueToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		writeJSON(w, 400, `{"error":"invalid_request","error_description":"bad token request"}`)
		return
	}
	if r.PostForm.Get("client_secret") != testSecret {
		writeJSON(w, 401, `{"error":"access_denied","error_description":"Unauthorized"}`)
		return
	}
	tok := fmt.Sprintf("tok-%d-AAAA", f.tokenHits.Load())
	f.mu.Lock()
	f.issued = append(f.issued, tok)
	f.mu.Unlock()
	writeJSON(w, 200, `{"access_token":"`+tok+`","expires_in":86400,"token_type":"Bearer"}`)
}

func (f *fakeAuth0) requestURIs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.uris...)
}

func (f *fakeAuth0) authHeaders() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.auths...)
}

// assertClean fails when an error text shows the secret or any token the fake issued.
func (f *fakeAuth0) assertClean(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	msg := err.Error()
	assert.NotContains(t, msg, testSecret)
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, tok := range f.issued {
		assert.NotContains(t, msg, tok)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func okEmpty(w http.ResponseWriter, _ *http.Request, _ int64) { writeJSON(w, 200, `[]`) }

// sleepRecorder replaces real waits: it notes each duration and returns at once.
type sleepRecorder struct {
	mu sync.Mutex
	ds []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.ds = append(s.ds, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.ds...)
}

// testBackoff is deterministic and large enough to tell apart from clock noise.
func testBackoff(attempt int) time.Duration { return time.Duration(attempt+1) * 20 * time.Second }

func newTestClient(t *testing.T, f *fakeAuth0, mod ...func(*Config)) (*Client, *sleepRecorder) {
	t.Helper()
	cfg := Config{
		BaseURL:           f.srv.URL,
		ClientID:          "cid",
		ClientSecret:      testSecret,
		RequestsPerMinute: 6000,
		HTTPClient:        f.srv.Client(),
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	rec := &sleepRecorder{}
	c.sleep, c.backoff = rec.sleep, testBackoff
	t.Cleanup(c.Close)
	return c, rec
}

func logsJSON(ids ...string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf(`{"log_id":%q,"date":"2024-05-01T10:00:00.000Z","type":"s"}`, id)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
