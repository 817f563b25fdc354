package emulator

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentUse mixes every kind of request with live Adds, stats reads and fault changes; it
// exists to be run with -race.
func TestConcurrentUse(t *testing.T) {
	clock := newFakeClock()
	tn := newTenant(t, Options{Now: clock.Now, RateLimit: RateLimit{Burst: 1000, PerMinute: 6000}},
		makeEvents(300, clock.Now()))
	paths := []string{"/api/v2/logs", "/api/v2/logs?sort=date:1", "/api/v2/logs?sort=type:-1",
		"/api/v2/logs?from=0&take=100", "/api/v2/users/auth0%7Cuser1/logs", "/api/v2/logs?q=type:s"}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 15 {
				resp, err := http.DefaultClient.Do(authed(t, tn, paths[(w+i)%len(paths)]))
				if !assert.NoError(t, err) {
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				assert.Equal(t, http.StatusOK, resp.StatusCode)
			}
		})
	}
	wg.Go(func() {
		for i := range 50 {
			at := clock.Now().Add(-time.Minute)
			tn.srv.Add(event.Event{LogID: logID(at, 100000+i), Date: at, Type: "s"})
			_ = tn.srv.Stats()
			tn.srv.SetFaults(Faults{})
		}
	})
	wg.Wait()
	assert.Equal(t, 350, tn.srv.Len())
	assert.Equal(t, 120, countRequests(tn.srv.Stats())-1, "every request counted (plus the token)")
}

func countRequests(st Stats) int {
	n := 0
	for _, c := range st.Requests {
		n += c
	}
	return n
}

func TestAddOutOfOrderKeepsIndexesSorted(t *testing.T) {
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(id int, sec int) event.Event {
		return event.Event{LogID: fmt.Sprintf("%03d", id), Date: base.Add(time.Duration(sec) * time.Second)}
	}
	st := newStore([]event.Event{mk(1, 10), mk(5, 50), mk(9, 90)})
	st.add([]event.Event{mk(7, 5), mk(3, 95)})
	byID := make([]string, 0)
	for _, e := range st.byID {
		byID = append(byID, e.LogID)
	}
	assert.Equal(t, []string{"001", "003", "005", "007", "009"}, byID)
	assert.True(t, slices.IsSortedFunc(st.byDate, compareDate))
	got := st.search(func(*event.Event) bool { return true }, sortOrder{field: "date", desc: true}, 1, 2)
	assert.Equal(t, "009", got[0].LogID)
	assert.Equal(t, "005", got[1].LogID)
	e, ok := st.get("007")
	require.True(t, ok)
	assert.Equal(t, base.Add(5*time.Second), e.Date)
	_, ok = st.get("004")
	assert.False(t, ok)
}

func TestListenAndServe(t *testing.T) {
	srv := New(Options{Domain: testDomain, ClientID: testClientID, ClientSecret: testSecret}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, done, err := srv.ListenAndServe(ctx, "127.0.0.1:0")
	require.NoError(t, err)
	resp, err := http.PostForm(base+"/oauth/token", validForm())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not shut down after ctx ended")
	}
	_, open := <-done
	assert.False(t, open, "done is closed after the result")
	_, err = http.PostForm(base+"/oauth/token", validForm())
	assert.Error(t, err, "no longer listening")

	_, _, err = srv.ListenAndServe(context.Background(), "256.0.0.1:0")
	assert.ErrorContains(t, err, "listen on 256.0.0.1:0")
}
