package fetch

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type classKey struct{}

// TestReadsOfAnotherClassDoNotJoin: a read runs at its leader's priority, so an alert rule must
// not wait inside a dashboard's read; with FlightClass set, callers of different classes read
// apart, and callers of one class still share.
func TestReadsOfAnotherClassDoNotJoin(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(300, day0, 24*time.Hour), gate: make(chan struct{})}
	f := New(Options{Search: fake.search, Now: func() time.Time { return day0.Add(48 * time.Hour) },
		FlightClass: func(ctx context.Context) string { s, _ := ctx.Value(classKey{}).(string); return s }})
	r := Request{From: day0, To: day0.Add(24 * time.Hour)}
	done := make(chan Result, 3)
	read := func(class string) {
		res, err := f.Fetch(context.WithValue(context.Background(), classKey{}, class), r)
		assert.NoError(t, err)
		done <- res
	}
	go read("")
	require.Eventually(t, func() bool { return fake.calls.Load() >= 1 }, time.Minute, time.Millisecond)
	go read("") // a second dashboard: joins
	waitForJoiners(t, f, 1)
	go read("alert") // an alert rule: reads on its own
	require.Eventually(t, func() bool { return fake.calls.Load() >= 2 }, time.Minute, time.Millisecond,
		"the alert's read started beside the dashboard's instead of waiting inside it")
	close(fake.gate)
	for range 3 {
		assert.Len(t, (<-done).Events, 300)
	}
	assert.Equal(t, int64(1), f.Stats().Joined, "only the second dashboard joined")
}
