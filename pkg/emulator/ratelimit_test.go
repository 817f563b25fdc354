package emulator

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tooManyBody = `{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}`

func TestRateLimitHeadersAndBurst(t *testing.T) {
	tn := newTenant(t, Options{RateLimit: RateLimit{Burst: 3, PerMinute: 60}}, makeEvents(3, newFakeClock().Now()))
	now := tn.clock.Now().Unix()
	for i, wantRemaining := range []string{"2", "1", "0"} {
		resp, _ := tn.get("/api/v2/logs")
		require.Equal(t, http.StatusOK, resp.StatusCode, i)
		assert.Equal(t, "3", resp.Header.Get("x-ratelimit-limit"))
		assert.Equal(t, wantRemaining, resp.Header.Get("x-ratelimit-remaining"))
		assert.Equal(t, strconv.FormatInt(now+1, 10), resp.Header.Get("x-ratelimit-reset"), "next token in 1 s")
	}
	resp, body := tn.get("/api/v2/logs")
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.JSONEq(t, tooManyBody, string(body))
	assert.Equal(t, "0", resp.Header.Get("x-ratelimit-remaining"))
	assert.Equal(t, strconv.FormatInt(now+1, 10), resp.Header.Get("x-ratelimit-reset"))

	tn.clock.Advance(time.Second)
	resp, _ = tn.get("/api/v2/logs")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "one token came back")
	resp, _ = tn.get("/api/v2/logs")
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)

	st := tn.srv.Stats()
	assert.Equal(t, 2, st.TooManyRequests)
	assert.Equal(t, 6, st.Requests[EndpointLogs])

	tn.clock.Advance(time.Hour)
	resp, _ = tn.get("/api/v2/logs")
	assert.Equal(t, "2", resp.Header.Get("x-ratelimit-remaining"), "refill stops at the burst")
}

func TestRateLimitAppliesToEveryAPIEndpointButNotTokens(t *testing.T) {
	tn := newTenant(t, Options{RateLimit: RateLimit{Burst: 2}}, nil)
	_, _ = tn.get("/api/v2/logs/x")
	_, _ = tn.get("/api/v2/users/u/logs")
	resp, _ := tn.get("/api/v2/logs?from=1")
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, strconv.FormatInt(tn.clock.Now().Add(time.Minute).Unix(), 10), resp.Header.Get("x-ratelimit-reset"),
		"a bucket that never refills still gives a reset time")
	tn.fetchToken() // the token endpoint is not counted against the bucket
}

func TestRateLimitOffSendsNoHeaders(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	for range 20 {
		resp, _ := tn.get("/api/v2/logs")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("x-ratelimit-limit"))
	}
}

func TestBucketResetRoundsUpToTheNextToken(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	b := newBucket(RateLimit{Burst: 10, PerMinute: 100}, start) // a token every 0.6 s
	h := http.Header{}
	for range 10 {
		require.True(t, b.take(start, h))
	}
	require.False(t, b.take(start, h))
	assert.Equal(t, "1700000001", h.Get("x-ratelimit-reset"), "0.6 s rounds up to the next second")
	require.False(t, b.take(start.Add(500*time.Millisecond), h))
	require.True(t, b.take(start.Add(700*time.Millisecond), h))
	assert.Equal(t, "0", h.Get("x-ratelimit-remaining"))
	assert.Equal(t, "1700000002", h.Get("x-ratelimit-reset"), "the next token is due at 1.2 s")
}
