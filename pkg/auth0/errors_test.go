package auth0

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenErrors(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		want       []string
	}{
		{"wrong secret", `{"error":"access_denied","error_description":"Unauthorized"}`, 401,
			[]string{"check the client ID and client secret", "401 access_denied: Unauthorized"}},
		{"not authorised for the API", `{"error":"access_denied","error_description":"Client is not authorized to access \"https://acme.eu.auth0.com/api/v2/\". You need to create a \"client-grant\" associated to this API."}`, 403,
			[]string{"the application is not authorised for the Auth0 Management API: in Auth0 Dashboard > Applications > APIs > Auth0 Management API, authorise it", "client-grant"}},
		{"wrong audience", `{"error":"access_denied","error_description":"Service not enabled within domain: https://wrong/api/v2/"}`, 403,
			[]string{"not authorised for the Auth0 Management API", "check the audience setting"}},
		{"unauthorized client", `{"error":"unauthorized_client","error_description":"Grant type 'client_credentials' not allowed for the client."}`, 403,
			[]string{"not authorised for the Auth0 Management API", "client_credentials"}},
		{"no such tenant", `<html>Not Found</html>`, 404, []string{"404 Not Found for /oauth/token", "check the domain"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, okEmpty)
			f.token = func(w http.ResponseWriter, r *http.Request) { writeJSON(w, tc.status, tc.body) }
			c, _ := newTestClient(t, f)
			_, err := c.SearchLogs(context.Background(), SearchParams{})
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.status, e.Status)
			assert.True(t, e.Downstream)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Equal(t, tc.status != 404, IsAuth(err))
			assert.Equal(t, int64(0), f.apiHits.Load(), "no API call without a token")
			assert.Equal(t, int64(1), f.tokenHits.Load(), "a credentials error is not retried")
			f.assertClean(t, err)
			assert.Error(t, c.Token(context.Background()), "Token reports the same problem")
		})
	}
}

func TestTokenHealthCheck(t *testing.T) {
	f := newFake(t, okEmpty)
	c, _ := newTestClient(t, f)
	require.NoError(t, c.Token(context.Background()))
	require.NoError(t, c.Token(context.Background()))
	assert.Equal(t, int64(1), f.tokenHits.Load(), "the second call uses the cached token")
	assert.Equal(t, int64(1), c.Stats().TokenRequests)
	assert.Equal(t, int64(0), c.Stats().Requests)
}

func TestTokenServerErrorIsRetried(t *testing.T) {
	f := newFake(t, okEmpty)
	f.token = func(w http.ResponseWriter, r *http.Request) {
		if f.tokenHits.Load() == 1 {
			writeJSON(w, 503, `{"error":"temporarily_unavailable"}`)
			return
		}
		f.issueToken(w, r)
	}
	c, rec := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)
	assert.Equal(t, int64(2), f.tokenHits.Load())
	assert.Len(t, rec.waits(), 1)
}

func TestAPIErrors(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		want       []string
		auth       bool
	}{
		{"insufficient scope", `{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: read:logs,read:logs_users","errorCode":"insufficient_scope"}`, 403,
			[]string{"grant read:logs", "Insufficient scope"}, true},
		{"bad query", `{"statusCode":400,"error":"Bad Request","message":"The search query string has an error: unknown field \"user_email\"","errorCode":"invalid_query_string"}`, 400,
			[]string{`The search query string has an error: unknown field "user_email"`, "fix the query"}, false},
		{"past 1000", `{"statusCode":400,"error":"Bad Request","message":"Requesting page 11 exceeds the allowed maximum of 1000 records"}`, 400,
			[]string{"exceeds the allowed maximum", "narrow the time range"}, false},
		{"log not found", `{"statusCode":404,"error":"Not Found","message":"log not found"}`, 404,
			[]string{"404 Not Found: log not found"}, false},
		{"not a tenant", `<h1>404</h1>`, 404, []string{"check the domain"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) { writeJSON(w, tc.status, tc.body) })
			c, _ := newTestClient(t, f)
			_, err := c.SearchLogs(context.Background(), SearchParams{Q: "type:f"})
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.True(t, e.Downstream)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Equal(t, tc.auth, IsAuth(err))
			assert.False(t, IsRateLimited(err))
			assert.Equal(t, int64(1), f.apiHits.Load())
			f.assertClean(t, err)
		})
	}
}

func TestUnknownDomain(t *testing.T) {
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.DNSError{Err: "no such host", Name: "acme.eu.auth0.con", IsNotFound: true}
	}
	c, err := New(Config{BaseURL: "https://acme.eu.auth0.con", ClientID: "cid", ClientSecret: testSecret,
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: dial}}})
	require.NoError(t, err)
	rec := &sleepRecorder{}
	c.sleep = rec.sleep
	err = c.Token(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), `cannot resolve the Auth0 domain "acme.eu.auth0.con": check the domain`)
	_, err = c.SearchLogs(context.Background(), SearchParams{})
	require.Error(t, err)
	assert.Empty(t, rec.waits(), "a name that does not resolve is not retried")
	assert.NotContains(t, err.Error(), testSecret)
}

func TestAuth0EchoingSecretsIsScrubbed(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		writeJSON(w, 400, `{"statusCode":400,"error":"Bad Request","message":"bad token `+tok+` for secret `+testSecret+`"}`)
	})
	c, _ := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	f.assertClean(t, err)
	assert.Contains(t, err.Error(), "bad token [redacted] for secret [redacted]")

	f2 := newFake(t, okEmpty)
	f2.token = func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"error":"access_denied","error_description":"secret `+testSecret+` is wrong"}`)
	}
	c2, _ := newTestClient(t, f2)
	err = c2.Token(context.Background())
	f2.assertClean(t, err)
	assert.Contains(t, err.Error(), "secret [redacted] is wrong")
}

func TestErrorMessages(t *testing.T) {
	reset := time.Date(2024, 5, 1, 10, 0, 30, 0, time.UTC)
	cases := []struct {
		e    *Error
		want string
	}{
		{&Error{Status: 429, op: opAPI, ErrorText: "Too Many Requests", Message: "Global limit has been reached", reset: reset},
			"Auth0 rate limit reached (429 Too Many Requests: Global limit has been reached); the limit resets at 10:00:30 UTC"},
		{&Error{Status: 429, op: opAPI}, "Auth0 gave no reset time"},
		{&Error{Status: 403, op: opAPI, ErrorText: "Forbidden", Message: "nope"}, "check that the application is authorised"},
		{&Error{Status: 0, op: opAPI, host: "acme.eu.auth0.com", Message: "connection refused", retries: 3},
			"cannot reach Auth0 at acme.eu.auth0.com (connection refused) after 3 retries: check the domain"},
		{&Error{Status: 418, op: opAPI, ErrorText: "Teapot", ErrorCode: "tea", Message: "short and stout"},
			"Auth0 answered (418 Teapot [tea]: short and stout)"},
		{paramError("per_page is %d", 101), "per_page is 101"},
	}
	for _, tc := range cases {
		assert.Contains(t, tc.e.Error(), tc.want)
	}
	assert.False(t, paramError("x").Downstream, "a refused parameter is the plugin's own bug")
}

func TestErrorPredicatesAndWrapping(t *testing.T) {
	wrapped := errors.Join(errors.New("query A"), &Error{Status: 429})
	assert.True(t, IsRateLimited(wrapped))
	assert.False(t, IsAuth(wrapped))
	assert.True(t, IsAuth(&Error{Status: 401}))
	assert.False(t, IsRateLimited(errors.New("429")))
	e := &Error{cause: context.DeadlineExceeded}
	assert.ErrorIs(t, e, context.DeadlineExceeded)
}

func TestNewValidates(t *testing.T) {
	cases := []struct {
		cfg  Config
		want string
	}{
		{Config{BaseURL: "acme.eu.auth0.com", ClientID: "a", ClientSecret: "b"}, "base URL"},
		{Config{BaseURL: "https://acme.eu.auth0.com/api", ClientID: "a", ClientSecret: "b"}, "without a path"},
		{Config{BaseURL: "https://acme.eu.auth0.com", ClientSecret: "b"}, "client ID is missing"},
		{Config{BaseURL: "https://acme.eu.auth0.com", ClientID: "a"}, "client secret is missing"},
		{Config{BaseURL: "https://acme.eu.auth0.com", ClientID: strings.Repeat("i", MaxClientIDLen+1), ClientSecret: "b"},
			"the client ID is 513 bytes long, over the limit of 512 bytes"},
		{Config{BaseURL: "https://acme.eu.auth0.com", ClientID: "a", ClientSecret: strings.Repeat("s", 1<<20)},
			"the client secret is 1048576 bytes long, over the limit of 512 bytes"},
		{Config{BaseURL: "https://acme.eu.auth0.com", ClientID: "a", ClientSecret: "b", Audience: "https://x/" + strings.Repeat("a", MaxAudienceLen)},
			"the audience is 2058 bytes long, over the limit of 2048 bytes"},
		{Config{BaseURL: "https://user:pw@acme.eu.auth0.com", ClientID: "a", ClientSecret: "b"}, "base URL"},
	}
	for _, tc := range cases {
		_, err := New(tc.cfg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
	}
	_, err := New(Config{BaseURL: "https://acme.eu.auth0.com", ClientID: strings.Repeat("i", MaxClientIDLen), ClientSecret: strings.Repeat("s", MaxClientSecretLen)})
	require.NoError(t, err, "credentials at the limit are accepted")
	c, err := New(Config{BaseURL: "https://acme.eu.auth0.com/", ClientID: "a", ClientSecret: "b"})
	require.NoError(t, err)
	assert.Equal(t, "https://acme.eu.auth0.com", c.base)
	assert.Equal(t, DefaultMaxRetries, c.maxRetries)
	assert.Equal(t, DefaultTimeout, c.http.Timeout)
	c.Close()
}

func TestTokenEndpointWithoutToken(t *testing.T) {
	f := newFake(t, okEmpty)
	f.token = func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"hello":"world"}`) }
	c, rec := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "gave no usable token")
	assert.Contains(t, err.Error(), "check the domain")
	assert.Empty(t, rec.waits(), "not retried: it will not improve")
	assert.Equal(t, int64(1), f.tokenHits.Load())
}
