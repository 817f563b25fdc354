package auth0_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/emulator"
)

// steppingClock moves two seconds on at every reading, so each one-second token the emulator
// issues has expired by the time a request shows it: the sharpest form of a slow request or a
// skewed clock.
type steppingClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(2 * time.Second)
	return c.now
}

func TestExpiredTokenAdviceIsTrue(t *testing.T) {
	clk := &steppingClock{now: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)}
	emu := emulator.New(emulator.Options{Domain: "expiry.test", ClientID: "cid", ClientSecret: "secret-of-the-test",
		TokenTTL: time.Second, Now: clk.Now}, nil)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	c, err := auth0.New(auth0.Config{BaseURL: srv.URL, Audience: "https://expiry.test/api/v2/", ClientID: "cid",
		ClientSecret: "secret-of-the-test", HTTPClient: srv.Client(), RequestsPerMinute: 6000, MaxRetries: -1})
	require.NoError(t, err)
	t.Cleanup(c.Close)

	_, err = c.SearchLogs(context.Background(), auth0.SearchParams{})
	require.Error(t, err)
	assert.True(t, auth0.IsAuth(err))
	msg := err.Error()
	assert.Contains(t, msg, "token had expired")
	assert.Contains(t, msg, "renewed automatically")
	assert.Contains(t, msg, "clock")
	assert.NotContains(t, msg, "audience", "nothing is wrong with the audience")
	assert.Equal(t, int64(2), c.Stats().TokenRequests, "one renewal was tried before giving up")
}
