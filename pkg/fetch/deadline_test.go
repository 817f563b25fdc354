package fetch

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deadlineClock stands in for time.AfterFunc: the test decides when the answer-by moment comes,
// so nothing depends on how fast the machine is.
type deadlineClock struct {
	mu    sync.Mutex
	waits []time.Duration
	fire  []func()
}

func (c *deadlineClock) afterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.fire = append(c.fire, f)
	return func() bool { return false }
}

// now fires every answer-by moment set so far.
func (c *deadlineClock) now() {
	c.mu.Lock()
	fire := c.fire
	c.mu.Unlock()
	for _, f := range fire {
		f()
	}
}

func (c *deadlineClock) lastWait() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waits[len(c.waits)-1]
}

func TestASlowAuth0IsAnsweredBeforeTheDeadlineWithWhatWasRead(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(1000, day0, 10*time.Hour), hang: make(chan struct{}), answered: 3}
	clock := &deadlineClock{}
	f := New(Options{Search: fake.search, Now: func() time.Time { return day0.Add(48 * time.Hour) }, AfterFunc: clock.afterFunc})
	r := Request{From: day0, To: day0.Add(10 * time.Hour)}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()

	type answer struct {
		res Result
		err error
	}
	got := make(chan answer, 1)
	go func() {
		res, err := f.Fetch(ctx, r)
		got <- answer{res, err}
	}()
	require.Eventually(t, func() bool { return fake.calls.Load() > 3 }, time.Minute, time.Millisecond, "the fourth request hangs")
	wait := clock.lastWait()
	assert.True(t, wait <= 54*time.Minute && wait > 53*time.Minute, "a tenth of the time left is kept to answer, not %s", wait)
	clock.now()
	a := <-got

	require.ErrorIs(t, a.err, ErrSlow)
	require.ErrorIs(t, a.err, context.DeadlineExceeded, "a timeout, not a cancellation")
	require.NotNil(t, a.res.Missing)
	assert.Equal(t, day0, a.res.Missing.From)
	// Three pages of 100 were read, each after the first repeating the boundary event (298), and
	// the oldest timestamp read may go on, so it is left out.
	assert.Equal(t, 297, len(a.res.Events))
	for _, e := range a.res.Events {
		assert.False(t, e.Date.Before(a.res.Missing.To), "nothing older than the missing part's end")
	}
	assert.Equal(t, 3, a.res.Cost.Requests)

	// The read goes on after the answer; the next fetch gets the rest without reading twice.
	close(fake.hang)
	res, err := f.Fetch(context.Background(), r)
	require.NoError(t, err)
	assert.Equal(t, 1000, len(res.Events))
	assert.LessOrEqual(t, fake.calls.Load(), int64(12))
}

func TestATokenEndpointThatNeverAnswersTimesOutBeforeTheDeadline(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(100, day0, time.Hour), hang: make(chan struct{})}
	defer close(fake.hang)
	clock := &deadlineClock{}
	f := New(Options{Search: fake.search, Now: func() time.Time { return day0.Add(time.Hour) }, AfterFunc: clock.afterFunc})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	got := make(chan error, 1)
	var res Result
	go func() {
		var err error
		res, err = f.Fetch(ctx, Request{From: day0, To: day0.Add(time.Hour), Mode: Latest, Limit: 100})
		got <- err
	}()
	require.Eventually(t, func() bool { return fake.calls.Load() == 1 }, time.Minute, time.Millisecond)
	clock.now()
	require.ErrorIs(t, <-got, ErrSlow)
	assert.Empty(t, res.Events)
	require.NotNil(t, res.Missing)
	assert.Equal(t, Interval{From: day0, To: day0.Add(time.Hour)}, *res.Missing)
	assert.NoError(t, ctx.Err(), "answered before the caller's deadline")
}

func TestAnswerByMargin(t *testing.T) {
	for _, tt := range []struct{ left, wait time.Duration }{
		{10 * time.Second, 9 * time.Second},   // a second
		{time.Minute, 54 * time.Second},       // a tenth
		{time.Second, 500 * time.Millisecond}, // at most half
		{-time.Second, -time.Second},          // past: at once
	} {
		assert.Equal(t, tt.wait, answerWait(tt.left), "%s left", tt.left)
	}
	_, stop := New(Options{}).answerBy(context.Background())
	assert.False(t, stop(), "no deadline, no answer-by moment")
}
