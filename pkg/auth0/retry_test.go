package auth0

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tooMany = `{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}`

func TestRateLimitedWithResetThenSuccess(t *testing.T) {
	reset := time.Now().Add(30 * time.Second).Unix()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		if hit == 1 {
			w.Header().Set("X-RateLimit-Limit", "100")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
			writeJSON(w, 429, tooMany)
			return
		}
		writeJSON(w, 200, logsJSON("1"))
	})
	c, rec := newTestClient(t, f)
	got, err := c.SearchLogs(context.Background(), SearchParams{PerPage: 10})
	require.NoError(t, err)
	assert.Len(t, got, 1)
	waits := rec.waits()
	require.Len(t, waits, 1, "one wait, for the reset")
	assert.InDelta(t, time.Until(time.Unix(reset, 0)).Seconds(), waits[0].Seconds(), 5, "waits until x-ratelimit-reset")
	s := c.Stats()
	assert.Equal(t, int64(2), s.Requests)
	assert.Equal(t, int64(1), s.RateLimited)
	assert.Equal(t, int64(1), s.Retries)
	assert.Equal(t, RateLimit{Limit: 100, Remaining: 0, Reset: time.Unix(reset, 0).UTC()}, s.LastRateLimit)
}

func TestRateLimitedWithoutResetBacksOff(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		if hit <= 2 {
			writeJSON(w, 429, tooMany)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	c, rec := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)
	waits := rec.waits()
	require.Len(t, waits, 2)
	assert.InDelta(t, testBackoff(1).Seconds(), waits[0].Seconds(), 5)
	assert.InDelta(t, testBackoff(2).Seconds(), waits[1].Seconds(), 5)
	assert.Equal(t, int64(3), f.apiHits.Load())
}

func TestRateLimitedExhausted(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) { writeJSON(w, 429, tooMany) })
	c, _ := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.Error(t, err)
	assert.True(t, IsRateLimited(err))
	assert.False(t, IsAuth(err))
	assert.Contains(t, err.Error(), "Global limit has been reached")
	assert.Contains(t, err.Error(), "after 3 retries")
	assert.Equal(t, int64(1+DefaultMaxRetries), f.apiHits.Load())
	f.assertClean(t, err)
}

func TestServerErrorThenSuccess(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		if hit <= 2 {
			writeJSON(w, 503, `{"statusCode":503,"error":"Service Unavailable","message":"try later"}`)
			return
		}
		writeJSON(w, 200, logsJSON("a", "b"))
	})
	c, rec := newTestClient(t, f)
	got, err := c.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)
	assert.Len(t, got, 2)
	assert.Equal(t, []time.Duration{testBackoff(0), testBackoff(1)}, rec.waits(), "exponential backoff per retry")
	assert.Equal(t, int64(2), c.Stats().ServerErrors)
	assert.Equal(t, int64(2), c.Stats().Retries)
}

func TestServerErrorExhausted(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		writeJSON(w, 500, `{"statusCode":500,"error":"Internal Server Error","message":"boom"}`)
	})
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 500, e.Status)
	assert.True(t, e.Downstream)
	assert.Contains(t, err.Error(), "after 2 retries")
	assert.Contains(t, err.Error(), "status.auth0.com")
	assert.Equal(t, int64(3), f.apiHits.Load())
	f.assertClean(t, err)
}

func TestNegativeMaxRetriesDisablesRetries(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) { writeJSON(w, 502, `bad gateway`) })
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.MaxRetries = -1 })
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bad gateway", "a non-JSON body is quoted")
	assert.Equal(t, int64(1), f.apiHits.Load())
}

func TestTransportErrorRetried(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		if hit == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			require.NoError(t, err)
			_ = conn.Close() // the connection drops without an answer
			return
		}
		writeJSON(w, 200, `[]`)
	})
	// Without keep-alive the transport cannot replay the request on its own, so the retry seen
	// here is the client's.
	c, rec := newTestClient(t, f, func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	})
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)
	assert.Equal(t, int64(2), f.apiHits.Load())
	assert.Len(t, rec.waits(), 1)
}

func TestOtherClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 404, 409, 414} {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
			writeJSON(w, status, `{"statusCode":`+strconv.Itoa(status)+`,"error":"x","message":"no"}`)
		})
		c, _ := newTestClient(t, f)
		_, err := c.SearchLogs(context.Background(), SearchParams{})
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, status, e.Status)
		assert.True(t, e.Downstream)
		assert.Equal(t, int64(1), f.apiHits.Load(), "status %d", status)
	}
}

func TestAPI401RefreshesTokenOnce(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		if r.Header.Get("Authorization") == "Bearer tok-1-AAAA" {
			writeJSON(w, 401, `{"statusCode":401,"error":"Unauthorized","message":"Expired token received for JSON Web Token validation"}`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	c, rec := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)
	assert.Equal(t, int64(2), f.tokenHits.Load())
	assert.Equal(t, []string{"Bearer tok-1-AAAA", "Bearer tok-2-AAAA"}, f.authHeaders())
	assert.Empty(t, rec.waits(), "the refresh retry is immediate")

	_, err = c.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)
	assert.Equal(t, int64(2), f.tokenHits.Load(), "the new token is cached")
}

func TestAPI401Persistent(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		writeJSON(w, 401, `{"statusCode":401,"error":"Unauthorized","message":"Invalid token"}`)
	})
	c, _ := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.Error(t, err)
	assert.True(t, IsAuth(err))
	assert.Contains(t, err.Error(), "even after fetching a new one")
	assert.Equal(t, int64(2), f.apiHits.Load(), "one refresh retry, no more")
	assert.Equal(t, int64(2), f.tokenHits.Load())
	f.assertClean(t, err)
}

func TestCancelDuringRateLimitWait(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
		writeJSON(w, 429, tooMany)
	})
	c, _ := newTestClient(t, f)
	waiting := make(chan time.Duration, 1)
	c.sleep = func(ctx context.Context, d time.Duration) error {
		waiting <- d
		return sleepCtx(ctx, d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.SearchLogs(ctx, SearchParams{})
		done <- err
	}()
	d := <-waiting
	assert.InDelta(t, maxPause.Seconds(), d.Seconds(), 5, "a reset an hour away is capped")
	cancel()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "rate limit")
	case <-time.After(time.Minute):
		t.Fatal("SearchLogs kept waiting after its context was cancelled")
	}
	assert.Equal(t, int64(1), f.apiHits.Load())
}

func TestRateLimitPauseOutlastingDeadlineFailsFast(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Minute).Unix(), 10))
		writeJSON(w, 429, tooMany)
	})
	c, rec := newTestClient(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := c.SearchLogs(ctx, SearchParams{})
	require.Error(t, err)
	assert.True(t, IsRateLimited(err), "the 429 itself is returned, not a bare deadline")
	assert.Contains(t, err.Error(), "resets at")
	assert.Empty(t, rec.waits())
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
}

func TestEmptyBucketPausesNextRequest(t *testing.T) {
	reset := time.Now().Add(40 * time.Second).Unix()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
		writeJSON(w, 200, `[]`)
	})
	c, rec := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)
	assert.Empty(t, rec.waits())
	_, err = c.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)
	require.Len(t, rec.waits(), 1, "the second request waits for the refill instead of drawing a 429")
	assert.InDelta(t, 40, rec.waits()[0].Seconds(), 5)
}

func TestCancelledCallerDoesNotSpoilTokenFetch(t *testing.T) {
	f := newFake(t, okEmpty)
	started, release := make(chan struct{}), make(chan struct{})
	f.token = func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		f.issueToken(w, r)
	}
	c, _ := newTestClient(t, f)
	ctxA, cancelA := context.WithCancel(context.Background())
	doneA := make(chan error, 1)
	go func() {
		_, err := c.SearchLogs(ctxA, SearchParams{})
		doneA <- err
	}()
	<-started
	cancelA()
	assert.ErrorIs(t, <-doneA, context.Canceled, "the cancelled caller returns while the fetch is still running")

	doneB := make(chan error, 1)
	go func() {
		_, err := c.SearchLogs(context.Background(), SearchParams{})
		doneB <- err
	}()
	close(release)
	require.NoError(t, <-doneB, "the fetch A started completes for B")
	assert.Equal(t, int64(1), f.tokenHits.Load())
	assert.Equal(t, int64(1), f.apiHits.Load())
}
