package emulator

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// bucket is Auth0's per-tenant token bucket: Burst tokens, refilled continuously at PerMinute.
// It reads time from the server's clock so tests can move time instead of sleeping.
type bucket struct {
	mu        sync.Mutex
	burst     float64
	perSecond float64
	tokens    float64
	last      time.Time
}

func newBucket(rl RateLimit, now time.Time) *bucket {
	if rl.Burst <= 0 {
		return nil
	}
	return &bucket{burst: float64(rl.Burst), perSecond: float64(max(rl.PerMinute, 0)) / 60,
		tokens: float64(rl.Burst), last: now}
}

// take spends one token if there is one and sets the x-ratelimit-* headers either way.
func (b *bucket) take(now time.Time, h http.Header) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(b.burst, b.tokens+elapsed*b.perSecond)
		b.last = now
	}
	ok := b.tokens >= 1
	if ok {
		b.tokens--
	}
	h.Set("x-ratelimit-limit", strconv.Itoa(int(b.burst)))
	h.Set("x-ratelimit-remaining", strconv.Itoa(int(math.Floor(b.tokens))))
	h.Set("x-ratelimit-reset", strconv.FormatInt(b.nextRefill(now), 10))
	return ok
}

// nextRefill is the UNIX second at which the next whole token is added (now when the bucket is
// full). A bucket that never refills reports a minute ahead, so a client still waits, not spins.
func (b *bucket) nextRefill(now time.Time) int64 {
	if b.tokens >= b.burst {
		return now.Unix()
	}
	if b.perSecond <= 0 {
		return now.Add(time.Minute).Unix()
	}
	missing := 1 - (b.tokens - math.Floor(b.tokens))
	at := now.Add(time.Duration(missing / b.perSecond * float64(time.Second)))
	return int64(math.Ceil(float64(at.UnixNano()) / 1e9))
}
