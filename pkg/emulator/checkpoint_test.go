package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordedPage is interaction 0 of go-auth0's TestLogManager_CheckpointPagination recording
// (log_id, date, type), newest log_id first as the real API returned it.
var recordedPage = [][3]string{
	{"90020230602105805996607000000000000001223372045029306413", "2023-06-02T10:58:01.495Z", "ss"},
	{"90020230602105805996607000000000000001223372045029306401", "2023-06-02T10:58:00.754Z", "ss"},
	{"90020230602105805889462000000000000001223372045029306140", "2023-06-02T10:58:00.775Z", "sapi"},
	{"90020230602105805681003000000000000001223372045029305843", "2023-06-02T10:58:01.514Z", "sapi"},
	{"90020230602105805624242000000000000001223372045029305673", "2023-06-02T10:58:00.431Z", "sapi"},
	{"90020230602105804990194000000000000001223372045029305123", "2023-06-02T10:58:02.532Z", "ss"},
	{"90020230602105804570299000000000000001223372045029304543", "2023-06-02T10:58:00.069Z", "sapi"},
	{"90020230602105804570299000000000000001223372045029304536", "2023-06-02T10:57:59.449Z", "sapi"},
	{"90020230602105804441281000000000000001223372045029304287", "2023-06-02T10:57:59.007Z", "fn"},
	{"90020230602105804120563000000000000001223372045029303662", "2023-06-02T10:58:02.822Z", "sapi"},
}

func recordedEvents(t *testing.T) []event.Event {
	evs := make([]event.Event, len(recordedPage))
	for i, r := range recordedPage {
		d, err := time.Parse(time.RFC3339Nano, r[1])
		require.NoError(t, err)
		evs[len(evs)-1-i] = event.Event{LogID: r[0], Date: d, Type: r[2]} // stored in another order
	}
	return evs
}

func TestCheckpointMatchesRecording(t *testing.T) {
	tn := newTenant(t, Options{}, recordedEvents(t))
	var want []string
	for _, r := range recordedPage {
		want = append(want, r[0])
	}
	assert.Equal(t, want, ids(tn.logs("/api/v2/logs?per_page=10")), "default order as recorded")
	got := ids(tn.logs("/api/v2/logs?from=" + recordedPage[9][0] + "&take=2"))
	assert.Equal(t, []string{recordedPage[8][0], recordedPage[7][0]}, got, "the recorded checkpoint answer")
}

var linkPattern = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

func nextLink(t *testing.T, resp *http.Response) string {
	t.Helper()
	m := linkPattern.FindStringSubmatch(resp.Header.Get("Link"))
	require.NotNil(t, m, "Link header %q", resp.Header.Get("Link"))
	return m[1]
}

func TestCheckpointFollowsLinksUntilEmpty(t *testing.T) {
	evs := makeEvents(250, newFakeClock().Now())
	tn := newTenant(t, Options{}, evs)
	all := sortedIDs(evs, false)
	from := all[4]
	// q, sort, per_page and include_totals must all be ignored in checkpoint mode.
	path := "/api/v2/logs?from=" + from + "&take=100&include_totals=true&per_page=5&sort=date:-1&q=" +
		url.QueryEscape(`type:"nothing-has-this"`)
	var got []string
	pages := 0
	for {
		resp, body := tn.get(path)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		require.Equal(t, byte('['), body[0], "a bare array")
		link := nextLink(t, resp)
		require.True(t, strings.HasPrefix(link, tn.ts.URL+"/api/v2/logs?"), link)
		var logs []map[string]any
		require.NoError(t, json.Unmarshal(body, &logs))
		page := ids(logs)
		pages++
		if len(page) == 0 {
			assert.Equal(t, tn.ts.URL+path, link, "an empty page links to itself")
			break
		}
		require.LessOrEqual(t, len(page), 100)
		got = append(got, page...)
		require.Contains(t, link, "from="+page[len(page)-1])
		path = strings.TrimPrefix(link, tn.ts.URL)
		require.Less(t, pages, 10, "paging must end")
	}
	assert.Equal(t, all[5:], got, "ascending, strictly after from, each once")
	assert.Equal(t, 4, pages)
	assert.Equal(t, 0, tn.srv.Stats().Requests[EndpointLogs])
	assert.Positive(t, tn.srv.Stats().Requests[EndpointCheckpoint])
}

func TestCheckpointFromUnknownOrSyntheticID(t *testing.T) {
	clock := newFakeClock()
	evs := makeEvents(40, clock.Now())
	tn := newTenant(t, Options{}, evs)
	all := sortedIDs(evs, false)

	// A synthetic id: "900" + a time + zeros starts at that time.
	ingest, err := time.Parse("20060102150405", all[10][3:17])
	require.NoError(t, err)
	synthetic := "900" + ingest.Format("20060102150405") + strings.Repeat("0", 39)
	assert.Equal(t, all[10:20], ids(tn.logs("/api/v2/logs?take=10&from="+synthetic)))

	assert.Equal(t, all, ids(tn.logs("/api/v2/logs?from=")), "an empty from starts at the oldest log")
	assert.Empty(t, tn.logs("/api/v2/logs?from=999"), "nothing is after an id past the newest")
}

func TestCheckpointTake(t *testing.T) {
	tn := newTenant(t, Options{}, makeEvents(150, newFakeClock().Now()))
	assert.Len(t, tn.logs("/api/v2/logs?from=0"), 50, "default take")
	assert.Len(t, tn.logs("/api/v2/logs?from=0&take=500"), 100, "take is capped at 100")
	assert.Len(t, tn.logs("/api/v2/logs?from=0&take=7"), 7)
	resp, body := tn.get("/api/v2/logs?from=0&take=abc")
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, string(body))
	assert.Contains(t, string(body), "invalid_query_string")
}

func TestCheckpointStopsBeforeUnindexedEvent(t *testing.T) {
	clock := newFakeClock()
	now := clock.Now()
	evs := []event.Event{
		{LogID: logID(now, 1), Date: now.Add(-5 * time.Minute)},
		{LogID: logID(now, 2), Date: now.Add(-10 * time.Second)}, // still being indexed
		{LogID: logID(now, 3), Date: now.Add(-5 * time.Minute)},
	}
	tn := newTenant(t, Options{IndexDelay: time.Minute, Now: clock.Now}, evs)
	assert.Equal(t, []string{evs[0].LogID}, ids(tn.logs("/api/v2/logs?from=0")),
		"the reader must not move past log 2 before it is visible")
	clock.Advance(time.Minute)
	assert.Equal(t, []string{evs[1].LogID, evs[2].LogID}, ids(tn.logs("/api/v2/logs?from="+evs[0].LogID)))
}

func TestAddServesNewEventsInOrder(t *testing.T) {
	clock := newFakeClock()
	evs := makeEvents(20, clock.Now())
	tn := newTenant(t, Options{}, evs[:10])
	tn.srv.Add(evs[10:]...)
	assert.Equal(t, sortedIDs(evs, true), ids(tn.logs("/api/v2/logs?per_page=100")), "merged, not appended")
	assert.Equal(t, sortedIDs(evs, false), ids(tn.logs("/api/v2/logs?from=0&take=100")))
	assert.Equal(t, 20, tn.srv.Len())
}
