package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkTenant500k measures requests against a tenant of the size the demo uses.
func BenchmarkTenant500k(b *testing.B) {
	clock := newFakeClock()
	srv := New(Options{Domain: testDomain, ClientID: testClientID, ClientSecret: testSecret, Now: clock.Now},
		makeEvents(500_000, clock.Now()))
	tok := issueForBench(b, srv)
	for _, path := range []string{
		"/api/v2/logs?per_page=100",
		"/api/v2/logs?sort=date:-1&per_page=100&page=9",
		"/api/v2/logs?sort=date:1&per_page=100&q=type:sapi",
		"/api/v2/logs?from=900&take=100",
		"/api/v2/logs?sort=user_id:1&per_page=100",
		"/api/v2/users/auth0%7Cuser3/logs?per_page=100",
	} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
				}
			}
		})
	}
}

func issueForBench(b *testing.B, srv *Server) string {
	b.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/oauth/token", nil)
	req.PostForm = validForm()
	srv.handleToken(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	return tokenFrom(b, rec.Body.Bytes())
}
