package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sortedIDs(evs []event.Event, desc bool) []string {
	out := make([]string, len(evs))
	for i := range evs {
		out[i] = evs[i].LogID
	}
	sort.Strings(out)
	if desc {
		slices.Reverse(out)
	}
	return out
}

func TestSearchDefaultOrderIsNewestLogIDFirst(t *testing.T) {
	evs := makeEvents(120, newFakeClock().Now())
	tn := newTenant(t, Options{}, evs)
	want := sortedIDs(evs, true)
	assert.Equal(t, want[:50], ids(tn.logs("/api/v2/logs")), "default per_page is 50")
	assert.Equal(t, want[100:], ids(tn.logs("/api/v2/logs?page=1&per_page=100")))
	assert.Equal(t, want[10:15], ids(tn.logs("/api/v2/logs?page=2&per_page=5")))
}

func TestSearchSortByDate(t *testing.T) {
	evs := makeEvents(60, newFakeClock().Now())
	tn := newTenant(t, Options{}, evs)
	dates := func(logs []map[string]any) []string {
		out := make([]string, len(logs))
		for i, l := range logs {
			out[i] = l["date"].(string)
		}
		return out
	}
	asc := dates(tn.logs("/api/v2/logs?sort=date:1&per_page=100"))
	require.Len(t, asc, 60)
	assert.True(t, slices.IsSorted(asc), "date:1 ascending")
	desc := dates(tn.logs("/api/v2/logs?sort=date:-1&per_page=100"))
	assert.True(t, slices.IsSortedFunc(desc, func(a, b string) int { return strings.Compare(b, a) }), "date:-1 descending")
	assert.NotEqual(t, ids(tn.logs("/api/v2/logs?sort=date:-1")), ids(tn.logs("/api/v2/logs")),
		"date order differs from log_id order in this data, so the sort really applies")
}

func TestSearchSortByOtherField(t *testing.T) {
	tn := newTenant(t, Options{}, makeEvents(30, newFakeClock().Now()))
	logs := tn.logs("/api/v2/logs?sort=type:1&per_page=100")
	types := make([]string, len(logs))
	for i, l := range logs {
		types[i] = l["type"].(string)
	}
	assert.True(t, slices.IsSorted(types), "%v", types)
	tn.srv.Add(event.Event{LogID: logID(tn.clock.Now(), 999), Type: "a", Date: tn.clock.Now().Add(-time.Hour)})
	assert.Equal(t, "a", tn.logs("/api/v2/logs?sort=type:1")[0]["type"], "Add refreshes a cached sort index")
}

func TestSearchParameterValidation(t *testing.T) {
	tn := newTenant(t, Options{}, makeEvents(5, newFakeClock().Now()))
	for _, q := range []string{"per_page=101", "per_page=-1", "per_page=x", "page=-1", "page=1.5",
		"sort=log_id:1", "sort=date:2", "sort=date", "include_totals=yes", "include_fields=1", "fields=log_id",
		"fields=type,,date"} {
		resp, body := tn.get("/api/v2/logs?" + q)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, q)
		var e apiError
		require.NoError(t, json.Unmarshal(body, &e))
		assert.Equal(t, "invalid_query_string", e.ErrorCode, q)
		assert.Contains(t, e.Message, "Query validation error", q)
	}
	resp, _ := tn.get("/api/v2/logs?per_page=100&page=0")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestSearchThousandResultCap(t *testing.T) {
	tn := newTenant(t, Options{}, makeEvents(5, newFakeClock().Now()))
	const tail = " exceeds the allowed maximum of 1000 records: please consider searching by checkpoint https://auth0.com/docs/logs/retrieve-log-events-using-mgmt-api#retrieve-logs-by-checkpoint"
	for _, tc := range []struct {
		query string
		page  string // "" means allowed
	}{
		{"page=9&per_page=100", ""},
		{"page=19&per_page=50", ""},
		{"page=10&per_page=100", "11"},
		{"page=20&per_page=50", "21"},
		{"page=20", "21"},
		{"page=999999999999999999&per_page=1", "1000000000000000000"},
	} {
		resp, body := tn.get("/api/v2/logs?" + tc.query)
		if tc.page == "" {
			assert.Equal(t, http.StatusOK, resp.StatusCode, tc.query)
			continue
		}
		requireAPIError(t, resp, body, 400, "Requesting page "+tc.page+tail, "invalid_paging")
	}
	resp, body := tn.get("/api/v2/users/u/logs?page=10&per_page=100")
	requireAPIError(t, resp, body, 400, "Requesting page 11"+tail, "invalid_paging")
}

func TestSearchIncludeTotals(t *testing.T) {
	tn := newTenant(t, Options{}, makeEvents(23, newFakeClock().Now()))
	resp, body := tn.get("/api/v2/logs?include_totals=true&per_page=10&page=2")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var got struct {
		Start, Limit, Length, Total int
		Logs                        []map[string]any
	}
	require.NoError(t, json.Unmarshal(body, &got))
	assert.Equal(t, 20, got.Start)
	assert.Equal(t, 10, got.Limit)
	assert.Equal(t, 3, got.Length)
	assert.Equal(t, 3, got.Total, "total is the page length, not the match count")
	assert.Len(t, got.Logs, 3)
	var keys map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &keys))
	assert.Len(t, keys, 5)
}

func TestSearchFieldsProjection(t *testing.T) {
	tn := newTenant(t, Options{}, makeEvents(3, newFakeClock().Now()))
	for _, l := range tn.logs("/api/v2/logs?fields=type,date") {
		assert.Len(t, l, 2)
		assert.Contains(t, l, "type")
		assert.Contains(t, l, "date")
	}
	for _, l := range tn.logs("/api/v2/logs?fields=type,user_id&include_fields=false") {
		assert.NotContains(t, l, "type")
		assert.NotContains(t, l, "user_id")
		assert.Contains(t, l, "log_id")
		assert.Contains(t, l, "date")
	}
	assert.Len(t, tn.logs("/api/v2/logs?fields=")[0], len(tn.logs("/api/v2/logs")[0]), "empty fields means all")
}

func TestSearchDateRenderingAndID(t *testing.T) {
	loc := time.FixedZone("X", 2*3600)
	ev := event.Event{LogID: "90020230314105805000000000000000000000000000000000000001", Type: "s",
		Date: time.Date(2023, 3, 14, 12, 57, 59, 7_654_321, loc)}
	tn := newTenant(t, Options{}, []event.Event{ev})
	l := tn.logs("/api/v2/logs")[0]
	assert.Equal(t, "2023-03-14T10:57:59.007Z", l["date"])
	assert.Regexp(t, regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`), l["date"])
	assert.Equal(t, ev.LogID, l["_id"])
}

func TestSearchQuery(t *testing.T) {
	evs := makeEvents(50, newFakeClock().Now())
	tn := newTenant(t, Options{}, evs)
	logs := tn.logs("/api/v2/logs?per_page=100&q=" + url.QueryEscape(`type:"sapi" OR type:fp`))
	require.Len(t, logs, 20)
	for _, l := range logs {
		assert.Contains(t, []any{"sapi", "fp"}, l["type"])
	}
	resp, body := tn.get("/api/v2/logs?q=" + url.QueryEscape(`user_email:"a@b.c"`))
	requireAPIError(t, resp, body, 400, `The search query string has an error: unknown field "user_email"`, "invalid_query_string")
}

func TestSearchUsesCustomFilter(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	filter := func(q string) (func(*event.Event) bool, error) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, q)
		if q == "bad" {
			return nil, errors.New("custom complaint")
		}
		return func(e *event.Event) bool { return e.Type == "f" }, nil
	}
	tn := newTenant(t, Options{Filter: filter}, makeEvents(10, newFakeClock().Now()))
	logs := tn.logs("/api/v2/logs?q=anything")
	require.Len(t, logs, 2)
	resp, body := tn.get("/api/v2/logs?q=bad")
	requireAPIError(t, resp, body, 400, "The search query string has an error: custom complaint", "invalid_query_string")
	assert.Len(t, tn.logs("/api/v2/logs?q=%20"), 10, "a blank q does not reach the filter")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"anything", "bad"}, seen)
}

func TestSearchHidesEventsWithinIndexDelay(t *testing.T) {
	clock := newFakeClock()
	now := clock.Now()
	evs := []event.Event{
		{LogID: logID(now, 1), Type: "s", Date: now.Add(-10 * time.Minute)},
		{LogID: logID(now, 2), Type: "s", Date: now.Add(-30 * time.Second)},
	}
	tn := newTenant(t, Options{IndexDelay: time.Minute, Now: clock.Now}, evs)
	tn.clock = clock
	assert.Equal(t, []string{evs[0].LogID}, ids(tn.logs("/api/v2/logs")))
	resp, _ := tn.get("/api/v2/logs/" + evs[1].LogID)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "not indexed yet")
	clock.Advance(30 * time.Second)
	assert.Equal(t, []string{evs[1].LogID, evs[0].LogID}, ids(tn.logs("/api/v2/logs")))
}
