package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultTooManyRequests(t *testing.T) {
	tn := newTenant(t, Options{}, makeEvents(3, newFakeClock().Now()))
	tn.srv.SetFaults(Faults{TooManyRequests: 2})
	for i := range 2 {
		resp, body := tn.get("/api/v2/logs")
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, i)
		assert.JSONEq(t, tooManyBody, string(body))
		assert.Equal(t, strconv.FormatInt(tn.clock.Now().Unix()+1, 10), resp.Header.Get("x-ratelimit-reset"))
		assert.Equal(t, "0", resp.Header.Get("x-ratelimit-remaining"))
		assert.Equal(t, 1-i, tn.srv.PendingFaults().TooManyRequests, "counts down")
	}
	resp, _ := tn.get("/api/v2/logs")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 2, tn.srv.Stats().TooManyRequests)

	tn.srv.SetFaults(Faults{TooManyRequests: 1, OmitRateLimitReset: true})
	resp, _ = tn.get("/api/v2/logs")
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	_, present := resp.Header["X-Ratelimit-Reset"]
	assert.False(t, present)
}

func TestFaultServerErrors(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	for _, tc := range []struct{ set, want int }{{0, 500}, {500, 500}, {502, 502}, {503, 503}} {
		tn.srv.SetFaults(Faults{ServerErrors: 2, ServerErrorStatus: tc.set})
		for range 2 {
			resp, body := tn.get("/api/v2/logs")
			requireAPIError(t, resp, body, tc.want, http.StatusText(tc.want), "")
		}
		resp, _ := tn.get("/api/v2/logs")
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	}
	tn.srv.SetFaults(Faults{ServerErrors: 1})
	tn.fetchToken()
	assert.Equal(t, 1, tn.srv.PendingFaults().ServerErrors, "the token endpoint does not consume API faults")
}

func TestFaultLatency(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	tn.srv.SetFaults(Faults{Latency: 30 * time.Millisecond})
	start := time.Now()
	resp, _ := tn.get("/api/v2/logs")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)

	// A client that gives up is not held for the whole delay.
	tn.srv.SetFaults(Faults{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, tn.ts.URL+"/api/v2/logs", nil)
	require.NoError(t, err)
	_, err = http.DefaultClient.Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	tn.srv.SetFaults(Faults{})
}

func TestFaultBrokenBodies(t *testing.T) {
	tn := newTenant(t, Options{}, makeEvents(5, newFakeClock().Now()))

	tn.srv.SetFaults(Faults{ResetConnections: 1})
	resp, err := http.DefaultClient.Do(authed(t, tn, "/api/v2/logs"))
	require.NoError(t, err, "headers arrive")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.ErrorIs(t, err, io.ErrUnexpectedEOF, "the body is cut off")

	tn.srv.SetFaults(Faults{TruncatedBodies: 1})
	resp, body := tn.get("/api/v2/logs")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, strconv.Itoa(len(body)), resp.Header.Get("Content-Length"))
	var v any
	assert.ErrorContains(t, json.Unmarshal(body, &v), "unexpected end of JSON input")

	tn.srv.SetFaults(Faults{MalformedBodies: 1})
	resp, body = tn.get("/api/v2/logs")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.False(t, json.Valid(body))
	assert.Equal(t, "[,]", string(malform([]byte("[]"))))

	assert.Len(t, tn.logs("/api/v2/logs"), 5, "every body fault was used up")
	assert.Equal(t, Faults{}, tn.srv.PendingFaults())
	assert.Equal(t, 3, tn.srv.Stats().FaultsServed)
}

func TestBodyFaultsWaitForASuccess(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	tn.srv.SetFaults(Faults{TruncatedBodies: 1})
	resp, body := tn.get("/api/v2/logs/missing")
	requireAPIError(t, resp, body, 404, "log not found", "inexistent_log")
	assert.Equal(t, 1, tn.srv.PendingFaults().TruncatedBodies)
}

func authed(t *testing.T, tn *tenant, path string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, tn.ts.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tn.token)
	return req
}

func TestFaultExpireTokens(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	tn.srv.SetFaults(Faults{ExpireTokens: true})
	assert.False(t, tn.srv.PendingFaults().ExpireTokens, "one-shot")
	resp, body := tn.get("/api/v2/logs")
	requireAPIError(t, resp, body, 401, "Expired token received for JSON Web Token validation", "")
	resp, _ = tn.getWith(tn.fetchToken(), "/api/v2/logs")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "tokens issued afterwards work")
}

func TestFaultsFromOptionsApplyFromTheStart(t *testing.T) {
	srv := New(Options{Domain: testDomain, ClientID: testClientID, ClientSecret: testSecret,
		Faults: &Faults{RevokeSecret: true}}, nil)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	resp, err := http.PostForm(ts.URL+"/oauth/token", validForm())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestFaultRevokeSecretBlocksNewTokensOnly(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	tn.srv.SetFaults(Faults{RevokeSecret: true})
	resp, body := tn.postToken(validForm())
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.JSONEq(t, `{"error":"access_denied","error_description":"Unauthorized"}`, string(body))
	resp, _ = tn.get("/api/v2/logs")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "issued tokens keep working")
	tn.srv.SetFaults(Faults{})
	tn.fetchToken()
}

func TestFaultsFromOptionsAndConcurrentCountdown(t *testing.T) {
	tn := newTenant(t, Options{Faults: &Faults{TooManyRequests: 10}}, nil)
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			resp, err := http.DefaultClient.Do(authed(t, tn, "/api/v2/logs"))
			if !assert.NoError(t, err) {
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	assert.Equal(t, map[int]int{429: 10, 200: 20}, statuses, "each fault is served exactly once")
}
