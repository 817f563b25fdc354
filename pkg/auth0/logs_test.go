package auth0

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParamsRefusedBeforeAnyRequest(t *testing.T) {
	f := newFake(t, okEmpty)
	c, _ := newTestClient(t, f)
	ctx := context.Background()
	cases := []struct {
		name string
		call func() error
		want string
	}{
		{"per_page 101", func() error { _, err := c.SearchLogs(ctx, SearchParams{PerPage: 101}); return err }, "1 to 100"},
		{"per_page negative", func() error { _, err := c.SearchLogs(ctx, SearchParams{PerPage: -1}); return err }, "1 to 100"},
		{"page 10 of 100", func() error { _, err := c.SearchLogs(ctx, SearchParams{Page: 10, PerPage: 100}); return err }, "1,000"},
		{"page 20 of default 50", func() error { _, err := c.SearchLogs(ctx, SearchParams{Page: 20}); return err }, "narrow the time range"},
		{"negative page", func() error { _, err := c.SearchLogs(ctx, SearchParams{Page: -1}); return err }, "start at 0"},
		{"bad sort", func() error { _, err := c.SearchLogs(ctx, SearchParams{Sort: "date desc"}); return err }, "date:-1"},
		{"bad field", func() error { _, err := c.SearchLogs(ctx, SearchParams{Fields: []string{"date,type"}}); return err }, "field name"},
		{"take 101", func() error { _, _, err := c.CheckpointLogs(ctx, "900", 101); return err }, "1 to 100"},
		{"user per_page", func() error { _, err := c.UserLogs(ctx, "auth0|1", 0, 101, ""); return err }, "1 to 100"},
		{"user page past cap", func() error { _, err := c.UserLogs(ctx, "auth0|1", 10, 100, ""); return err }, "1,000"},
		{"no user", func() error { _, err := c.UserLogs(ctx, "", 0, 10, ""); return err }, "user id"},
		{"no log id", func() error { _, err := c.GetLog(ctx, ""); return err }, "log id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Contains(t, err.Error(), tc.want)
			assert.False(t, e.Downstream)
		})
	}
	assert.Equal(t, int64(0), f.apiHits.Load())
	assert.Equal(t, int64(0), f.tokenHits.Load())
}

func TestLastReachablePageIsAllowed(t *testing.T) {
	f := newFake(t, okEmpty)
	c, _ := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{Page: 9, PerPage: 100})
	require.NoError(t, err)
	_, err = c.SearchLogs(context.Background(), SearchParams{Page: 19})
	require.NoError(t, err)
}

func TestSearchURL(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		writeJSON(w, 200, `{"start":0,"limit":100,"length":1,"total":1,"logs":`+logsJSON("9")+`}`)
	})
	c, _ := newTestClient(t, f)
	no := false
	got, err := c.SearchLogs(context.Background(), SearchParams{
		Q: `type:"f" AND date:[2024-05-01 TO *]`, Page: 2, PerPage: 100, Sort: "date:-1",
		Fields: []string{"date", "type"}, IncludeFields: &no, IncludeTotals: true,
	})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "9", got[0].LogID)
	assert.Equal(t, []string{"/api/v2/logs?fields=date%2Ctype&include_fields=false&include_totals=true&page=2&per_page=100" +
		"&q=type%3A%22f%22+AND+date%3A%5B2024-05-01+TO+%2A%5D&sort=date%3A-1"}, f.requestURIs())
}

func TestUnusableElementsBecomePlaceholders(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		writeJSON(w, 200, `[{"log_id":"1"},42,{"log_id":"2"}]`)
	})
	c, _ := newTestClient(t, f)
	got, err := c.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)
	require.Len(t, got, 3, "the page keeps its length, so a full page is not taken for the last")
	assert.Equal(t, []string{"1", "2", ""}, []string{got[0].LogID, got[1].LogID, got[2].LogID}, "the unreadable one has no log_id")

	f2 := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) { writeJSON(w, 200, `<html>`) })
	c2, _ := newTestClient(t, f2)
	_, err = c2.SearchLogs(context.Background(), SearchParams{})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Downstream)
	assert.Contains(t, err.Error(), "cannot be read")
}

// cursorServer pages through n logs in checkpoint mode. Its Link carries an opaque cursor, not a
// log_id, so a client that ignores the Link and reuses the last log_id would read pages twice.
func cursorServer(t *testing.T, n int) *fakeAuth0 {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("900%06d", i+1)
	}
	return newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) {
		from, take := r.URL.Query().Get("from"), 50
		if v := r.URL.Query().Get("take"); v != "" {
			take, _ = strconv.Atoi(v)
		}
		start := 0
		if pos, ok := strings.CutPrefix(from, "cursor-"); ok {
			start, _ = strconv.Atoi(pos)
		} else {
			for start < n && ids[start] <= from {
				start++
			}
		}
		end := min(start+take, n)
		w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v2/logs?from=cursor-%d&take=%d>; rel="next"`, r.Host, end, take))
		writeJSON(w, 200, logsJSON(ids[start:end]...))
	})
}

func TestCheckpointFollowsLinkAcrossPages(t *testing.T) {
	f := cursorServer(t, 250)
	c, _ := newTestClient(t, f)
	var all []string
	from := "900000000"
	for pages := 0; ; pages++ {
		require.Less(t, pages, 20, "paging did not end")
		got, next, err := c.CheckpointLogs(context.Background(), from, 30)
		require.NoError(t, err)
		if len(got) == 0 {
			assert.Equal(t, from, next, "an empty page keeps the checkpoint")
			break
		}
		for _, ev := range got {
			all = append(all, ev.LogID)
		}
		assert.True(t, strings.HasPrefix(next, "cursor-"), "next comes from the Link header")
		from = next
	}
	require.Len(t, all, 250)
	for i := 1; i < len(all); i++ {
		assert.Less(t, all[i-1], all[i], "ascending, no repeats")
	}
	uris := f.requestURIs()
	assert.Equal(t, "/api/v2/logs?from=900000000&take=30", uris[0])
	assert.Equal(t, "/api/v2/logs?from=cursor-30&take=30", uris[1])
}

func TestNextLink(t *testing.T) {
	cases := map[string]string{
		`<https://t/api/v2/logs?from=9&take=100>; rel="next"`:                          "https://t/api/v2/logs?from=9&take=100",
		`<https://t/a>; rel="prev", <https://t/b?from=2>; rel=next`:                    "https://t/b?from=2",
		`<https://t/a>;rel="first" , <https://t/c?from=3>; title="x"; rel="last next"`: "https://t/c?from=3",
		`<https://t/a>; rel="prev"`:                                                    "",
		``:                                                                             "",
		`garbage`:                                                                      "",
		`>< rel=next`:                                                                  "",
	}
	for in, want := range cases {
		assert.Equal(t, want, nextLink([]string{in}), in)
	}
	assert.Equal(t, "https://t/z", nextLink([]string{`<https://t/y>; rel="prev"`, `<https://t/z>; rel="next"`}))
}

func TestConcurrentCallsShareOneToken(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, hit int64) { writeJSON(w, 200, logsJSON("1")) })
	c, _ := newTestClient(t, f)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.SearchLogs(context.Background(), SearchParams{PerPage: 1})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, int64(1), f.tokenHits.Load())
	assert.Equal(t, int64(20), f.apiHits.Load())
	assert.Equal(t, int64(20), c.Stats().Requests)
}

func TestLimiterSharedPerTenant(t *testing.T) {
	f := newFake(t, okEmpty)
	oneAMinute := func(cfg *Config) { cfg.RequestsPerMinute = 1 }
	first, _ := newTestClient(t, f, oneAMinute)
	rebuilt, _ := newTestClient(t, f, oneAMinute)
	other, _ := newTestClient(t, f, oneAMinute, func(cfg *Config) { cfg.ClientID = "another-app" })
	require.Same(t, first.tenant, rebuilt.tenant)

	_, err := first.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err)

	// The budget of one a minute is spent, so a rebuilt client of the same tenant must wait about
	// a minute; the limiter refuses at once because the deadline is sooner.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = rebuilt.SearchLogs(ctx, SearchParams{})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "the data source's limit of 1 request a minute")
	assert.Equal(t, LimitDataSource, WhichLimit(err), "the plugin's own limit, not Auth0's")
	assert.False(t, IsRateLimited(err), "Auth0 never answered 429")
	assert.Equal(t, int64(1), f.apiHits.Load())

	_, err = other.SearchLogs(ctx, SearchParams{})
	require.NoError(t, err, "another tenant has its own budget")
	assert.Equal(t, int64(2), f.apiHits.Load())
}

func TestTenantBudgetFollowsSettings(t *testing.T) {
	tn := tenantFor("https://budget.example", "cid", 30)
	assert.Equal(t, 10, tn.gate.lim.Burst())
	again := tenantFor("https://BUDGET.example", "cid", 5)
	require.Same(t, tn, again, "the host is case-insensitive")
	assert.Equal(t, 5, tn.gate.lim.Burst())
	assert.InDelta(t, 5.0/60, float64(tn.gate.lim.Limit()), 1e-9)
}
